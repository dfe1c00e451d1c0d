"""Run slow work off the GUI thread: a function plus success and failure callbacks.

Each job runs on its own daemon thread, so a database read never waits in a queue behind a draft
that streams for a minute or a mail fetch. Results do not travel inside Qt events: the worker puts
its outcome on a Python queue and emits a signal without arguments; the slot, on the GUI thread,
takes one outcome and calls the job's callback. A queued event that carried a Python object could
outlive the interpreter at exit; an empty one cannot.
"""

from __future__ import annotations

import itertools
import queue
import sys
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

_names = itertools.count(1)


@dataclass(eq=False)
class Job:
    """One piece of work handed to `Background.run`; `dropped` once nobody wants its result."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    dropped: bool = False
    ended: bool = False  # the function has returned or raised


class Background(QObject):
    """Keeps the running jobs of one window, and forgets their results when it closes.

    Only the GUI thread holds a job (its function, arguments and callbacks): a worker takes what it runs by
    token and lets go of it before it reports. A callback is often a widget's method; if the last reference
    to a widget were dropped on a worker thread, the widget would be deleted there, and Qt would crash."""

    _ended = Signal()  # one job has put its outcome on the queue

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, Job] = {}
        self._outcomes: queue.SimpleQueue[tuple[int, bool, Any]] = queue.SimpleQueue()
        self._ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Job:
        job = Job(fn, args, on_done, on_error)
        token = next(_names)
        self._jobs[token] = job
        work = (fn, args)
        threading.Thread(
            target=_work, args=(weakref.ref(self), token, [work]), name=f"latido-worker-{token}", daemon=True
        ).start()
        return job

    @property
    def busy(self) -> bool:
        """A job is running, or its outcome has not reached its callback yet."""
        if not shiboken6.isValid(self):  # deleted with its window: outcomes still queued will never be delivered
            return any(not job.ended for job in list(self._jobs.values()))
        return bool(self._jobs)

    def quit_all(self) -> None:
        """Drop the results of the jobs still running: their callbacks will not be called.

        A running query or request cannot be interrupted from outside; work that can be cancelled takes its
        own stop event."""
        for job in list(self._jobs.values()):
            job.dropped = True

    def _finished(self, token: int, outcome: tuple[int, bool, Any]) -> None:
        """On the worker: hand the outcome over and wake the GUI thread."""
        job = self._jobs.get(token)
        if job is not None:
            job.ended = True
        del job
        self._outcomes.put(outcome)
        try:
            self._ended.emit()
        except RuntimeError:  # the window, and this object with it, was deleted while the job ran
            self._jobs.pop(token, None)

    @Slot()
    def _deliver(self) -> None:
        """Hand every outcome waiting on the queue to its callback (an earlier signal may have taken this one's)."""
        while True:
            try:
                token, ok, value = self._outcomes.get_nowait()
            except queue.Empty:
                return
            job = self._jobs.pop(token, None)
            if job is None or job.dropped:
                continue
            callback = job.on_done if ok else job.on_error
            owner = getattr(callback, "__self__", None)
            if isinstance(owner, QObject) and not shiboken6.isValid(owner):
                continue  # a method of a widget that is gone
            try:
                callback(value)
            except Exception:  # reason: one failing callback must not hold back the others
                sys.excepthook(*sys.exc_info())


def _work(owner: weakref.ref[Background], token: int, box: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> None:
    """A worker thread: run the function, drop every reference to what the caller gave, then report."""
    fn, args = box.pop()
    try:
        outcome: tuple[int, bool, Any] = (token, True, fn(*args))
    except BaseException as error:  # reason: every failure goes to the job's error callback
        outcome = (token, False, error)
    del fn, args
    background = owner()
    if background is not None:
        background._finished(token, outcome)
