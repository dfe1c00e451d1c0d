"""Run slow work off the GUI thread: a function plus success and failure callbacks.

Each job runs on its own daemon thread, so a database read never waits in a queue behind a draft
that streams for a minute or a mail fetch. Results do not travel inside Qt events: the worker puts
its outcome on a Python queue and emits a signal without arguments; the slot, on the GUI thread,
takes one outcome and calls the job's callback. A queued event that carried a Python object could
outlive the interpreter at exit; an empty one cannot.
"""

from __future__ import annotations

import functools
import itertools
import queue
import sys
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
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
    returned: threading.Event = field(default_factory=threading.Event)
    """Set by the worker once the function has returned or raised (the worker holds nothing else of the job)."""

    @property
    def ended(self) -> bool:
        return self.returned.is_set()


class Background(QObject):
    """Keeps the running jobs of one window, and forgets their results when it closes.

    Only the GUI thread holds a job (its function, arguments and callbacks) or the Background itself: a worker
    takes what it runs by token, lets go of it before it reports, and reports through the application's one
    `_Relay`, naming its Background by a weak reference that only the GUI thread resolves. A callback is often
    a widget's method; were the last reference to a widget, or to a parentless Background, dropped on a worker
    thread, the object would be deleted there, and Qt would crash."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, Job] = {}
        self._relay = _Relay.instance()

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
        report = functools.partial(self._relay.report, weakref.ref(self), token, job.returned)
        threading.Thread(target=_work, args=([(fn, args)], report), name=f"latido-worker-{token}", daemon=True).start()
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

    def _deliver(self, token: int, ok: bool, value: Any) -> None:
        """On the GUI thread: hand one outcome to its job's callback, unless nobody wants it any more."""
        job = self._jobs.pop(token, None)
        if job is None or job.dropped:
            return
        callback = job.on_done if ok else job.on_error
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return  # a method of a widget that is gone
        try:
            callback(value)
        except Exception:  # reason: one failing callback must not hold back the others
            sys.excepthook(*sys.exc_info())


class _Relay(QObject):
    """The application's one way back from the workers: an outcome queue and a signal without arguments."""

    _ended = Signal()  # one job has put its outcome on the queue
    _instance: _Relay | None = None

    def __init__(self) -> None:
        super().__init__()
        self._outcomes: queue.SimpleQueue[tuple[weakref.ref[Background], int, bool, Any]] = queue.SimpleQueue()
        self._ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @classmethod
    def instance(cls) -> _Relay:
        """The relay, made on first use by the GUI thread (where Backgrounds are made), where its slot runs."""
        if cls._instance is None or not shiboken6.isValid(cls._instance):
            cls._instance = cls()
        return cls._instance

    def report(
        self, owner: weakref.ref[Background], token: int, returned: threading.Event, ok: bool, value: Any
    ) -> None:
        """On the worker: hand the outcome over and wake the GUI thread."""
        returned.set()
        self._outcomes.put((owner, token, ok, value))
        self._ended.emit()

    @Slot()
    def _deliver(self) -> None:
        """Hand every outcome waiting on the queue to its Background (an earlier signal may have taken this one's)."""
        while True:
            try:
                owner, token, ok, value = self._outcomes.get_nowait()
            except queue.Empty:
                return
            background = owner()
            if background is not None and shiboken6.isValid(background):
                background._deliver(token, ok, value)
            del background  # a parentless Background whose window let go of it goes here, on the GUI thread


def _work(box: list[tuple[Callable[..., Any], tuple[Any, ...]]], report: Callable[[bool, Any], None]) -> None:
    """A worker thread: run the function, drop every reference to what the caller gave, then report."""
    fn, args = box.pop()
    try:
        ok, value = True, fn(*args)
    except BaseException as error:  # reason: every failure goes to the job's error callback
        ok, value = False, error
    del fn, args
    report(ok, value)
