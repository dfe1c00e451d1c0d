"""Drafting in the window as a person does it: Ctrl+D, watch it stream, stop it, edit, and nothing is lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import select

from desktop.main_window import MainWindow
from storage import config
from storage.database import Database
from storage.models import Revision
from tests.servers.openai_faults import FaultServer


@pytest.fixture
def window(qtbot: QtBot, demo_url: str) -> Iterator[MainWindow]:
    win = MainWindow(database_url=demo_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0 and win.editor.item_id is not None, timeout=15_000)
    yield win
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


def _open_item(window: MainWindow, qtbot: QtBot, customer: str, channel: str) -> None:
    row = next(
        i for i, r in enumerate(window.inbox.rows) if r.customer_name.startswith(customer) and r.channel == channel
    )
    window.table.selectRow(row)
    item_id = window.inbox.rows[row].id
    qtbot.waitUntil(
        lambda: window.editor.item_id == item_id and window.customer_card.text().startswith(customer), timeout=15_000
    )


def _revisions(url: str, draft_id: int) -> list[Revision]:
    db = Database(url)
    with db.session() as s:
        rows = list(s.exec(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.seq)))  # type: ignore[arg-type]  # column
    db.dispose()
    return rows


def test_ctrl_d_drafts_offline_then_edits_are_kept(window: MainWindow, qtbot: QtBot, demo_url: str) -> None:
    _open_item(window, qtbot, "Daniel", "email")
    editor = window.editor
    qtbot.keyClick(editor.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.draft_id is not None and not editor.streaming, timeout=15_000)
    assert "called us 5 minutes ago" in editor.editor.toPlainText()
    assert "offline composer" in editor.writer_label.text()
    qtbot.waitUntil(lambda: editor.findings.count() > 0, timeout=15_000)  # checks run once typing pauses
    shown = [editor.findings.item(i).text() for i in range(editor.findings.count())]
    assert any("[[to confirm" in text for text in shown), shown

    editor.editor.setFocus()
    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.editor, " See you soon.")
    with qtbot.waitSignal(editor.saved, timeout=15_000):
        pass
    assert editor.draft_id is not None
    kinds = [(r.kind, r.author) for r in _revisions(demo_url, editor.draft_id)]
    assert kinds[0] == ("ai_draft", "offline")
    assert kinds[-1] == ("human_edit", "marta")
    assert _revisions(demo_url, editor.draft_id)[-1].body.endswith("See you soon.")


def test_stop_keeps_the_partial_text(
    window: MainWindow, qtbot: QtBot, fault_server: Callable[..., FaultServer]
) -> None:
    server = fault_server("hang", chunks=("Hi", " Daniel,", " about"))
    config.set_value("ai.base_url", server.url)
    config.set_value("ai.model", "model-a")
    _open_item(window, qtbot, "Daniel", "email")
    editor = window.editor
    editor.draft_button.click()
    qtbot.waitUntil(lambda: editor.editor.toPlainText() == "Hi Daniel, about", timeout=15_000)
    assert editor.streaming and editor.editor.isReadOnly()
    qtbot.keyClick(editor.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editor.streaming, timeout=15_000)
    assert server.client_closed.wait(5)
    assert not editor.editor.isReadOnly()
    assert editor.editor.toPlainText() == "Hi Daniel, about"
    assert "partial" in editor.writer_label.text()


def test_closing_the_window_keeps_the_last_keystrokes(qtbot: QtBot, demo_url: str) -> None:
    win = MainWindow(database_url=demo_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.editor.item_id is not None, timeout=15_000)
    _open_item(win, qtbot, "Daniel", "email")
    win.editor.draft_button.click()
    qtbot.waitUntil(lambda: win.editor.draft_id is not None and not win.editor.streaming, timeout=15_000)
    draft_id = win.editor.draft_id
    assert draft_id is not None
    win.editor.editor.setFocus()
    qtbot.keyClicks(win.editor.editor, "X")
    win.close()  # before the save timer fires
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    assert win.db is not None
    win.db.dispose()
    assert _revisions(demo_url, draft_id)[-1].kind == "human_edit"


def test_ctrl_enter_approves_the_exact_text_after_commitments_are_ticked(
    window: MainWindow, qtbot: QtBot, demo_url: str
) -> None:
    from PySide6.QtWidgets import QApplication

    from storage.hashing import content_hash
    from storage.models import OutboxMessage

    _open_item(window, qtbot, "Daniel", "email")
    editor = window.editor
    qtbot.keyClick(editor.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.draft_id is not None and not editor.streaming, timeout=15_000)

    # Ctrl+Enter on a draft that still has gaps: the dialog opens, but Approve stays disabled.
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: getattr(window, "approval_dialog", None) is not None and window.approval_dialog.isVisible(),
        timeout=15_000,
    )
    assert not window.approval_dialog.approve_button.isEnabled()
    window.approval_dialog.reject()
    window.activateWindow()  # what the window manager does when a dialog closes
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)

    reply = "Hi Daniel,\n\nSorry about the double charge. We will refund the duplicate today.\n\nWarmly,\nThe Café Alba team"
    QApplication.clipboard().setText(reply)
    editor.editor.setFocus()
    editor.editor.selectAll()
    qtbot.keyClick(editor.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.editor.toPlainText() == reply
    window.approval_dialog = None  # type: ignore[assignment]  # wait for the next dialog
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            (window.approval_dialog is not None and window.approval_dialog.isVisible())
            or "Problem" in window.statusBar().currentMessage()
        ),
        timeout=15_000,
    )
    assert window.approval_dialog is not None, window.statusBar().currentMessage()
    dialog = window.approval_dialog
    assert dialog.view.body == reply
    assert dialog.checks, "the refund promise must be confirmed"
    assert not dialog.approve_button.isEnabled()
    for box, _finding in dialog.checks:
        box.click()
    assert dialog.approve_button.isEnabled()
    dialog.approve_button.click()
    qtbot.waitUntil(
        lambda: (
            "Approved by" in window.statusBar().currentMessage() or "Problem" in window.statusBar().currentMessage()
        ),
        timeout=15_000,
    )
    assert "Approved by marta" in window.statusBar().currentMessage(), window.statusBar().currentMessage()

    db = Database(demo_url)
    with db.session() as s:
        row = s.exec(select(OutboxMessage).where(OutboxMessage.draft_id == editor.draft_id)).one()
    db.dispose()
    assert row.body == reply and row.content_hash == content_hash(row.subject, reply)
    assert row.state == "queued"


def test_empathy_suggestions_are_offered_and_inserted_only_on_a_click(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    _open_item(window, qtbot, "Daniel", "email")
    editor = window.editor
    QApplication.clipboard().setText("Hello,\n\nThe duplicate charge is being refunded.\n\nThe team")
    editor.editor.setFocus()
    qtbot.keyClick(editor.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.suggestions.count() > 0, timeout=15_000)
    offered = [editor.suggestions.item(i).text() for i in range(editor.suggestions.count())]
    assert any("Daniel" in text for text in offered), offered
    before = editor.editor.toPlainText()
    assert "Daniel" not in before  # offered, never inserted by itself
    row = next(i for i, text in enumerate(offered) if "Daniel" in text)
    editor.suggestions.setCurrentRow(row)
    editor.suggestions.setFocus()
    qtbot.keyClick(editor.suggestions, Qt.Key.Key_Return)
    assert "Daniel" in editor.editor.toPlainText()
    editor.editor.setFocus()
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.editor.toPlainText() == before  # one undo takes it back


def test_request_changes_needs_a_reason_and_is_recorded(window: MainWindow, qtbot: QtBot, demo_url: str) -> None:
    from storage.models import Review

    _open_item(window, qtbot, "Daniel", "email")
    editor = window.editor
    qtbot.keyClick(editor.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.draft_id is not None and not editor.streaming, timeout=15_000)
    qtbot.waitUntil(lambda: len(editor.editor.extraSelections()) > 0, timeout=15_000)  # the gaps are underlined
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: getattr(window, "approval_dialog", None) is not None and window.approval_dialog.isVisible(),
        timeout=15_000,
    )
    dialog = window.approval_dialog
    dialog.changes_button.click()
    assert dialog.isVisible()  # no reason, no decision
    qtbot.keyClicks(dialog.reason_box, "Say when the refund lands")
    dialog.changes_button.click()
    qtbot.waitUntil(lambda: "changes requested by marta" in window.statusBar().currentMessage(), timeout=15_000)
    db = Database(demo_url)
    with db.session() as s:
        review = s.exec(select(Review).where(Review.draft_id == editor.draft_id)).one()
    db.dispose()
    assert (review.decision, review.reason, review.reviewer) == (
        "request_changes",
        "Say when the refund lands",
        "marta",
    )
