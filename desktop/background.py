"""Run slow work off the GUI thread: a function plus success and failure callbacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from superqt.utils import FunctionWorker, GeneratorWorker


class Background(QObject):
    """Keeps the running workers of one window alive, and quits them when it closes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workers: set[FunctionWorker[Any] | GeneratorWorker[Any, Any, Any]] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> FunctionWorker[Any]:
        # superqt is imported on first use, not with the window: importing it costs more than showing the window.
        from superqt.utils import FunctionWorker, create_worker

        # The error handler is connected at creation: superqt re-raises a worker's exception in the
        # event loop when a worker has none, which would turn a handled failure into a crash.
        worker = create_worker(fn, *args, _start_thread=False, _connect={"returned": on_done, "errored": on_error})
        assert isinstance(worker, FunctionWorker)
        worker.finished.connect(lambda: self._workers.discard(worker))
        self._workers.add(worker)
        worker.start()
        return worker

    @property
    def busy(self) -> bool:
        return bool(self._workers)

    def quit_all(self) -> None:
        for worker in list(self._workers):
            worker.quit()
