"""The Team and Reply menus open each lead's tool with the workspace, the user and the current item."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, demo_url: str) -> Iterator[MainWindow]:
    win = MainWindow(database_url=demo_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0 and win.db is not None, timeout=15_000)
    qtbot.waitUntil(lambda: getattr(win, "editor", None) is not None and win.editor.item_id is not None, timeout=15_000)
    yield win
    for widget in QApplication.topLevelWidgets():
        if widget is not win and widget.isVisible():
            widget.close()
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


def _opened(class_name: str) -> QWidget | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if type(w).__name__ == class_name and w.isVisible()),
        None,
    )


@pytest.mark.parametrize(
    ("keys", "class_name"),
    [
        ("Ctrl+Shift+H", "ApprovalHistoryWindow"),
        ("Ctrl+Shift+I", "InsightsWindow"),
        ("Ctrl+Shift+B", "OutreachBatchDialog"),
        ("Ctrl+Alt+B", "BatchHistoryDialog"),
        ("Ctrl+Alt+P", "PolicyDialog"),
        ("Ctrl+Alt+F", "FeedbackWindow"),
        ("Ctrl+Alt+C", "ThemesWindow"),
        ("Ctrl+Alt+V", "VoiceGuideDialog"),
        ("Ctrl+Shift+N", "FeedbackNoteDialog"),
        ("Ctrl+Alt+M", "NewMessageDialog"),
    ],
)
def test_each_tool_opens_from_its_shortcut(window: MainWindow, qtbot: QtBot, keys: str, class_name: str) -> None:
    action = next(a for a in window.actions() if a.shortcut().toString() == keys)
    assert action.text() and action.isEnabled()
    window.activateWindow()
    window.table.setFocus()
    QTest.keySequence(window.table, QKeySequence(keys))
    qtbot.waitUntil(lambda: _opened(class_name) is not None, timeout=15_000)
    opened = _opened(class_name)
    assert opened is not None
    qtbot.wait(200)  # let its first background load start and finish before it closes
    opened.close()


def test_every_team_action_is_in_the_shortcut_list(window: MainWindow) -> None:
    lines = "\n".join(window.shortcut_lines())
    for text in ("Approval history", "Insights", "New outreach batch", "Approval policy", "Voice guide", "Add note"):
        assert text in lines.replace("&", "")
    team = next(m for m in window.menuBar().actions() if m.text().replace("&", "") == "Team")
    assert team.menu() is not None and len([a for a in team.menu().actions() if not a.isSeparator()]) == 8


def test_tools_open_again_after_one_was_closed(window: MainWindow, qtbot: QtBot) -> None:
    for keys, class_name in (("Ctrl+Shift+H", "ApprovalHistoryWindow"), ("Ctrl+Alt+P", "PolicyDialog")):
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
        QTest.keySequence(window.table, QKeySequence(keys))
        qtbot.waitUntil(lambda name=class_name: _opened(name) is not None, timeout=15_000)
        opened = _opened(class_name)
        assert opened is not None
        qtbot.wait(200)
        opened.close()
        qtbot.wait(100)
    # Opening the second tool touched no deleted window, and nothing deleted is kept.
    assert all(shiboken6.isValid(w) for w in window.team.open_windows)
