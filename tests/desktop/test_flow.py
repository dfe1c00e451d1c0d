"""One working session, driven as a person drives it: the escalated item from first draft to approved,
changes requested on another, a version restored, and the interface in Spanish."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlmodel import select

from desktop.app import install_translations
from desktop.approval_dialog import ApprovalDialog
from desktop.main_window import MainWindow
from storage import config
from storage.database import Database
from storage.models import Review, Revision
from tests.servers.openai_faults import FaultServer

AI_REPLY = (
    "Hola, Nayra:\n\n",
    "Siento mucho que el pedido A-51977 siga sin llegar. ",
    "Lo he mirado con el transportista y sale hoy.\n\n",
    "No dude en contactarnos.\n\n",
    "Marta",
)


def _open(qtbot: QtBot, url: str) -> MainWindow:
    win = MainWindow(database_url=url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0 and win.editor.item_id is not None, timeout=15_000)
    return win


def _close(qtbot: QtBot, win: MainWindow) -> None:
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


def _row_of(win: MainWindow, item_id: int) -> int:
    return next(i for i, r in enumerate(win.inbox.rows) if r.id == item_id)


def _click_row(qtbot: QtBot, win: MainWindow, row: int) -> int:
    win.activateWindow()  # what the window manager does when a dialog closes
    qtbot.waitUntil(win.isActiveWindow, timeout=5_000)
    index = win.inbox.index(row, 1)
    win.table.scrollTo(index)
    qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=win.table.visualRect(index).center())
    item_id = win.inbox.rows[row].id
    qtbot.waitUntil(lambda: win.editor.item_id == item_id, timeout=15_000)
    return item_id


def _status(win: MainWindow, item_id: int) -> str:
    return win.inbox.rows[_row_of(win, item_id)].status


def _approval_dialog(qtbot: QtBot, win: MainWindow) -> ApprovalDialog:
    win.approval_dialog = None  # type: ignore[assignment]  # the next dialog, not an old one
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            (win.approval_dialog is not None and win.approval_dialog.isVisible())
            or "Problem" in win.statusBar().currentMessage()
        ),
        timeout=15_000,
    )
    assert win.approval_dialog is not None, win.statusBar().currentMessage()
    return win.approval_dialog


def _confirm_commitments(qtbot: QtBot, dialog: ApprovalDialog) -> None:
    """Tick each promise the reply makes ("sale hoy"), as the dialog asks; then Approve is enabled."""
    assert dialog.checks, "the reply promises a date: the dialog must ask to confirm it"
    assert not dialog.approve_button.isEnabled()
    for box, _finding in dialog.checks:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert dialog.approve_button.isEnabled()


def _revisions(url: str, draft_id: int) -> list[Revision]:
    db = Database(url)
    with db.session() as s:
        rows = list(s.exec(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.seq)))  # type: ignore[arg-type]  # column
    db.dispose()
    return rows


def test_a_working_session(qtbot: QtBot, demo_url: str, fault_server: Callable[..., FaultServer]) -> None:
    win = _open(qtbot, demo_url)
    editor = win.editor

    # The escalated section is on top; the person picks its email with a click.
    escalated = [i for i, r in enumerate(win.inbox.rows) if r.escalated]
    assert escalated and escalated == list(range(len(escalated)))
    row = next(i for i in escalated if win.inbox.rows[i].channel == "email")
    item_id = _click_row(qtbot, win, row)
    qtbot.waitUntil(win.conversation.escalation.isVisible, timeout=15_000)
    assert win.customer_card.text().startswith("Nayra")

    # No AI is configured: the offline composer refuses an escalated item and says who must write it.
    qtbot.keyClick(editor.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "escalated" in editor.writer_label.text(), timeout=15_000)
    assert editor.draft_id is None and editor.editor.toPlainText() == ""
    assert not editor.editor.isReadOnly()

    # With an OpenAI-compatible endpoint on loopback, the AI writes a draft that streams into the editor.
    server = fault_server("ok", chunks=AI_REPLY, delay=0.02)
    config.set_value("ai.base_url", server.url)
    config.set_value("ai.model", "model-a")
    qtbot.keyClick(editor.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.draft_id is not None and not editor.streaming, timeout=15_000)
    assert editor.editor.toPlainText() == "".join(AI_REPLY)
    assert "offline" not in editor.writer_label.text()
    assert len(server.chat_requests) == 1
    qtbot.waitUntil(lambda: _status(win, item_id) == "drafting", timeout=15_000)

    # The person edits: a line of their own before the signature.
    editor.editor.setFocus()
    cursor = editor.editor.textCursor()
    cursor.setPosition(editor.editor.toPlainText().index("Marta"))
    editor.editor.setTextCursor(cursor)
    qtbot.keyClicks(editor.editor, "Te escribo en cuanto salga.")
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)

    # The check finds the form-letter line; its Apply button fixes it.
    # (Findings still shown for the text before the edit keep their Apply disabled until the new check lands.)
    def apply_button() -> QPushButton | None:
        for i, f in enumerate(editor.shown_findings):
            found = editor.findings.itemWidget(editor.findings.item(i)).findChild(QPushButton)
            if f.code == "robotic_phrase" and found is not None and found.isEnabled():
                return found
        return None

    qtbot.waitUntil(lambda: apply_button() is not None, timeout=15_000)
    button = apply_button()
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    fixed = editor.editor.toPlainText()
    assert "No dude en contactarnos" not in fixed
    assert "Si necesitas algo más, respóndeme aquí mismo." in fixed
    assert "Te escribo en cuanto salga." in fixed
    qtbot.waitUntil(lambda: not any(f.code == "robotic_phrase" for f in editor.shown_findings), timeout=15_000)
    draft_id = editor.draft_id
    assert draft_id is not None
    qtbot.waitUntil(lambda: _revisions(demo_url, draft_id)[-1].body == fixed, timeout=15_000)
    assert _revisions(demo_url, draft_id)[0].kind == "ai_draft"
    assert _revisions(demo_url, draft_id)[-1].kind == "human_edit"

    # Ctrl+Enter shows the exact text; the promise is confirmed; Ctrl+Enter in the dialog approves it.
    dialog = _approval_dialog(qtbot, win)
    assert dialog.view.body == fixed
    _confirm_commitments(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Approved by marta" in win.statusBar().currentMessage(), timeout=15_000)
    qtbot.waitUntil(lambda: _status(win, item_id) == "approved", timeout=15_000)

    # On another item, the draft goes back with a reason.
    other = next(
        i for i, r in enumerate(win.inbox.rows) if r.customer_name.startswith("Daniel") and r.channel == "email"
    )
    other_id = _click_row(qtbot, win, other)
    qtbot.keyClick(editor.editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.draft_id not in (None, draft_id) and not editor.streaming, timeout=15_000)
    other_draft = editor.draft_id
    assert other_draft is not None
    dialog = _approval_dialog(qtbot, win)
    qtbot.keyClicks(dialog.reason_box, "Say when the refund lands")
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Request &changes…
    qtbot.waitUntil(lambda: "changes requested by marta" in win.statusBar().currentMessage(), timeout=15_000)
    qtbot.waitUntil(lambda: _status(win, other_id) == "changes_requested", timeout=15_000)
    db = Database(demo_url)
    with db.session() as s:
        review = s.exec(select(Review).where(Review.draft_id == other_draft)).one()
    db.dispose()
    assert (review.decision, review.reason) == ("request_changes", "Say when the refund lands")

    # The writer's fix, then Ctrl+H: the first version comes back as a new revision on top.
    win.activateWindow()  # the dialog has closed
    qtbot.waitUntil(win.isActiveWindow, timeout=5_000)
    ai_text = editor.editor.toPlainText()
    editor.editor.setFocus()
    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.editor, "The refund lands in 3-5 days.")
    qtbot.keyClick(win, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.history_dialog is not None and win.history_dialog.isVisible(), timeout=15_000)
    history = win.history_dialog
    assert history is not None
    qtbot.waitUntil(lambda: history.comparison is not None and history.comparison.newer.seq == 2, timeout=15_000)
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Down)  # version 1, the AI draft
    qtbot.waitUntil(lambda: history.comparison is not None and history.comparison.newer.seq == 1, timeout=15_000)
    with qtbot.waitSignal(history.restored, timeout=15_000):
        qtbot.keyClick(history, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert [r.kind for r in _revisions(demo_url, other_draft)] == ["ai_draft", "human_edit", "restore"]
    qtbot.waitUntil(lambda: editor.editor.toPlainText() == ai_text, timeout=15_000)
    history.close()
    _close(qtbot, win)

    # `latido --lang es`: the same window, in Spanish.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert install_translations(app, "es") == "es"
    try:
        win = _open(qtbot, demo_url)
        menus = [action.text() for action in win.menuBar().actions()]
        assert "&Archivo" in menus and "&Respuesta" in menus, menus
        assert "&File" not in menus
        assert win.table.model().headerData(0, Qt.Orientation.Horizontal) != "Channel"
        _close(qtbot, win)
    finally:
        install_translations(app, "en")
