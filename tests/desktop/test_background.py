"""Background jobs: the work runs on another thread, its outcome reaches its callback on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.background import Background


def test_the_result_and_the_error_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    background = Background()
    gui = threading.get_ident()
    seen: list[tuple[str, object, bool]] = []

    def work(n: int) -> tuple[int, int]:
        return n * 2, threading.get_ident()

    def fail() -> None:
        raise ValueError("the database is locked")

    background.run(
        work,
        21,
        on_done=lambda got: seen.append(("done", got[0], got[1] != gui and threading.get_ident() == gui)),
        on_error=lambda e: seen.append(("error", e, False)),
    )
    background.run(
        fail,
        on_done=lambda got: seen.append(("done", got, False)),
        on_error=lambda e: seen.append(("error", str(e), threading.get_ident() == gui)),
    )
    assert background.busy
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    assert sorted(seen, key=str) == sorted([("done", 42, True), ("error", "the database is locked", True)], key=str)


def test_a_slow_job_does_not_hold_back_a_quick_one(qtbot: QtBot) -> None:
    background = Background()
    release = threading.Event()
    order: list[str] = []
    background.run(release.wait, 10, on_done=lambda _ok: order.append("slow"), on_error=lambda e: order.append("x"))
    background.run(lambda: "quick", on_done=order.append, on_error=lambda e: order.append("x"))
    qtbot.waitUntil(lambda: order == ["quick"], timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    assert order == ["quick", "slow"]


def test_after_quit_all_a_running_job_reports_to_nobody(qtbot: QtBot) -> None:
    background = Background()
    release = threading.Event()
    seen: list[object] = []
    background.run(release.wait, 10, on_done=seen.append, on_error=seen.append)
    background.quit_all()
    release.set()
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    qtbot.wait(50)
    assert seen == []


def test_a_widget_deleted_while_its_job_ran_is_not_called(qtbot: QtBot) -> None:
    background = Background()
    label = QLabel("before")
    release = threading.Event()
    background.run(lambda: release.wait(10) and "after", on_done=label.setText, on_error=lambda e: None)
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label), timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)  # no RuntimeError from a deleted C++ object


def test_jobs_of_a_deleted_background_still_end(qtbot: QtBot) -> None:
    owner = QObject()
    background = Background(owner)
    release = threading.Event()
    seen: list[object] = []
    background.run(release.wait, 10, on_done=seen.append, on_error=seen.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=5_000)
    assert background.busy
    release.set()
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    assert seen == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def test_a_parentless_background_let_go_while_its_job_runs_goes_on_the_gui_thread(qtbot: QtBot) -> None:
    """The worker never holds the Background: the caller's last reference is the one that deletes it."""
    gui = threading.get_ident()
    deleted_on: list[int] = []
    release = threading.Event()
    seen: list[object] = []
    background = Background()
    background.destroyed.connect(lambda: deleted_on.append(threading.get_ident()), Qt.ConnectionType.DirectConnection)
    job = background.run(release.wait, 10, on_done=seen.append, on_error=seen.append)
    worker = next(t for t in threading.enumerate() if t.name.startswith("latido-worker-") and t.is_alive())
    del background
    assert deleted_on == [gui]
    release.set()
    worker.join(timeout=10)
    assert job.ended
    qtbot.wait(50)  # the outcome the worker queued is dropped quietly on the GUI thread
    assert seen == []
