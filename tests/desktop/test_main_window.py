"""The main window opens the workspace in the background and shows a conversation as plain text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow, age
from storage.database import Database
from storage.models import Customer, Interaction, WorkItem, utcnow
from storage.timeline import items_page


@pytest.fixture
def window(qtbot: QtBot, demo_url: str) -> Iterator[MainWindow]:
    win = MainWindow(database_url=demo_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0, timeout=15_000)
    yield win
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


def test_inbox_loads_with_escalated_on_top(window: MainWindow, demo_url: str) -> None:
    db = Database(demo_url)
    with db.session() as s:
        expected = [r.id for r in items_page(s, limit=500)]
    db.dispose()
    shown = [window.inbox.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(window.inbox.rowCount())]
    assert shown == expected
    assert window.inbox.rows[0].escalated
    assert "escalated" in window.counts.text()


def test_arrow_keys_open_the_next_conversation_as_plain_text(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: bool(window.message.toPlainText()), timeout=15_000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    second = window.inbox.rows[1]
    qtbot.waitUntil(lambda: window.customer_card.text().startswith(second.customer_name), timeout=15_000)
    assert " ".join(window.message.toPlainText().split()).startswith(second.snippet.rstrip("…")[:40])
    assert window.customer_card.textFormat() == Qt.TextFormat.PlainText
    assert window.message.isReadOnly()


def test_next_and_previous_item_from_the_reply_keep_the_focus_there(window: MainWindow, qtbot: QtBot) -> None:
    first, second = window.inbox.rows[0], window.inbox.rows[1]
    qtbot.waitUntil(lambda: window.editor.item_id == first.id, timeout=15_000)
    window.activateWindow()
    window.editor.editor.setFocus()
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor.item_id == second.id, timeout=15_000)
    assert window.customer_card.text().startswith(second.customer_name)
    assert window.editor.editor.hasFocus()
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor.item_id == first.id, timeout=15_000)
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)  # the top: stays
    qtbot.wait(100)
    assert window.table.currentIndex().row() == 0 and window.editor.item_id == first.id


def test_customer_text_is_never_rendered_as_markup(window: MainWindow, qtbot: QtBot, demo_url: str) -> None:
    hostile_name = "<b>Eve</b>"
    hostile_body = "<h1>refund</h1> <img src='http://example.invalid/x.png'> &amp;"
    db = Database(demo_url)
    with db.write() as s:
        customer = Customer(customer_id="X-1", name=hostile_name, language="en")
        s.add(customer)
        s.flush()
        assert customer.id is not None
        incoming = Interaction(
            source_id="x-1",
            customer_id=customer.id,
            channel="comment",
            direction="in",
            occurred_at=utcnow(),
            body=hostile_body,
        )
        s.add(incoming)
        s.flush()
        assert incoming.id is not None
        s.add(
            WorkItem(
                customer_id=customer.id,
                interaction_id=incoming.id,
                channel="comment",
                escalated=True,
                received_at=utcnow(),
            )
        )
    db.dispose()
    with qtbot.waitSignal(window.inbox.loaded, timeout=15_000):
        qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert window.inbox.rows[0].customer_name == hostile_name
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.message.toPlainText() == hostile_body, timeout=15_000)
    assert window.customer_card.text().startswith(hostile_name)
    assert window.customer_card.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize(
    ("seconds", "text"), [(20, "now"), (300, "5 min"), (7200, "2 h"), (3 * 86400, "3 d"), (65 * 86400, "2 mo")]
)
def test_age_is_short_and_relative(seconds: int, text: str) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert age(now - timedelta(seconds=seconds), now) == text


def test_f1_lists_the_shortcuts(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    qtbot.waitUntil(
        lambda: getattr(window, "shortcuts_box", None) is not None and window.shortcuts_box.isVisible(), timeout=5_000
    )
    text = window.shortcuts_box.text()
    for expected in ("Ctrl+Return — Approve", "Ctrl+D — Draft", "Ctrl+H — History", "Ctrl+F — Find"):
        assert expected in text, text
    window.shortcuts_box.close()


def test_first_run_tips_can_be_dismissed_for_good(window: MainWindow, qtbot: QtBot, demo_url: str) -> None:
    from PySide6.QtWidgets import QPushButton

    assert window.tips.isVisible()
    button = next(b for b in window.tips.findChildren(QPushButton))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.tips.isVisible()
    window.settings.sync()
    again = MainWindow(database_url=demo_url)
    qtbot.addWidget(again)
    assert again.tips.isHidden()
    again.close()
    qtbot.waitUntil(lambda: not again.background.busy, timeout=15_000)
    if again.db is not None:
        again.db.dispose()


def test_each_row_shows_its_channel_icon(window: MainWindow) -> None:
    from PySide6.QtGui import QIcon, QPalette

    from desktop.inbox import channel_name

    for row in range(window.inbox.rowCount()):
        index = window.inbox.index(row, 2)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        channel = window.inbox.rows[row].channel
        assert not icon.isNull(), channel
        # Drawn from SVG: sharp at twice the size on a high-DPI screen.
        assert icon.pixmap(48, 48).width() == 48
        # The column is icon-wide; the tooltip names the channel.
        assert index.data(Qt.ItemDataRole.ToolTipRole) == channel_name(channel)
        # On a selected row the icon takes the selection's text colour instead of vanishing into the highlight.
        selected = icon.pixmap(16, 16, QIcon.Mode.Selected).toImage()
        drawn = {
            selected.pixelColor(x, y).rgb()
            for x in range(selected.width())
            for y in range(selected.height())
            if selected.pixelColor(x, y).alpha() > 0
        }
        assert drawn == {window.palette().color(QPalette.ColorRole.HighlightedText).rgb()}, channel


def test_sort_by_waiting_longest(window: MainWindow, qtbot: QtBot) -> None:
    newest = [r.id for r in window.inbox.rows]
    window.filters.sort.setFocus()
    with qtbot.waitSignal(window.inbox.loaded, timeout=15_000):
        qtbot.keyClick(window.filters.sort, Qt.Key.Key_Down)
    rows = window.inbox.rows
    calm = [r for r in rows if not r.escalated]
    assert rows[0].escalated
    assert [r.received_at for r in calm] == sorted(r.received_at for r in calm)
    assert [r.id for r in rows] != newest and sorted(r.id for r in rows) == sorted(newest)


def test_opened_items_are_read_and_stay_read_after_a_restart(qtbot: QtBot, demo_url: str) -> None:
    first = MainWindow(database_url=demo_url)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.inbox.rowCount() > 1 and first.editor.item_id is not None, timeout=15_000)
    opened = first.editor.item_id
    unopened = next(r.id for r in first.inbox.rows if r.id != opened)

    def bold(win: MainWindow, item_id: int) -> bool:
        row = win.inbox.row_of(item_id)
        assert row is not None
        font = win.inbox.index(row, 1).data(Qt.ItemDataRole.FontRole)
        return font is not None and font.bold()

    assert not bold(first, opened) and bold(first, unopened)
    first.close()
    qtbot.waitUntil(lambda: not first.background.busy, timeout=15_000)
    if first.db is not None:
        first.db.dispose()

    again = MainWindow(database_url=demo_url)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.inbox.rowCount() > 1 and again.editor.item_id is not None, timeout=15_000)
    assert again.editor.item_id == opened  # the selection came back too
    assert not bold(again, opened) and bold(again, unopened)
    again.close()
    qtbot.waitUntil(lambda: not again.background.busy, timeout=15_000)
    if again.db is not None:
        again.db.dispose()


def test_flags_stay_readable_in_the_dark_theme(window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    flagged = next(r for r in range(window.inbox.rowCount()) if window.inbox.rows[r].escalated)
    light = window.inbox.index(flagged, 0).data(Qt.ItemDataRole.ForegroundRole)
    apply_theme(app, "dark")
    dark = window.inbox.index(flagged, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert light.lightness() < 128 < dark.lightness()


def test_an_empty_workspace_opens_with_its_reply_area(qtbot: QtBot, sqlite_url: str) -> None:
    empty = Database(sqlite_url)
    empty.upgrade(backup=False)
    empty.dispose()
    win = MainWindow(database_url=sqlite_url)
    qtbot.addWidget(win)
    win.show()
    # Nothing to paint in the inbox first: the conversation and reply area are built at once, the workspace opens.
    qtbot.waitUntil(lambda: win.db is not None and win.work_area.count() == 2, timeout=15_000)
    qtbot.waitUntil(lambda: "0 items" in win.counts.text(), timeout=15_000)
    assert win.editor.isVisible()
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    assert win.db is not None
    win.db.dispose()
