"""The team lead's approval history: every approved or rejected draft, its full trail, exports and an audit.

Rows load a page at a time in workers (`storage.history.history_page` keyset
paging), so the window opens as fast on 200,000 approvals as on ten. Selecting
a row loads that draft's trail in a worker and shows the AI draft against the
sent text as a word diff. Customer and model text is only ever inserted as
plain text (labels in PlainText format, `QTextCursor.insertText`), also in
the PDF.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QKeySequence,
    QPageSize,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.commands.history import write_csv, write_json
from desktop.history_dialog import author_label, composed_offline, kind_label, render_diff
from desktop.inbox import channel_name
from desktop.lazy_table import LazyTableModel, rows_view
from desktop.outbox_panel import state_name
from desktop.widgets import decimal, plain_label
from drafting.checks.findings import CODES as FINDING_CODES
from drafting.metrics import DiffOp, word_diff
from storage.chain import Verification, verify
from storage.database import Database
from storage.history import HistoryFilter, HistoryRow, Trail, export_rows, history_count, history_page, item_trail
from storage.models import AuthorKind, Channel

__all__ = ["PAGE", "ApprovalHistoryWindow", "HistoryTableModel", "open_approval_history"]

PAGE = 200
FILTER_AFTER_MS = 250
"""Typing in a filter field reloads once the typing pauses."""
PROGRESS_EVERY = 500


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _load_page(db: Database, flt: HistoryFilter, after: Any) -> list[HistoryRow]:
    with db.session() as s:
        return history_page(s, flt=flt, after=after, limit=PAGE)


def _count(db: Database, flt: HistoryFilter, generation: int) -> tuple[int, int]:
    with db.session() as s:
        return generation, history_count(s, flt=flt)


@dataclass(frozen=True)
class LoadedTrail:
    trail: Trail
    ops: list[DiffOp]
    generation: int


def _load_trail(db: Database, draft_id: int, generation: int) -> LoadedTrail:
    with db.session() as s:
        trail = item_trail(s, draft_id=draft_id)
    return LoadedTrail(trail, word_diff(trail.ai_text, trail.final_text), generation)


def _audit(db: Database) -> Verification:
    with db.session() as s:
        return verify(s)


class ExportCancelled(Exception):
    """The person stopped the export; the partial file was removed."""


class _Progress(QObject):
    """Carries a worker's row count to the GUI thread (a queued signal)."""

    advanced = Signal(int)


@dataclass(frozen=True)
class _ExportJob:
    db: Database
    flt: HistoryFilter
    path: str
    fmt: str
    progress: _Progress
    stop: threading.Event


def _export(job: _ExportJob) -> tuple[str, int]:
    """Write the whole filtered history to `job.path`, through a partial file renamed at the end."""
    db, flt, path, fmt, progress, stop = job.db, job.flt, job.path, job.fmt, job.progress, job.stop
    target = Path(path)
    partial = target.with_name(target.name + ".partial")

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for n, row in enumerate(rows, start=1):
            if stop.is_set():
                raise ExportCancelled
            if n % PROGRESS_EVERY == 0:
                progress.advanced.emit(n)
            yield row

    try:
        with db.session() as s, partial.open("w", encoding="utf-8", newline="") as out:
            rows = counted(export_rows(s, flt=flt))
            count = write_csv(rows, out) if fmt == "csv" else write_json(rows, out)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return path, count


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def _when(value: datetime | None) -> str:
    return "–" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


# -- the table ---------------------------------------------------------------------------------


class HistoryTableModel(LazyTableModel[HistoryFilter, HistoryRow]):
    """The filtered history, newest decision first (or the chosen sort); more pages load as the view scrolls."""

    counted = Signal(int)
    WHEN, DECISION, CUSTOMER, CHANNEL, AUTHOR, APPROVER, EDIT, ESCALATED, DELIVERY = range(9)

    def __init__(self, background: Background, db: Database, parent: QObject | None = None) -> None:
        super().__init__(background, _load_page, page_size=PAGE, query=HistoryFilter(), db=db, parent=parent)
        self.total: int | None = None

    @property
    def flt(self) -> HistoryFilter:
        return self.query

    def set_filter(self, flt: HistoryFilter) -> None:
        """Start over with `flt`; pages of an earlier filter that arrive late are dropped."""
        self.total = None
        self.load(flt)
        self.background.run(_count, self.db, flt, self._generation, on_done=self._counted, on_error=self._error)

    def _counted(self, result: tuple[int, int]) -> None:
        generation, total = result
        if generation == self._generation:
            self.total = total
            self.counted.emit(total)

    def error_text(self, error: BaseException) -> str:
        return _first_line(error)

    def column_titles(self) -> tuple[str, ...]:
        return (
            self.tr("Decided"),
            self.tr("Decision"),
            self.tr("Customer"),
            self.tr("Channel"),
            self.tr("Agent"),
            self.tr("Approver"),
            self.tr("Edit %"),
            self.tr("Escalated"),
            self.tr("Delivery"),
        )

    def decision_label(self, decision: str) -> str:
        return self.tr("Approved") if decision == "approve" else self.tr("Rejected")

    def cell(self, row: HistoryRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.EDIT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            _when(row.decided_at),
            self.decision_label(row.decision),
            f"{row.customer_name} ({row.customer_id})",
            channel_name(row.channel),
            row.author,
            row.approver,
            "–" if row.edit_pct is None else decimal(row.edit_pct),
            self.tr("yes") if row.escalated else "",
            state_name(row.delivery_state),  # "" (never queued) stays ""
        )
        return values[column]


# -- the window --------------------------------------------------------------------------------


def _read_only(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setUndoRedoEnabled(False)
    view.setAccessibleName(name)
    return view


class ApprovalHistoryWindow(QMainWindow):
    """Filters, the history table, the selected draft's trail, exports and the audit."""

    trail_shown = Signal(int)
    """The draft id whose trail is now on screen."""
    exported = Signal(str)
    """The path of a finished export."""
    audited = Signal(bool)

    def __init__(self, db: Database, *, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.background = Background(self)
        self.trail: Trail | None = None
        self.ops: list[DiffOp] = []
        self._trail_generation = 0
        self._stop = threading.Event()
        self._progress = _Progress(self)
        self._progress.advanced.connect(self._advanced)
        self._file_dialog: QFileDialog | None = None

        self.setWindowTitle(self.tr("Approval history"))
        self.setAccessibleName(self.tr("Approval history"))
        self.resize(1200, 760)

        self.model = HistoryTableModel(self.background, db, self)
        self.model.loaded.connect(self._loaded)
        self.model.counted.connect(self._counted)
        self.model.failed.connect(self._failed)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self._filter_bar())
        splitter = QSplitter()
        splitter.addWidget(self._table())
        splitter.addWidget(self._trail_pane())
        splitter.setSizes([620, 580])
        layout.addWidget(splitter, 1)
        layout.addLayout(self._actions())
        self.setCentralWidget(central)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_AFTER_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.apply_filter()

    # -- building -----------------------------------------------------------------------

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(self._filter_changed)
        return edit

    def _choice(self, name: str, items: list[tuple[str, Any]]) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        for text, value in items:
            box.addItem(text, value)
        box.currentIndexChanged.connect(self._filter_changed)
        return box

    def _date(self, name: str, check_text: str) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(check_text)
        check.setAccessibleName(name)
        edit = QDateEdit(QDate.currentDate())
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        check.toggled.connect(self._filter_changed)
        edit.dateChanged.connect(self._filter_changed)
        return check, edit

    def _filter_bar(self) -> QWidget:
        bar = QWidget()
        grid = QGridLayout(bar)
        grid.setContentsMargins(0, 0, 0, 0)
        self.text_edit = self._line(self.tr("Search the sent text"), self.tr("Search the sent text…"))
        self.agent_edit = self._line(self.tr("Agent"), self.tr("Agent (user name)"))
        self.approver_edit = self._line(self.tr("Approver"), self.tr("Approver (user name)"))
        self.customer_edit = self._line(self.tr("Customer"), self.tr("Customer id or name"))
        any_text = self.tr("Any")
        self.channel_box = self._choice(
            self.tr("Channel"), [(self.tr("Any channel"), None)] + [(channel_name(c.value), c.value) for c in Channel]
        )
        yes_no = [(any_text, None), (self.tr("Yes"), True), (self.tr("No"), False)]
        self.escalated_box = self._choice(self.tr("Escalated"), yes_no)
        self.commitments_box = self._choice(self.tr("Had commitments"), yes_no)
        self.finding_box = self._choice(
            self.tr("Finding overridden"), [(self.tr("Any finding"), None)] + [(c, c) for c in FINDING_CODES]
        )
        self.sort_box = self._choice(
            self.tr("Sort"),
            [
                (self.tr("Newest first"), "approved_at"),
                (self.tr("Oldest first"), "approved_at_asc"),
                (self.tr("Most edited first"), "edit_pct"),
                (self.tr("Least edited first"), "edit_pct_asc"),
                (self.tr("Customer"), "customer"),
            ],
        )
        self.from_check, self.from_edit = self._date(self.tr("Decided from"), self.tr("&From"))
        self.to_check, self.to_edit = self._date(self.tr("Decided until"), self.tr("&Until"))
        self.edit_min = QDoubleSpinBox()
        self.edit_max = QDoubleSpinBox()
        for spin, name, value in (
            (self.edit_min, self.tr("Edit % at least"), 0.0),
            (self.edit_max, self.tr("Edit % at most"), 100.0),
        ):
            spin.setRange(0.0, 100.0)
            spin.setDecimals(0)
            spin.setSuffix(" %")
            spin.setValue(value)
            spin.setAccessibleName(name)
            spin.valueChanged.connect(self._filter_changed)

        form = [
            (self.tr("&Search:"), self.text_edit),
            (self.tr("A&gent:"), self.agent_edit),
            (self.tr("A&pprover:"), self.approver_edit),
            (self.tr("Cus&tomer:"), self.customer_edit),
            (self.tr("C&hannel:"), self.channel_box),
            (self.tr("&Escalated:"), self.escalated_box),
            (self.tr("Co&mmitments:"), self.commitments_box),
            (self.tr("Fi&nding:"), self.finding_box),
            (self.tr("S&ort:"), self.sort_box),
            (self.tr("Edit % fro&m:"), self.edit_min),
            (self.tr("Edit % to:"), self.edit_max),
        ]
        for n, (text, widget) in enumerate(form):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, n // 4, (n % 4) * 2)
            grid.addWidget(widget, n // 4, (n % 4) * 2 + 1)
        dates = QHBoxLayout()
        for widget in (self.from_check, self.from_edit, self.to_check, self.to_edit):
            dates.addWidget(widget)
        grid.addLayout(dates, 2, 6, 1, 2)
        return bar

    def _table(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = rows_view(self.model, self.tr("Approved and rejected drafts"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryTableModel.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = plain_label(self.tr("Rows found"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        return box

    def _trail_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label(self.tr("Selected draft"))
        self.diff = _read_only(self.tr("AI draft compared with the sent text"))
        self.diff.setPlaceholderText(self.tr("Select a row to see its trail."))
        self.revisions = QTreeWidget()
        self.revisions.setAccessibleName(self.tr("Revisions"))
        self.revisions.setHeaderLabels(
            [self.tr("#"), self.tr("Kind"), self.tr("Author"), self.tr("When"), self.tr("Hash")]
        )
        self.revisions.setRootIsDecorated(False)
        self.details = _read_only(self.tr("Approvals, findings, commitments and delivery"))
        self.snapshot_toggle = QToolButton()
        self.snapshot_toggle.setText(self.tr("Context the AI used"))
        self.snapshot_toggle.setAccessibleName(self.tr("Show the context the AI used"))
        self.snapshot_toggle.setCheckable(True)
        self.snapshot_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.snapshot_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.snapshot_toggle.setShortcut(QKeySequence("Alt+C"))
        self.snapshot = _read_only(self.tr("Context snapshot"))
        self.snapshot.hide()
        self.snapshot_toggle.toggled.connect(self._toggle_snapshot)
        form = QFormLayout()
        form.addRow(self.heading)
        layout.addLayout(form)
        self.diff_title = QLabel(self.tr("AI draft → sent text"))
        layout.addWidget(self.diff_title)
        layout.addWidget(self.diff, 3)
        layout.addWidget(self.revisions, 2)
        layout.addWidget(self.details, 3)
        layout.addWidget(self.snapshot_toggle)
        layout.addWidget(self.snapshot, 2)
        return pane

    def _button(self, text: str, shortcut: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setShortcut(QKeySequence(shortcut))
        button.setAccessibleName(name)
        button.setToolTip(f"{name} ({shortcut})")
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.csv_button = self._button(self.tr("Export CSV…"), "Ctrl+E", self.tr("Export CSV"), self.ask_export_csv)
        self.json_button = self._button(
            self.tr("Export JSON…"), "Ctrl+Shift+E", self.tr("Export JSON"), self.ask_export_json
        )
        self.pdf_button = self._button(
            self.tr("Export PDF…"), "Ctrl+P", self.tr("Export the selected trail as PDF"), self.ask_export_pdf
        )
        self.pdf_button.setEnabled(False)
        self.audit_button = self._button(self.tr("Audit"), "Ctrl+Shift+A", self.tr("Audit"), self.run_audit)
        self.cancel_button = self._button(self.tr("Cancel export"), "Esc", self.tr("Cancel export"), self._stop.set)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.progress.hide()
        self.status = plain_label(self.tr("Status"))
        for widget in (self.csv_button, self.json_button, self.pdf_button, self.audit_button):
            row.addWidget(widget)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.status, 1)
        return row

    # -- filters ------------------------------------------------------------------------

    def current_filter(self) -> HistoryFilter:
        """What the filter bar says, as a HistoryFilter."""

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        def day(edit: QDateEdit, check: QCheckBox, *, after: int = 0) -> datetime | None:
            if not check.isChecked():
                return None
            local = datetime.combine(edit.date().toPython() + timedelta(days=after), time())  # type: ignore[operator]  # toPython gives a date
            return local.astimezone().astimezone(UTC)

        low, high = self.edit_min.value(), self.edit_max.value()
        return HistoryFilter(
            agent=text(self.agent_edit),
            approver=text(self.approver_edit),
            channel=self.channel_box.currentData(),
            customer=text(self.customer_edit),
            date_from=day(self.from_edit, self.from_check),
            date_to=day(self.to_edit, self.to_check, after=1),
            escalated=self.escalated_box.currentData(),
            had_commitments=self.commitments_box.currentData(),
            # The full range means "any": rejections have no edit % and would drop out.
            edit_pct_min=low if low > 0 else None,
            edit_pct_max=high if high < 100 else None,
            finding_code=self.finding_box.currentData(),
            text=text(self.text_edit),
            sort=self.sort_box.currentData(),
        )

    def _filter_changed(self, *_args: object) -> None:
        self._filter_timer.start()

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.status.setText(self.tr("Loading…"))
        self.count_label.setText("")
        self.model.set_filter(self.current_filter())

    def _loaded(self) -> None:
        if self.status.text() == self.tr("Loading…"):
            self.status.setText("")
        self._show_count()

    def _counted(self, _total: int) -> None:
        self._show_count()

    def _show_count(self) -> None:
        # The count and the first page arrive in either order; say only what both agree on.
        if self.model.loading:
            return
        shown, total = len(self.model.rows), self.model.total
        if total is None:
            self.count_label.setText(self.tr("{shown} shown").format(shown=shown))
        else:
            self.count_label.setText(self.tr("{shown} shown of {total}").format(shown=shown, total=total))

    def _failed(self, text: str) -> None:
        self.status.setText(self.tr("Could not load the history: {error}").format(error=text))

    # -- the trail ----------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            return
        self._trail_generation += 1
        draft_id = self.model.rows[current.row()].draft_id
        self.background.run(
            _load_trail,
            self.db,
            draft_id,
            self._trail_generation,
            on_done=self._show_trail,
            on_error=self._trail_failed,
        )

    def _trail_failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Could not load the trail: {error}").format(error=_first_line(error)))

    def _toggle_snapshot(self, shown: bool) -> None:
        self.snapshot.setVisible(shown)
        self.snapshot_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def trail_text(self, trail: Trail) -> str:
        """The approvals, overrides, commitments and deliveries of a trail, as plain text."""
        lines = [self.tr("Approvals and reviews")]
        for r in trail.reviews:
            lines.append(
                self.tr(
                    "  {when} {who}: {decision} (revision {seq}) — {fast} after the first draft, {since} after the message arrived"
                ).format(
                    when=_when(r.created_at),
                    who=r.reviewer,
                    decision=r.decision,
                    seq=r.revision_seq,
                    fast=_duration(r.since_first_revision),
                    since=_duration(r.since_received),
                )
            )
            if r.reason:
                lines.append(self.tr("    reason: {reason}").format(reason=r.reason))
            lines.append(self.tr("    hash: {hash}").format(hash=r.content_hash))
        lines.append("")
        lines.append(self.tr("Findings overridden"))
        lines += [f"  {o.code} — {o.by} ({_when(o.at)})" for o in trail.overrides] or [self.tr("  none")]
        lines.append("")
        lines.append(self.tr("Commitments acknowledged"))
        lines += [f"  {c}" for c in trail.commitments] or [self.tr("  none")]
        lines.append("")
        lines.append(self.tr("Delivery"))
        for d in trail.deliveries:
            lines.append(
                self.tr("  {state} via {transport} to {to}; sent {sent}; attempts {n}").format(
                    state=state_name(d.state),
                    transport=d.transport,
                    to=d.recipients,
                    sent=_when(d.sent_at),
                    n=d.attempts,
                )
            )
            if d.message_id:
                lines.append(self.tr("  Message-ID: {id}").format(id=d.message_id))
            if d.last_error:
                lines.append(self.tr("  last error: {error}").format(error=d.last_error))
        if not trail.deliveries:
            lines.append(self.tr("  nothing was queued"))
        return "\n".join(lines)

    @staticmethod
    def _first_draft(trail: Trail, ai: str, composed: str, person: str) -> str:
        """What the first draft was: by a model (`ai`), by the offline composer (`composed`, never called AI),
        or by a person (`person`: no machine version, as on an escalated item written by hand)."""
        first = next((r for r in trail.revisions if r.author_kind == AuthorKind.AI.value), None)
        if first is None:
            return person
        return composed if composed_offline(first) else ai

    def _show_trail(self, loaded: LoadedTrail) -> None:
        if loaded.generation != self._trail_generation:
            return
        trail = self.trail = loaded.trail
        self.ops = loaded.ops
        self.heading.setText(
            self.tr("Draft {draft} · {customer} ({cid}) · {channel} · by {author}").format(
                draft=trail.draft_id,
                customer=trail.customer_name,
                cid=trail.customer_id,
                channel=channel_name(trail.channel),
                author=trail.author or "–",
            )
        )
        render_diff(self.diff, trail.ai_text, trail.final_text, loaded.ops)
        self.diff_title.setText(
            self._first_draft(
                trail,
                self.tr("AI draft → sent text"),
                self.tr("Composed draft → sent text"),
                self.tr("First draft → sent text"),
            )
        )
        self.revisions.clear()
        for r in trail.revisions:
            item = QTreeWidgetItem([str(r.seq), kind_label(r), author_label(r), _when(r.created_at), r.hash[:12]])
            item.setToolTip(4, r.hash)
            self.revisions.addTopLevelItem(item)
        self.details.setPlainText(self.trail_text(trail))
        self.snapshot.setPlainText("\n\n".join(trail.snapshots) or self.tr("No context snapshot was kept."))
        self.pdf_button.setEnabled(True)
        self.trail_shown.emit(trail.draft_id)

    # -- exports ------------------------------------------------------------------------

    def _ask(self, title: str, name_filter: str, suffix: str, then: Callable[[str], None]) -> None:
        dialog = QFileDialog(self, title)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(f"latido-history.{suffix}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(then)
        self._file_dialog = dialog
        dialog.open()

    def ask_export_csv(self) -> None:
        self._ask(self.tr("Export the history as CSV"), self.tr("CSV files (*.csv)"), "csv", self.export_csv)

    def ask_export_json(self) -> None:
        self._ask(self.tr("Export the history as JSON"), self.tr("JSON files (*.json)"), "json", self.export_json)

    def ask_export_pdf(self) -> None:
        if self.trail is not None:
            self._ask(self.tr("Export this trail as PDF"), self.tr("PDF files (*.pdf)"), "pdf", self.export_pdf)

    def export_csv(self, path: str) -> None:
        self._start_export(path, "csv")

    def export_json(self, path: str) -> None:
        self._start_export(path, "json")

    def _start_export(self, path: str, fmt: str) -> None:
        self._stop.clear()
        total = self.model.total
        self.progress.setRange(0, total if total else 0)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.csv_button.setEnabled(False)
        self.json_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))
        self.background.run(
            _export,
            _ExportJob(self.db, self.model.flt, path, fmt, self._progress, self._stop),
            on_done=self._export_done,
            on_error=self._export_failed,
        )

    def _advanced(self, rows: int) -> None:
        if self.progress.maximum():
            self.progress.setValue(min(rows, self.progress.maximum()))

    def _export_finished(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.csv_button.setEnabled(True)
        self.json_button.setEnabled(True)

    def _export_done(self, result: tuple[str, int]) -> None:
        self._export_finished()
        path, count = result
        self.status.setText(self.tr("Exported {count} rows to {path}").format(count=count, path=path))
        self.exported.emit(path)

    def _export_failed(self, error: BaseException) -> None:
        self._export_finished()
        if isinstance(error, ExportCancelled):
            self.status.setText(self.tr("Export cancelled; no file was written."))
        else:
            self.status.setText(self.tr("Could not export: {error}").format(error=_first_line(error)))

    def trail_document(self, trail: Trail) -> QTextDocument:
        """The trail as a document built with insertText only: nothing from a customer or a model is markup."""
        doc = QTextDocument()
        cursor = QTextCursor(doc)
        plain = QTextCharFormat()
        heading = QTextCharFormat()
        heading.setFontWeight(QFont.Weight.Bold)
        heading.setFontPointSize(13)

        def section(title: str, body: str) -> None:
            cursor.insertBlock()
            cursor.insertText(title, heading)
            cursor.insertBlock()
            cursor.insertText(body, plain)
            cursor.insertBlock()

        cursor.insertText(self.tr("Approval trail of draft {draft}").format(draft=trail.draft_id), heading)
        cursor.insertBlock()
        cursor.insertText(
            self.tr("Customer: {customer} ({cid}) · channel {channel} · agent {author} · exported by {user}").format(
                customer=trail.customer_name,
                cid=trail.customer_id,
                channel=channel_name(trail.channel),
                author=trail.author or "–",
                user=self.user,
            ),
            plain,
        )
        cursor.insertBlock()
        section(self.tr("Message answered"), trail.incoming)
        cursor.insertBlock()
        cursor.insertText(
            self._first_draft(
                trail,
                self.tr("AI draft → sent text (removed struck through, added highlighted)"),
                self.tr("Composed draft → sent text (removed struck through, added highlighted)"),
                self.tr("First draft → sent text (removed struck through, added highlighted)"),
            ),
            heading,
        )
        cursor.insertBlock()
        scratch = QPlainTextEdit()
        render_diff(
            scratch,
            trail.ai_text,
            trail.final_text,
            self.ops if trail is self.trail else word_diff(trail.ai_text, trail.final_text),
        )
        cursor.insertFragment(QTextDocumentFragment(scratch.document()))
        scratch.deleteLater()
        cursor.insertBlock()
        section(
            self._first_draft(trail, self.tr("AI draft"), self.tr("Composed draft"), self.tr("First draft")),
            trail.ai_text,
        )
        section(self.tr("Sent text"), trail.final_text)
        revisions = "\n".join(
            f"{r.seq}. {kind_label(r)} · {author_label(r)} · {_when(r.created_at)} · {r.hash}" for r in trail.revisions
        )
        section(self.tr("Revisions"), revisions)
        section(self.tr("Review"), self.trail_text(trail))
        section(
            self.tr("Context the AI used"), "\n\n".join(trail.snapshots) or self.tr("No context snapshot was kept.")
        )
        return doc

    def export_pdf(self, path: str) -> None:
        if self.trail is None:
            return
        doc = self.trail_document(self.trail)
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setTitle(self.tr("Approval trail of draft {draft}").format(draft=self.trail.draft_id))
        writer.setCreator("Latido")
        doc.print_(writer)
        del writer  # the file is complete once the writer is gone
        self.status.setText(self.tr("Saved the trail to {path}").format(path=path))
        self.exported.emit(path)

    # -- audit --------------------------------------------------------------------------

    def run_audit(self) -> None:
        self.audit_button.setEnabled(False)
        self.status.setText(self.tr("Verifying every chain…"))
        self.background.run(_audit, self.db, on_done=self._audit_done, on_error=self._audit_failed)

    def _audit_done(self, result: Verification) -> None:
        self.audit_button.setEnabled(True)
        counts = ", ".join(f"{n} {table}" for table, n in result.checked.items())
        if result.ok:
            self.status.setText(self.tr("Audit: every chain verified ({counts}).").format(counts=counts))
        else:
            self.status.setText(self.tr("Audit FAILED: first broken link: {link}").format(link=str(result.first)))
        self.audited.emit(result.ok)

    def _audit_failed(self, error: BaseException) -> None:
        self.audit_button.setEnabled(True)
        self.status.setText(self.tr("Could not run the audit: {error}").format(error=_first_line(error)))

    def closeEvent(self, event: Any) -> None:
        self._stop.set()
        self.background.quit_all()
        super().closeEvent(event)


def open_approval_history(parent: QWidget | None, *, database_url: str | None, user: str) -> ApprovalHistoryWindow:
    """Open the approval history window on the database at `database_url` (None: the default one)."""
    window = ApprovalHistoryWindow(Database(database_url), user=user, parent=parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(window.db.dispose)
    window.show()
    return window
