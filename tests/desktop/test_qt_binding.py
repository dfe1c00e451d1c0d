"""The installed Qt binding keeps None, True and False alive.

PySide6 6.12.0 returns None and bools from C++ without taking a reference, as if every Python had
immortal objects (3.12 and later do). On Python 3.11 each such call drops a reference the interpreter
never took, and after enough calls (setText, timer starts, processEvents…) the app dies with
"deallocating None". pyproject.toml keeps that release out; this test catches any other that does the same.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

CALLS = 300  # few enough that a leaking binding fails this test before None runs out of references


def test_calls_that_return_none_or_a_bool_leave_their_reference_counts_alone(qtbot: QtBot) -> None:
    label = QLabel()
    edit = QLineEdit()
    qtbot.addWidget(label)
    qtbot.addWidget(edit)
    timer = QTimer()
    app = QApplication.instance()
    assert app is not None

    def calls() -> None:
        label.setText("Hola")
        timer.start(60_000)
        timer.stop()
        edit.isReadOnly()
        edit.hasFocus()
        app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    calls()  # whatever a first call caches
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(CALLS):
        calls()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    drift = [a - b for a, b in zip(after, before, strict=True)]
    # A binding that drops one reference per call drifts by thousands; other code may move a few.
    assert all(abs(d) < CALLS // 10 for d in drift), f"reference counts of None, True, False drifted by {drift}"
