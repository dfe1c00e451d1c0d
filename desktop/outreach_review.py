"""The outreach review queue: one message at a time, read, edited and decided by a person. There is no "approve all".

Each message shows with its customer card, its findings and its sameness
(how much of it the rest of the batch shares), beside the batch's sameness
distribution. Keys: Ctrl+Enter approves the text shown (bound to its hash)
and moves on, E edits, S skips, R rejects with a reason, J/K or the arrows
move between messages. Edits are kept as revisions after a short pause, as in
the draft editor. Every database write runs in a worker, one after another in
the order the person acted, so an approval never overtakes the edit before it.

`open_batch_history` lists past batches for leads: who wrote the brief and
what became of its drafts.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QStackedBarSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import shown_language
from desktop.approval_dialog import ApprovalDialog, ApprovalView, load_approval_view
from desktop.background import Background
from desktop.outreach_progress import channel_label, first_line, purpose_label
from drafting.approval import ApprovalRefused, approve, findings_for, latest_revision, reject
from drafting.checks import Finding, Severity
from drafting.drafts import revise_draft
from drafting.outreach import (
    BatchDraft,
    BatchSummary,
    CustomerPick,
    batch_drafts,
    batch_findings,
    batch_summary,
    list_batches,
    recompute_sameness,
    select_customers,
    skip,
)
from drafting.timeago import relative_time
from storage.database import Database
from storage.hashing import content_hash
from storage.models import Draft

SAVE_AFTER_MS = 800
PENDING = "pending"
SKIPPED = "skipped"
DECIDABLE = (PENDING, SKIPPED)
"""States a person can still approve or reject from; a skipped message was set aside, not decided."""


# -- loading (runs in workers) ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueData:
    """A batch as the queue shows it: its summary, its drafts, and a card for each customer."""

    summary: BatchSummary
    drafts: list[BatchDraft]
    customers: dict[str, CustomerPick]


def load_queue(db: Database, batch_id: int) -> QueueData:
    with db.session() as session:
        summary = batch_summary(session, batch_id=batch_id)
        drafts = batch_drafts(session, batch_id=batch_id)
        ids = sorted({d.customer_id for d in drafts})
        picks = select_customers(session, ids=ids) if ids else []
    return QueueData(summary, drafts, {p.customer_id: p for p in picks})


@dataclass(frozen=True)
class Details:
    """What the queue shows beside one message's current text: the checks' findings, and after an edit its batch's."""

    draft_id: int
    hash: str
    checks: list[Finding]
    rescored: Rescored | None = None


@dataclass(frozen=True)
class Rescored:
    """The batch scored again after an edit: the edited draft's batch findings and sameness, and the new spread."""

    findings: list[Finding]
    sameness: float | None
    summary: BatchSummary


def load_details(db: Database, batch_id: int, draft_id: int, *, rescore: bool = False) -> Details:
    """Every check's findings on the draft's current text (the checks the approval gate runs).

    `rescore` first scores the whole batch again, as after an edit, and adds the draft's batch
    findings (`mass_email`) and the batch summary; just showing a message needs neither, so moving
    through a big batch never reads the whole batch again.
    """
    if rescore:
        recompute_sameness(db, batch_id=batch_id)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        revision = latest_revision(session, draft_id=draft_id)
        if draft is None or revision is None:
            raise LookupError(f"draft {draft_id} has no text yet")
        checks = findings_for(session, draft=draft, revision=revision)
        rescored = None
        if rescore:
            rescored = Rescored(
                batch_findings(session, draft=draft, body=revision.body),
                draft.sameness,
                batch_summary(session, batch_id=batch_id),
            )
    return Details(draft_id, revision.content_hash, checks, rescored)


_SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


def _prepare_approval(db: Database, draft_id: int, *, subject: str, body: str, user: str, shown: str) -> ApprovalView:
    """Keep the text shown as the current revision, then load what the gate will check on it."""
    revise_draft(db, draft_id=draft_id, body=body, subject=subject, author=user)
    view = load_approval_view(db, draft_id)
    if view.content_hash != shown:
        raise ApprovalRefused("the saved text is not the text shown; look at it again before approving")
    return view


# -- one write at a time, in order ----------------------------------------------------------------------


class _Serial:
    """Runs jobs in workers one after another, in the order they were asked for.

    Approve, reject, skip and edits all write to the same draft: running them in order
    means an approval never lands before the edit typed just before it.
    """

    def __init__(self, background: Background) -> None:
        self.background = background
        self._queue: deque[tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]] = deque()
        self._current: threading.Event | None = None

    @property
    def idle(self) -> bool:
        return self._current is None and not self._queue

    def run(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        self._queue.append((fn, on_done, on_error))
        self._next()

    def _next(self) -> None:
        if self._current is not None or not self._queue:
            return
        fn, on_done, on_error = self._queue.popleft()
        ended = threading.Event()
        self._current = ended

        def job() -> Any:
            try:
                return fn()
            finally:
                ended.set()

        self.background.run(
            job,
            on_done=lambda value: self._finish(ended, on_done, value),
            on_error=lambda error: self._finish(ended, on_error, error),
        )

    def _finish(self, ended: threading.Event, callback: Callable[[Any], None], value: Any) -> None:
        if self._current is ended:
            self._current = None
            callback(value)
        self._next()

    def drain(self, timeout: float = 30.0) -> None:
        """On close: let the running job end, then run what is still queued here, so no action is lost."""
        if self._current is not None:
            self._current.wait(timeout)
            self._current = None
        while self._queue:
            fn, on_done, on_error = self._queue.popleft()
            try:
                value = fn()
            except Exception as error:  # reported like a worker's failure; the window is closing
                on_error(error)
            else:
                on_done(value)


# -- the pieces of the queue window -------------------------------------------------------------------


class _Editor(QPlainTextEdit):
    """The message text: plain text only; Esc hands the keys back to the queue.

    Ctrl+Enter needs no special case: a plain-text editor does not claim it, so the queue's
    approve action gets it. (No `event()` override either: every event would enter Python,
    and each entry waits for a busy worker to hand over the GIL.)
    """

    focus_lost = Signal()
    leave = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.leave.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class _Subject(QLineEdit):
    leave = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.leave.emit()
            return
        super().keyPressEvent(event)


class SamenessChart(QChartView):
    """The batch's sameness distribution as bars, with the shown message's bucket in its own colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Sameness distribution of the batch"))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(170)
        self.histogram: list[int] = []
        self.highlighted: int | None = None
        chart = QChart()
        chart.legend().setVisible(False)
        chart.setTitle(self.tr("Sameness across the batch"))
        chart.setMargins(QMargins(4, 4, 4, 4))
        self.setChart(chart)

    def show_histogram(self, histogram: list[int], current: float | None) -> None:
        buckets = len(histogram) or 10
        bucket = None if current is None else min(int(current * buckets), buckets - 1)
        if self.chart().series() and histogram == self.histogram and bucket == self.highlighted:
            return  # the same bars: rebuilding the chart would only cost a repaint
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.histogram = list(histogram)
        self.highlighted = bucket
        others = QBarSet(self.tr("Other drafts"))
        mine = QBarSet(self.tr("This message"))
        others.setColor(QColor("#90a4ae"))
        mine.setColor(QColor("#ef6c00"))
        for index, count in enumerate(histogram):
            own = 1 if index == bucket and count > 0 else 0
            others.append(count - own)
            mine.append(own)
        series = QStackedBarSeries()
        series.append(others)
        series.append(mine)
        chart.addSeries(series)
        step = 100 // buckets
        labels = [f"{i * step}–{(i + 1) * step}%" for i in range(buckets)]
        x_axis = QBarCategoryAxis()
        # Short tick labels fit a narrow panel; the title says what they are.
        x_axis.append([str(i * step) for i in range(buckets)])
        x_axis.setTitleText(self.tr("% shared with the batch (bands of {step})").format(step=step))
        y_axis = QValueAxis()
        top = max([*histogram, 1])
        y_axis.setRange(0, top)
        y_axis.setTickCount(top + 1 if top <= 6 else 5)
        y_axis.setLabelFormat("%d")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        described = ", ".join(f"{label}: {count}" for label, count in zip(labels, histogram, strict=False))
        self.setAccessibleDescription(self.tr("Drafts per sameness bucket: {buckets}").format(buckets=described))


class RejectDialog(QDialog):
    """Reject asks why: the reason is kept in the history and shown to the writer."""

    def __init__(self, customer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reject this message"))
        self.setAccessibleName(self.tr("Reject this message"))
        layout = QVBoxLayout(self)
        prompt = QLabel(self.tr("Why is the message to {customer} rejected?").format(customer=customer))
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("Why? (kept in the history)"))
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.reject_button = self.buttons.addButton(self.tr("Re&ject"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.reject_button.setAccessibleName(self.tr("Reject the message with this reason"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.reject_button.setEnabled(bool(self.reason.text().strip()))

    def accept(self) -> None:
        if self.reason.text().strip():  # Enter in an empty box does nothing
            super().accept()


# -- the queue -------------------------------------------------------------------------------------------


@dataclass
class QueueEntry:
    """One message of the queue as the window knows it (changed on the GUI thread only)."""

    draft: BatchDraft
    state: str
    subject: str
    text: str
    hash: str
    sameness: float | None
    batch_findings: list[Finding]
    """`mass_email`: how the message compares with the rest of its batch."""
    checks: list[Finding] = field(default_factory=list)
    checked: str = ""
    """The hash of the text the checks ran on ("" until they have run)."""

    @property
    def findings(self) -> list[Finding]:
        """Everything found, what blocks approval first."""
        return sorted([*self.batch_findings, *self.checks], key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.start))

    @property
    def decidable(self) -> bool:
        return self.state in DECIDABLE


class ReviewQueue(QDialog):
    """One batch's messages, one at a time; every approval is its own act on the text shown."""

    decided = Signal(int, str)
    """A draft id and what became of it: approved, rejected or skipped."""

    def __init__(self, database_url: str | None, user: str, batch_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = Database(database_url)
        self.user = user
        self.batch_id = batch_id
        self.background = Background(self)
        self._serial = _Serial(self.background)
        self.entries: list[QueueEntry] = []
        self.customers: dict[str, CustomerPick] = {}
        self.summary: BatchSummary | None = None
        self.index = -1
        self.approved_hashes: dict[int, str] = {}
        """Draft id -> the hash each approval in this window bound."""
        self._deciding = False
        self._loading_text = False
        self._closed = False
        self._lang = shown_language()  # the interface's language, for "3 hours ago"
        self.setWindowTitle(self.tr("Review outreach batch {batch}").format(batch=batch_id))
        self.setAccessibleName(self.tr("Outreach review queue"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(1180, 760)

        self.header = self._plain(self.tr("Batch"))
        self.brief = self._plain(self.tr("Brief"))
        self.brief.setStyleSheet("color: palette(mid);")
        self.position = self._plain(self.tr("Position in the queue"))

        self.card = self._plain(self.tr("Customer"))
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setMargin(6)
        self.sameness = self._plain(self.tr("Sameness of this message"))
        self.chart = SamenessChart()

        self.subject = _Subject()
        self.subject.setAccessibleName(self.tr("Subject"))
        self.subject.textEdited.connect(self._on_text_changed)
        self.subject.leave.connect(self.leave_editor)
        self.editor = _Editor()
        self.editor.setAccessibleName(self.tr("Message"))
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.focus_lost.connect(self.save_now)
        self.editor.leave.connect(self.leave_editor)
        self.state = self._plain(self.tr("State of this message"))
        self.findings = QListWidget()
        self.findings.setAccessibleName(self.tr("Findings"))
        self.findings.setWordWrap(True)
        # The arrows and J/K move through the queue; the findings are read, not navigated.
        self.findings.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.findings.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.problem = self._plain(self.tr("Problem"))
        self.problem.setStyleSheet("color: #c62828;")

        self.actions_by_name: dict[str, QAction] = {}
        self.approve_button = self._command(
            "approve",
            self.tr("&Approve && next"),
            self.tr("Approve this exact text and go to the next message"),
            ("Ctrl+Return", "Ctrl+Enter"),
            self.approve_current,
        )
        self.edit_button = self._command(
            "edit", self.tr("&Edit"), self.tr("Edit this message"), ("E",), self.edit_current
        )
        self.skip_button = self._command(
            "skip", self.tr("&Skip"), self.tr("Skip this message for now"), ("S",), self.skip_current
        )
        self.reject_button = self._command(
            "reject", self.tr("&Reject…"), self.tr("Reject this message with a reason"), ("R",), self.reject_current
        )
        # The arrows move too, except while the text is being edited (the editor keeps them then).
        self.previous_button = self._command(
            "previous", self.tr("Previous"), self.tr("Previous message"), ("K", "Left", "Up"), self.previous
        )
        self.next_button = self._command(
            "next", self.tr("Next"), self.tr("Next message"), ("J", "Right", "Down"), self.next
        )
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the review queue"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.card)
        left_layout.addWidget(self.sameness)
        left_layout.addWidget(self.chart, 1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.subject)
        middle_layout.addWidget(self.editor, 1)
        middle_layout.addWidget(self.state)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        findings_title = QLabel(self.tr("Findings"))
        right_layout.addWidget(findings_title)
        right_layout.addWidget(self.findings, 1)
        split = QSplitter()
        for part in (left, middle, right):
            split.addWidget(part)
        split.setSizes([330, 560, 290])
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.edit_button, self.skip_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.previous_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.brief)
        layout.addWidget(self.position)
        layout.addWidget(split, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_AFTER_MS)
        self._save_timer.timeout.connect(self.save_now)
        self._show_nothing(self.tr("Loading the batch…"))
        self.reload()

    # -- building ------------------------------------------------------------------------------

    @staticmethod
    def _plain(accessible: str) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)  # names, briefs and model text are data, never markup
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(accessible)
        return label

    def _command(
        self, name: str, text: str, accessible: str, keys: tuple[str, ...], slot: Callable[[], None]
    ) -> QPushButton:
        """An action of the window with its keys (acting at once, unlike a button's animated click) and its button."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.actions_by_name[name] = action
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        # Enter in the subject line must never press a button by being the dialog's default.
        button.setAutoDefault(False)
        button.setToolTip(", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys))
        button.clicked.connect(action.trigger)
        return button

    # -- loading -----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while something is being written or loaded."""
        return self._deciding or not self._serial.idle or self.background.busy

    @property
    def current(self) -> QueueEntry | None:
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    def reload(self) -> None:
        self.background.run(load_queue, self.db, self.batch_id, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, data: QueueData) -> None:
        if self._closed:
            return
        self.summary = data.summary
        self.customers = data.customers
        self.entries = [
            QueueEntry(d, d.state, d.subject, d.text, d.hash, d.sameness, list(d.findings)) for d in data.drafts
        ]
        summary = data.summary
        self.header.setText(
            self.tr("Batch {batch} · {purpose} · {channel} · brief by {author}").format(
                batch=summary.id,
                purpose=purpose_label(summary.purpose),
                channel=channel_label(summary.channel),
                author=summary.author,
            )
        )
        self.brief.setText(summary.brief)
        if not self.entries:
            self._show_nothing(self.tr("This batch has no drafts yet."))
            return
        first = next((i for i, e in enumerate(self.entries) if e.state == PENDING), 0)
        self.show_index(first)
        self.setFocus()

    # -- showing one message ---------------------------------------------------------------------

    def _show_nothing(self, text: str) -> None:
        self.position.setText(text)
        self.card.setText("")
        self.subject.clear()
        self._loading_text = True
        self.editor.clear()
        self._loading_text = False
        self.subject.setReadOnly(True)
        self.editor.setReadOnly(True)
        self._update_buttons()

    def show_index(self, index: int) -> None:
        """Show the message at `index`, keeping the edit of the one being left."""
        if not 0 <= index < len(self.entries):
            return
        self.save_now()
        self.index = index
        entry = self.entries[index]
        self._loading_text = True
        self.subject.setText(entry.subject)
        self.editor.setPlainText(entry.text)
        self._loading_text = False
        editable = entry.decidable
        # A direct message has no subject line: show one only where the message has or needs one.
        self.subject.setVisible(bool(entry.subject) or (self.summary is not None and self.summary.channel == "email"))
        self.subject.setReadOnly(not editable)
        self.editor.setReadOnly(not editable)
        self.problem.clear()
        self._show_card(entry)
        self._show_findings(entry)
        self._show_sameness(entry)
        self._show_position()
        if entry.checked != content_hash(entry.subject, entry.text):
            self._load_details(entry)

    def _show_card(self, entry: QueueEntry) -> None:
        pick = self.customers.get(entry.draft.customer_id)
        lines = [entry.draft.customer_name, f"{entry.draft.customer_id} · {pick.email if pick else ''}".rstrip(" ·")]
        if pick is not None:
            lines.append(
                self.tr("Language: {language} · Plan: {plan} · Owner: {owner}").format(
                    language=pick.language or "—", plan=pick.plan or "—", owner=pick.owner or "—"
                )
            )
            last = (
                relative_time(pick.last_contact, datetime.now(UTC), self._lang)
                if pick.last_contact is not None
                else self.tr("never")
            )
            lines.append(self.tr("Last contact: {when}").format(when=last))
            lines.append(self.tr("Has an open issue") if pick.open_issue else self.tr("No open issue"))
        else:
            lines.append(self.tr("Language: {language}").format(language=entry.draft.language or "—"))
        self.card.setText("\n".join(lines))

    def _show_findings(self, entry: QueueEntry) -> None:
        self.findings.clear()
        names = {Severity.BLOCK: self.tr("block"), Severity.WARN: self.tr("warn"), Severity.INFO: self.tr("info")}
        for finding in entry.findings:
            severity = names.get(finding.severity, str(finding.severity))
            self.findings.addItem(f"{severity}: {finding.message} {finding.suggestion}".strip())
        if not entry.findings and entry.checked:
            self.findings.addItem(self.tr("No findings"))
        elif not entry.checked:
            self.findings.addItem(self.tr("Checking…"))

    def _show_sameness(self, entry: QueueEntry) -> None:
        if entry.sameness is None:
            self.sameness.setText(self.tr("Sameness: not scored yet"))
        else:
            self.sameness.setText(
                self.tr("Sameness: {pct}% of this message is shared with the rest of the batch").format(
                    pct=round(entry.sameness * 100)
                )
            )
        if self.summary is not None:
            self.chart.show_histogram(self.summary.sameness_histogram, entry.sameness)

    def state_label(self, state: str) -> str:
        labels = {
            PENDING: self.tr("to review"),
            "approved": self.tr("approved: queued for sending"),
            "rejected": self.tr("rejected"),
            SKIPPED: self.tr("skipped: still to decide"),
            "sent": self.tr("sent"),
        }
        return labels.get(state, state)

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for entry in self.entries:
            counted[entry.state] = counted.get(entry.state, 0) + 1
        return counted

    def _show_position(self) -> None:
        entry = self.current
        counted = self.counts()
        self.position.setText(
            self.tr(
                "Message {n} of {total} · {approved} approved, {skipped} skipped, {rejected} rejected, {pending} to review"
            ).format(
                n=self.index + 1,
                total=len(self.entries),
                approved=counted.get("approved", 0) + counted.get("sent", 0),
                skipped=counted.get(SKIPPED, 0),
                rejected=counted.get("rejected", 0),
                pending=counted.get(PENDING, 0),
            )
        )
        self.state.setText(self.state_label(entry.state) if entry is not None else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.current
        decidable = entry is not None and entry.decidable
        enabled = {
            "approve": decidable,
            "edit": decidable,
            "reject": decidable,
            "skip": entry is not None and entry.state == PENDING,
            "previous": self.index > 0,
            "next": 0 <= self.index < len(self.entries) - 1,
        }
        buttons = {
            "approve": self.approve_button,
            "edit": self.edit_button,
            "reject": self.reject_button,
            "skip": self.skip_button,
            "previous": self.previous_button,
            "next": self.next_button,
        }
        for name, on in enabled.items():
            self.actions_by_name[name].setEnabled(on)
            buttons[name].setEnabled(on)

    # -- moving ------------------------------------------------------------------------------------

    def next(self) -> None:
        if not self._deciding and self.index < len(self.entries) - 1:
            self.show_index(self.index + 1)

    def previous(self) -> None:
        if not self._deciding and self.index > 0:
            self.show_index(self.index - 1)

    def _advance(self) -> None:
        """To the next message still to review after this one (wrapping round); all done says so."""
        count = len(self.entries)
        for step in range(1, count + 1):
            candidate = (self.index + step) % count
            if self.entries[candidate].state == PENDING:
                self.show_index(candidate)
                self.setFocus()
                return
        self._show_position()
        self.state.setText(self.state_label(self.entries[self.index].state))
        self.position.setText(self.position.text() + " · " + self.tr("Every message has been decided or skipped."))
        self.setFocus()

    def edit_current(self) -> None:
        entry = self.current
        if entry is None or not entry.decidable or self._deciding:
            return
        self.editor.setFocus()

    def leave_editor(self) -> None:
        """Esc in the text: keep the edit and give the keys back to the queue (S, R, J, K…)."""
        self.save_now()
        self.setFocus()

    # -- keeping edits -------------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        if self._loading_text:
            return
        entry = self.current
        if entry is None or not entry.decidable:
            return
        self._save_timer.start()

    def _take_unsaved(self) -> tuple[QueueEntry, str, str] | None:
        self._save_timer.stop()
        entry = self.current
        if entry is None or not entry.decidable:
            return None
        subject, body = self.subject.text(), self.editor.toPlainText()
        if not body.strip() or content_hash(subject, body) == content_hash(entry.subject, entry.text):
            return None
        entry.subject, entry.text = subject, body
        return entry, subject, body

    def save_now(self) -> None:
        """Keep the shown text as a revision if it changed (in order with every other write)."""
        pending = self._take_unsaved()
        if pending is None:
            return
        entry, subject, body = pending
        db, draft_id, user = self.db, entry.draft.draft_id, self.user
        self._serial.run(
            lambda: revise_draft(db, draft_id=draft_id, body=body, subject=subject, author=user),
            on_done=lambda outcome: self._saved(entry, outcome),
            on_error=self._failed,
        )

    def _saved(self, entry: QueueEntry, outcome: Any) -> None:
        if outcome.content_hash:
            entry.hash = outcome.content_hash
        if self._closed:
            return
        db, batch_id, draft_id = self.db, self.batch_id, entry.draft.draft_id
        self._serial.run(
            lambda: load_details(db, batch_id, draft_id, rescore=True),
            on_done=self._details_loaded,
            on_error=self._failed,
        )

    def _load_details(self, entry: QueueEntry) -> None:
        """Run every check on the shown text in a worker (the first check loads a language model)."""
        self.background.run(
            load_details,
            self.db,
            self.batch_id,
            entry.draft.draft_id,
            on_done=self._details_loaded,
            on_error=self._failed,
        )

    def _details_loaded(self, details: Details) -> None:
        if self._closed:
            return
        entry = next((e for e in self.entries if e.draft.draft_id == details.draft_id), None)
        if entry is None:
            return
        current = details.hash == content_hash(entry.subject, entry.text)  # else a newer save is on its way
        if details.rescored is not None:
            self.summary = details.rescored.summary
            entry.sameness = details.rescored.sameness
            if current:
                entry.batch_findings = details.rescored.findings
        if current:
            entry.checks, entry.checked = details.checks, details.hash
        if entry is self.current:
            self._show_findings(entry)
            self._show_sameness(entry)

    # -- deciding ----------------------------------------------------------------------------------

    def approve_current(self) -> None:
        """Ctrl+Enter: approve exactly the subject and text shown (their hash), then go to the next message."""
        entry = self.current
        if entry is None or not entry.decidable or self._deciding:
            return
        subject, body = self.subject.text(), self.editor.toPlainText()
        if not body.strip():
            self.problem.setText(self.tr("There is no text to approve."))
            return
        self._save_timer.stop()
        shown = content_hash(subject, body)
        entry.subject, entry.text = subject, body
        self._deciding = True
        self.problem.clear()
        db, draft_id, user = self.db, entry.draft.draft_id, self.user
        self._serial.run(
            lambda: _prepare_approval(db, draft_id, subject=subject, body=body, user=user, shown=shown),
            on_done=lambda view: self._confirm(entry, view),
            on_error=self._decision_failed,
        )

    def _confirm(self, entry: QueueEntry, view: ApprovalView) -> None:
        """Approve at once, unless something blocks it or a commitment needs acknowledging (then ask, as for replies)."""
        entry.hash = view.content_hash
        if self._closed:
            return
        needs_dialog = any(f.severity is Severity.BLOCK or f.code == "commitment" for f in view.findings)
        if not needs_dialog:
            self._approve(entry, view.content_hash, [])
            return
        dialog = ApprovalDialog(view, self)
        dialog.changes_button.hide()  # a batch message has no writer to send it back to: edit it, or reject it
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._confirmed(entry, view, dialog))
        dialog.rejected.connect(self._decision_cancelled)
        self.approval_dialog = dialog
        dialog.open()

    def _confirmed(self, entry: QueueEntry, view: ApprovalView, dialog: ApprovalDialog) -> None:
        if dialog.decision == "approve":
            self._approve(entry, view.content_hash, dialog.acknowledged())
        elif dialog.decision == "reject":
            self._reject(entry, dialog.reason)
        else:
            self._decision_cancelled()

    def _decision_cancelled(self) -> None:
        self._deciding = False
        self.setFocus()

    def _approve(self, entry: QueueEntry, shown: str, acknowledged: list[str]) -> None:
        db, draft_id, user = self.db, entry.draft.draft_id, self.user
        self._serial.run(
            lambda: approve(db, draft_id=draft_id, content_hash=shown, approver=user, acknowledged=acknowledged),
            on_done=lambda approval: self._decided(entry, "approved", approval.content_hash),
            on_error=self._decision_failed,
        )

    def skip_current(self) -> None:
        """S: set this message aside without deciding, and go on."""
        entry = self.current
        if entry is None or entry.state != PENDING or self._deciding:
            return
        self.save_now()
        self._deciding = True
        db, draft_id, user = self.db, entry.draft.draft_id, self.user
        self._serial.run(
            lambda: skip(db, draft_id=draft_id, actor=user),
            on_done=lambda _none: self._decided(entry, SKIPPED),
            on_error=self._decision_failed,
        )

    def reject_current(self) -> None:
        """R: ask why, then reject this message and go on."""
        entry = self.current
        if entry is None or not entry.decidable or self._deciding:
            return
        self.save_now()
        self._deciding = True
        dialog = RejectDialog(entry.draft.customer_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._reject(entry, dialog.reason.text().strip()))
        dialog.rejected.connect(self._decision_cancelled)
        self.reject_dialog = dialog
        dialog.open()

    def _reject(self, entry: QueueEntry, reason: str) -> None:
        db, draft_id, user = self.db, entry.draft.draft_id, self.user
        self._serial.run(
            lambda: reject(db, draft_id=draft_id, reviewer=user, reason=reason),
            on_done=lambda _decided: self._decided(entry, "rejected"),
            on_error=self._decision_failed,
        )

    def _decided(self, entry: QueueEntry, state: str, approved_hash: str = "") -> None:
        entry.state = state
        if approved_hash:
            self.approved_hashes[entry.draft.draft_id] = approved_hash
        self._deciding = False
        if self._closed:
            return
        self.decided.emit(entry.draft.draft_id, state)
        if self.current is entry:
            self._advance()
        else:
            self._show_position()

    def _decision_failed(self, error: BaseException) -> None:
        self._deciding = False
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self.problem.setText(self.tr("Problem: {error}").format(error=first_line(error)))

    # -- closing ------------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self.shut_down()
        super().done(result)

    def shut_down(self) -> None:
        """Keep the last edit and finish every queued action before the window goes; later results are ignored."""
        if self._closed:
            return
        self.save_now()
        # Closed first: what drains now only records its outcome, it no longer moves the window on.
        self._closed = True
        self._serial.drain()
        self.background.quit_all()
        self.db.dispose()


def open_review(parent: QWidget | None, *, database_url: str | None, user: str, batch_id: int) -> ReviewQueue:
    """Open the review queue of one batch; it deletes itself when closed."""
    queue = ReviewQueue(database_url, user, batch_id, parent)
    queue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    queue.show()
    return queue


# -- batch history ------------------------------------------------------------------------------------


class BatchHistoryDialog(QDialog):
    """Past batches for leads: who wrote the brief, and how many were approved as drafted, edited, skipped, rejected."""

    COLUMNS = 10

    def __init__(self, database_url: str | None, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_url = database_url
        self.user = user
        self.db = Database(database_url)
        self.background = Background(self)
        self.batches: list[BatchSummary] = []
        self.opened: ReviewQueue | None = None
        self._closed = False
        self.setWindowTitle(self.tr("Outreach batches"))
        self.setAccessibleName(self.tr("Outreach batch history"))
        self.resize(980, 480)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setAccessibleName(self.tr("Outreach batches, newest first (Enter opens the review queue)"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Batch"),
                self.tr("Created"),
                self.tr("Brief by"),
                self.tr("Purpose"),
                self.tr("Messages"),
                self.tr("Approved as drafted"),
                self.tr("Edited"),
                self.tr("Skipped"),
                self.tr("Rejected"),
                self.tr("To review"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(lambda index: self.open_batch(index.row()))
        self.status = self._status_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.open_button = buttons.addButton(self.tr("&Review…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName(self.tr("Open the review queue of the selected batch"))
        self.open_button.setShortcut(QKeySequence("Ctrl+O"))
        self.open_button.clicked.connect(lambda: self.open_batch(self.table.currentRow()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.reload()

    def _status_label(self) -> QLabel:
        label = QLabel(self.tr("Loading…"))
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def reload(self) -> None:
        self.background.run(self._load, self.db, on_done=self._loaded, on_error=self._failed)

    @staticmethod
    def _load(db: Database) -> list[BatchSummary]:
        with db.session() as session:
            return list_batches(session)

    def _loaded(self, batches: list[BatchSummary]) -> None:
        if self._closed:
            return
        self.batches = batches
        self.table.setRowCount(len(batches))
        for row, batch in enumerate(batches):
            values = [
                str(batch.id),
                batch.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                batch.author,
                purpose_label(batch.purpose),
                str(batch.total),
                str(batch.approved_as_drafted),
                str(batch.edited),
                str(batch.skipped),
                str(batch.rejected),
                str(batch.pending),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)  # item text is painted as plain text
                if column == 3:
                    item.setToolTip(batch.brief)
                self.table.setItem(row, column, item)
        self.status.setText(
            self.tr("{count} batches").format(count=len(batches)) if batches else self.tr("No batches yet")
        )
        if batches:
            self.table.selectRow(0)

    def _failed(self, error: BaseException) -> None:
        if not self._closed:
            self.status.setText(self.tr("Problem: {error}").format(error=first_line(error)))

    def open_batch(self, row: int) -> None:
        if 0 <= row < len(self.batches):
            self.opened = open_review(
                self, database_url=self.database_url, user=self.user, batch_id=self.batches[row].id
            )
            self.opened.finished.connect(lambda _result: self.reload())

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self.background.quit_all()
            self.db.dispose()
        super().done(result)


def open_batch_history(parent: QWidget | None, *, database_url: str | None, user: str) -> BatchHistoryDialog:
    """Team → Outreach batches…: every batch with what became of its drafts; Enter reviews one."""
    dialog = BatchHistoryDialog(database_url, user, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = [
    "BatchHistoryDialog",
    "QueueData",
    "QueueEntry",
    "RejectDialog",
    "ReviewQueue",
    "SamenessChart",
    "load_queue",
    "open_batch_history",
    "open_review",
]
