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
from storage.demo import seed_demo
from storage.models import Revision
from tests.servers.openai_faults import FaultServer


@pytest.fixture
def demo_url(sqlite_url: str) -> str:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db)
    db.dispose()
    return sqlite_url


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
    assert any(
        "placeholder" in editor.findings.item(i).text() or "[[" in editor.findings.item(i).text()
        for i in range(editor.findings.count())
    )

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
