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
    """Keeps the running jobs of one window, and forgets their results when it closes."""

    _ended = Signal()  # one job has put its outcome on the queue

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: set[Job] = set()
        self._outcomes: queue.SimpleQueue[tuple[Job, bool, Any]] = queue.SimpleQueue()
        self._ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Job:
        job = Job(fn, args, on_done, on_error)
        self._jobs.add(job)
        threading.Thread(target=self._work, args=(job,), name=f"latido-worker-{next(_names)}", daemon=True).start()
        return job

    @property
    def busy(self) -> bool:
        """A job is running, or its outcome has not reached its callback yet."""
        if not shiboken6.isValid(self):  # deleted with its window: outcomes still queued will never be delivered
            return any(not job.ended for job in list(self._jobs))
        return bool(self._jobs)

    def quit_all(self) -> None:
        """Drop the results of the jobs still running: their callbacks will not be called.

        A running query or request cannot be interrupted from outside; work that can be cancelled
        takes its own stop event."""
        for job in list(self._jobs):
            job.dropped = True

    def _work(self, job: Job) -> None:
        try:
            outcome: tuple[Job, bool, Any] = (job, True, job.fn(*job.args))
        except BaseException as error:  # reason: every failure goes to the job's error callback
            outcome = (job, False, error)
        self._outcomes.put(outcome)
        job.ended = True
        try:
            self._ended.emit()
        except RuntimeError:  # the window, and this object with it, was deleted while the job ran
            self._jobs.discard(job)

    @Slot()
    def _deliver(self) -> None:
        """Hand every outcome waiting on the queue to its callback (an earlier signal may have taken this one's)."""
        while True:
            try:
                job, ok, value = self._outcomes.get_nowait()
            except queue.Empty:
                return
            self._jobs.discard(job)
            callback = job.on_done if ok else job.on_error
            owner = getattr(callback, "__self__", None)
            if job.dropped or (isinstance(owner, QObject) and not shiboken6.isValid(owner)):
                continue  # nobody wants it any more, or it is a method of a widget that is gone
            try:
                callback(value)
            except Exception:  # reason: one failing callback must not hold back the others
                sys.excepthook(*sys.exc_info())
