"""Drafting an outreach batch in a worker: a progress bar, Cancel, and Resume after a cancel.

`draft_batch` reports progress from the worker thread; the counts reach the
bar through a queued signal, so the GUI thread only moves the bar. A
cancelled batch keeps every draft already written, and Resume drafts the
customers that are left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop.background import Background
from drafting.outreach import BatchProgress, Brief, create_batch, draft_batch
from drafting.providers.base import CancelToken, Provider
from drafting.providers.choice import choose_provider
from storage.database import Database


def first_line(error: BaseException) -> str:
    """One line a person can read, whatever the exception holds."""
    text = str(error)
    return text.splitlines()[0] if text.strip() else type(error).__name__


class _Relay(QObject):
    """Carries (done, total) from the worker thread to the GUI thread (a queued connection)."""

    progress = Signal(int, int)


class DraftingProgress(QWidget):
    """Creates (or resumes) a batch and drafts it in a worker, showing progress; Cancel stops it between drafts."""

    finished = Signal(int, object)
    """The batch id and its `BatchProgress` (cancelled or complete)."""
    failed = Signal(str)
    """One line saying why drafting could not run."""

    def __init__(self, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.batch_id: int | None = None
        self.result: BatchProgress | None = None
        self._cancel: CancelToken | None = None
        self._relay = _Relay(self)
        self._relay.progress.connect(self._show_progress)

        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Drafting progress"))
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Drafting status"))
        self.cancel_button = QPushButton(self.tr("Cancel drafting"))
        self.cancel_button.setAccessibleName(self.tr("Stop drafting; the drafts written so far are kept"))
        self.cancel_button.setShortcut(QKeySequence("Ctrl+."))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(
        self,
        db: Database,
        *,
        author: str,
        brief: Brief,
        customers: list[int],
        rate_per_hour: int = 0,
        send_after: datetime | None = None,
        window: tuple[int, int] = (9, 20),
    ) -> None:
        """Record a new batch for `customers` and draft it."""
        if self.running:
            return
        progress = self._relay.progress.emit
        cancel = self._begin(len(customers))

        created: list[int] = []

        def job() -> tuple[int, BatchProgress]:
            # Chosen in the worker: it reads the settings file, and the first choice imports the writer.
            provider = choose_provider()
            batch_id = create_batch(
                db,
                author=author,
                brief=brief,
                customers=customers,
                provider=provider.name,
                rate_per_hour=rate_per_hour,
                send_after=send_after,
                window=window,
            )
            created.append(batch_id)
            return batch_id, _draft(db, batch_id, provider, cancel, progress)

        # A batch recorded before drafting failed can still be resumed: keep its id.
        self.background.run(job, on_done=self._done, on_error=lambda error: self._failed(error, created))

    def resume(self, db: Database, batch_id: int) -> None:
        """Draft what a cancelled batch left undrafted."""
        if self.running:
            return
        progress = self._relay.progress.emit
        cancel = self._begin(self.bar.maximum())
        self.background.run(
            lambda: (batch_id, _draft(db, batch_id, choose_provider(), cancel, progress)),
            on_done=self._done,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.status.setText(self.tr("Stopping: the drafts written so far are kept…"))
            self.cancel_button.setEnabled(False)

    def _begin(self, total: int) -> CancelToken:
        self._cancel = CancelToken()
        self.result = None
        self.bar.setRange(0, max(total, 1))
        self.status.setText(self.tr("Drafting…"))
        self.cancel_button.setEnabled(True)
        return self._cancel

    def _show_progress(self, done: int, total: int) -> None:
        if not self.running:
            return  # a late report from a run that already ended
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(self.tr("Drafted {done} of {total}").format(done=done, total=total))

    def _done(self, outcome: tuple[int, BatchProgress]) -> None:
        self._cancel = None
        self.cancel_button.setEnabled(False)
        self.batch_id, self.result = outcome
        result = self.result
        self.bar.setRange(0, max(result.total, 1))
        self.bar.setValue(result.done)
        if result.cancelled:
            self.status.setText(
                self.tr(
                    "Cancelled after {done} of {total}: the drafts so far are kept; Resume drafts the rest."
                ).format(done=result.done, total=result.total)
            )
        elif result.failed:
            self.status.setText(
                self.tr("Drafted {done} of {total}; {failed} could not be written: {reason}").format(
                    done=result.done, total=result.total, failed=len(result.failed), reason=result.failed[0][1]
                )
            )
        else:
            self.status.setText(self.tr("Drafted {done} of {total}").format(done=result.done, total=result.total))
        self.finished.emit(self.batch_id, result)

    def _failed(self, error: BaseException, created: list[int] | None = None) -> None:
        self._cancel = None
        if created:
            self.batch_id = created[0]
        self.cancel_button.setEnabled(False)
        message = first_line(error)
        self.status.setText(self.tr("Could not draft: {error}").format(error=message))
        self.failed.emit(message)

    def shut_down(self) -> None:
        """The window is closing: stop drafting between two drafts."""
        if self._cancel is not None:
            self._cancel.cancel()


def _draft(
    db: Database, batch_id: int, provider: Provider, cancel: CancelToken, progress: Callable[[int, int], None]
) -> BatchProgress:
    return draft_batch(db, batch_id=batch_id, provider=provider, cancel=cancel, progress=progress)


def purpose_label(purpose: str) -> str:
    """A purpose as the pickers name it, in the interface's language."""
    labels = {
        "follow_up": QCoreApplication.translate("Outreach", "Follow-up after a call"),
        "renewal": QCoreApplication.translate("Outreach", "Renewal"),
        "check_in": QCoreApplication.translate("Outreach", "Check-in"),
        "apology": QCoreApplication.translate("Outreach", "Apology"),
        "announcement": QCoreApplication.translate("Outreach", "Announcement"),
    }
    return labels.get(purpose, purpose)


def channel_label(channel: str) -> str:
    labels = {
        "email": QCoreApplication.translate("Outreach", "Email"),
        "dm": QCoreApplication.translate("Outreach", "Direct message"),
    }
    return labels.get(channel, channel)
