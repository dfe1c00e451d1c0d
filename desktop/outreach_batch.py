"""The outreach batch builder: pick customers by filter or by hand, write a brief, draft one message each.

The filter fields build a filter expression (`plan=Pro language=es
last_contact<2026-10-01 …`) that can also be typed directly; a bad one gets a
one-line error and keeps everything else as it was. Matching customers load
in a worker into a preview list, each with a box to leave them out. "Draft N
messages" drafts in a worker with a progress bar and Cancel; a cancelled
batch keeps its drafts and Resume finishes it. Then the review queue opens.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.app import shown_language
from desktop.background import Background
from desktop.outreach_progress import DraftingProgress, channel_label, first_line, purpose_label
from desktop.outreach_review import ReviewQueue, open_review
from desktop.widgets import choice_box
from drafting.outreach import CHANNELS, PURPOSES, BatchProgress, Brief, CustomerPick, parse_filter, select_customers
from drafting.timeago import relative_time
from storage.database import Database

PREVIEW_AFTER_MS = 250
"""Typing in a filter field waits this long before the preview reloads."""


def _load_preview(db: Database, expr: str, generation: int) -> tuple[int, list[CustomerPick]]:
    with db.session() as session:
        return generation, select_customers(session, filter_expr=expr)


def _quoted(value: str) -> str:
    """A filter value, quoted when it holds spaces or quotes."""
    value = value.strip()
    if value and not any(c.isspace() or c == '"' for c in value):
        return value
    return '"' + value.replace('"', "'") + '"'


def build_expression(
    *,
    plan: str = "",
    owner: str = "",
    language: str = "",
    tag: str = "",
    before: QDate | None = None,
    after: QDate | None = None,
    open_issue: bool | None = None,
) -> str:
    """The filter expression the fields describe: every term must hold."""
    terms = []
    if plan.strip():
        terms.append(f"plan={_quoted(plan)}")
    if owner.strip():
        terms.append(f"owner={_quoted(owner)}")
    if language.strip():
        terms.append(f"language={_quoted(language)}")
    if tag.strip():
        terms.append(f"tag={_quoted(tag)}")
    if after is not None:
        terms.append(f"last_contact>{after.toString(Qt.DateFormat.ISODate)}")
    if before is not None:
        terms.append(f"last_contact<{before.toString(Qt.DateFormat.ISODate)}")
    if open_issue is not None:
        terms.append(f"open_issue={'yes' if open_issue else 'no'}")
    return " ".join(terms)


class OutreachBatchDialog(QDialog):
    """Build a batch: who it is for, what it says, when it may go out; then draft it."""

    def __init__(self, database_url: str | None, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_url = database_url
        self.user = user
        self.db = Database(database_url)
        self.background = Background(self)
        self.review: ReviewQueue | None = None
        self.picks: list[CustomerPick] = []
        self.left_out: set[int] = set()
        """Customers the person unticked by hand; they stay out when the filter changes."""
        self.loading = False
        self._generation = 0
        self._closed = False
        self._filling = False
        self._lang = shown_language()
        self.setWindowTitle(self.tr("New outreach batch"))
        self.setAccessibleName(self.tr("New outreach batch"))
        self.resize(1100, 720)

        # -- who ---------------------------------------------------------------------------------
        self.plan = self._choice(self.tr("Plan"))
        self.owner = self._choice(self.tr("Owner"))
        self.language = self._choice(self.tr("Language"))
        self.tag = QLineEdit()
        self.tag.setAccessibleName(self.tr("Tag"))
        self.tag.textEdited.connect(self._fields_changed)
        self.after_on = QCheckBox(self.tr("Last contact &after"))
        self.after = self._date(self.tr("Last contact after"), self.after_on)
        self.before_on = QCheckBox(self.tr("Last contact &before"))
        self.before = self._date(self.tr("Last contact before"), self.before_on)
        self.open_issue = QComboBox()
        self.open_issue.setAccessibleName(self.tr("Has an open issue"))
        self.open_issue.addItem(self.tr("Any"), None)
        self.open_issue.addItem(self.tr("Yes"), True)
        self.open_issue.addItem(self.tr("No"), False)
        self.open_issue.currentIndexChanged.connect(self._fields_changed)
        self.expression = QLineEdit()
        self.expression.setAccessibleName(self.tr("Filter expression"))
        self.expression.setPlaceholderText(self.tr("e.g. plan=Pro language=es last_contact<2026-10-01 open_issue=yes"))
        self.expression.textEdited.connect(self._expression_edited)
        self.filter_error = QLabel()
        self.filter_error.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_error.setStyleSheet("color: #c62828;")
        self.filter_error.setAccessibleName(self.tr("Filter problem"))
        filters = QFormLayout()
        filters.addRow(self.tr("&Plan:"), self.plan)
        filters.addRow(self.tr("&Owner:"), self.owner)
        filters.addRow(self.tr("&Language:"), self.language)
        filters.addRow(self.tr("&Tag:"), self.tag)
        filters.addRow(self.after_on, self.after)
        filters.addRow(self.before_on, self.before)
        filters.addRow(self.tr("Open &issue:"), self.open_issue)
        filters.addRow(self.tr("E&xpression:"), self.expression)
        filters.addRow(self.filter_error)
        for label_field in (self.plan, self.owner, self.language, self.tag, self.open_issue, self.expression):
            label = filters.labelForField(label_field)
            if isinstance(label, QLabel):
                label.setBuddy(label_field)

        self.preview = QListWidget()
        self.preview.setAccessibleName(self.tr("Matching customers (Space ticks or unticks one)"))
        self.preview.itemChanged.connect(self._item_changed)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setAccessibleName(self.tr("How many customers are picked"))
        self.all_button = QPushButton(self.tr("Tic&k all"))
        self.all_button.setAccessibleName(self.tr("Pick every matching customer"))
        self.all_button.setAutoDefault(False)
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button = QPushButton(self.tr("Untick all"))
        self.none_button.setAccessibleName(self.tr("Pick no customer (then tick some by hand)"))
        self.none_button.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.none_button.setAutoDefault(False)
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        who = QGroupBox(self.tr("Who"))
        who_layout = QVBoxLayout(who)
        who_layout.addLayout(filters)
        who_layout.addWidget(self.preview, 1)
        ticks = QHBoxLayout()
        ticks.addWidget(self.count, 1)
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        who_layout.addLayout(ticks)

        # -- what and when -------------------------------------------------------------------------
        self.purpose = choice_box(self.tr("Purpose"), PURPOSES, purpose_label)
        self.channel = choice_box(self.tr("Channel"), CHANNELS, channel_label)
        self.brief = QPlainTextEdit()
        self.brief.setAccessibleName(self.tr("Brief"))
        self.brief.setTabChangesFocus(True)
        self.brief.setPlaceholderText(
            self.tr("e.g. tell them about the new pricing; mention what they use most; no discounts")
        )
        self.brief.textChanged.connect(self._update_draft_button)
        self.rate = QSpinBox()
        self.rate.setAccessibleName(self.tr("Messages sent per hour at most (0: no limit)"))
        self.rate.setRange(0, 10_000)
        self.rate.setSpecialValueText(self.tr("no limit"))
        self.rate.setSuffix(self.tr(" per hour"))
        self.scheduled_on = QCheckBox(self.tr("&Send no earlier than"))
        self.scheduled = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.scheduled.setAccessibleName(self.tr("Send no earlier than"))
        self.scheduled.setCalendarPopup(True)
        self.scheduled.setEnabled(False)
        self.scheduled_on.toggled.connect(self.scheduled.setEnabled)
        self.window_start = QSpinBox()
        self.window_start.setAccessibleName(self.tr("Earliest hour in the customer's time zone"))
        self.window_start.setRange(0, 23)
        self.window_start.setValue(9)
        self.window_end = QSpinBox()
        self.window_end.setAccessibleName(self.tr("Latest hour in the customer's time zone"))
        self.window_end.setRange(1, 24)
        self.window_end.setValue(20)
        window = QHBoxLayout()
        window.addWidget(self.window_start)
        window.addWidget(QLabel(self.tr("to")))
        window.addWidget(self.window_end)
        window.addWidget(QLabel(self.tr("h (customer's local time)")))
        window.addStretch(1)
        what = QGroupBox(self.tr("What and when"))
        what_form = QFormLayout(what)
        what_form.addRow(self.tr("P&urpose:"), self.purpose)
        what_form.addRow(self.tr("C&hannel:"), self.channel)
        brief_label = QLabel(self.tr("Brie&f:"))
        brief_label.setBuddy(self.brief)
        what_form.addRow(brief_label, self.brief)
        what_form.addRow(self.tr("&Rate:"), self.rate)
        what_form.addRow(self.scheduled_on, self.scheduled)
        window_label = QLabel(self.tr("Local &window:"))
        window_label.setBuddy(self.window_start)
        what_form.addRow(window_label, window)

        split = QSplitter()
        split.addWidget(who)
        split.addWidget(what)
        split.setSizes([560, 540])

        # -- drafting --------------------------------------------------------------------------------
        self.progress = DraftingProgress(self.background)
        self.progress.finished.connect(self._drafted)
        self.progress.failed.connect(self._drafting_failed)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.draft_button = QPushButton()
        self.draft_button.setAutoDefault(False)
        self.draft_button.setToolTip(self.tr("Ctrl+Enter"))
        self.draft_button.clicked.connect(self.start)
        self.buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.resume_button = QPushButton(self.tr("R&esume"))
        self.resume_button.setAccessibleName(self.tr("Draft the messages a cancel left undrafted"))
        self.resume_button.setAutoDefault(False)
        self.resume_button.hide()
        self.resume_button.clicked.connect(self.resume)
        self.buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.review_button = QPushButton(self.tr("Re&view drafted"))
        self.review_button.setAccessibleName(self.tr("Review the messages drafted so far"))
        self.review_button.setAutoDefault(False)
        self.review_button.hide()
        self.review_button.clicked.connect(self.open_queue)
        self.buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.start)

        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_AFTER_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._choices_filled = False
        self._update_draft_button()
        self.refresh_preview()

    # -- building ----------------------------------------------------------------------------------

    def _choice(self, accessible: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.setAccessibleName(accessible)
        box.addItem("")
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.editTextChanged.connect(self._fields_changed)
        return box

    def _date(self, accessible: str, switch: QCheckBox) -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        switch.toggled.connect(edit.setEnabled)
        switch.toggled.connect(self._fields_changed)
        edit.dateChanged.connect(self._fields_changed)
        return edit

    # -- the filter and its preview ------------------------------------------------------------------

    def fields_expression(self) -> str:
        return build_expression(
            plan=self.plan.currentText(),
            owner=self.owner.currentText(),
            language=self.language.currentText(),
            tag=self.tag.text(),
            before=self.before.date() if self.before_on.isChecked() else None,
            after=self.after.date() if self.after_on.isChecked() else None,
            open_issue=self.open_issue.currentData(),
        )

    def _fields_changed(self, *_args: object) -> None:
        if self._filling:
            return
        self.expression.setText(self.fields_expression())
        self._preview_timer.start()

    def _expression_edited(self, _text: str) -> None:
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        """Check the expression at once (a bad one says why in one line), then load the matches in a worker."""
        self._preview_timer.stop()
        expr = self.expression.text().strip()
        try:
            parse_filter(expr)
        except ValueError as error:
            self.filter_error.setText(first_line(error))
            self._update_draft_button()
            return
        self.filter_error.clear()
        self._generation += 1
        self.loading = True
        self.count.setText(self.tr("Looking for customers…"))
        self.background.run(
            _load_preview, self.db, expr, self._generation, on_done=self._previewed, on_error=self._preview_failed
        )

    def _previewed(self, result: tuple[int, list[CustomerPick]]) -> None:
        generation, picks = result
        if self._closed or generation != self._generation:
            return  # the filter changed while this one loaded
        self.loading = False
        if not self._choices_filled:
            self._fill_choices(picks)
        self.picks = picks
        now = datetime.now(UTC)
        self.preview.blockSignals(True)
        self.preview.clear()
        for pick in picks:
            details = [pick.customer_id, pick.language or "—", pick.plan or "—"]
            if pick.last_contact is not None:
                details.append(relative_time(pick.last_contact, now, self._lang))
            if pick.open_issue:
                details.append(self.tr("open issue"))
            item = QListWidgetItem(f"{pick.name} · {' · '.join(details)}")  # item text is painted as plain text
            item.setData(Qt.ItemDataRole.UserRole, pick.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if pick.id in self.left_out else Qt.CheckState.Checked)
            self.preview.addItem(item)
        self.preview.blockSignals(False)
        self._update_draft_button()

    def _fill_choices(self, picks: list[CustomerPick]) -> None:
        """The first, unfiltered load offers the plans, owners and languages there are."""
        self._choices_filled = True
        self._filling = True
        for box, values in (
            (self.plan, {p.plan for p in picks}),
            (self.owner, {p.owner for p in picks}),
            (self.language, {p.language for p in picks}),
        ):
            box.addItems(sorted(v for v in values if v))
        self._filling = False

    def _preview_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self.loading = False
        self.filter_error.setText(first_line(error))
        self._update_draft_button()

    def _item_changed(self, item: QListWidgetItem) -> None:
        customer = int(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            self.left_out.discard(customer)
        else:
            self.left_out.add(customer)
        self._update_draft_button()

    def _tick_all(self, on: bool) -> None:
        self.preview.blockSignals(True)
        for row in range(self.preview.count()):
            item = self.preview.item(row)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.preview.blockSignals(False)
        ids = {p.id for p in self.picks}
        if on:
            self.left_out -= ids
        else:
            self.left_out |= ids
        self._update_draft_button()

    def chosen(self) -> list[int]:
        """The database ids of the customers ticked in the preview, in the order shown."""
        return [p.id for p in self.picks if p.id not in self.left_out]

    def _update_draft_button(self) -> None:
        count = len(self.chosen()) if not self.filter_error.text() else 0
        self.count.setText(self.tr("{chosen} of {shown} customers picked").format(chosen=count, shown=len(self.picks)))
        self.draft_button.setText(self.tr("&Draft {count} messages").format(count=count))
        self.draft_button.setAccessibleName(
            self.tr("Draft one message for each of {count} customers").format(count=count)
        )
        ready = count > 0 and bool(self.brief.toPlainText().strip()) and not self.loading
        self.draft_button.setEnabled(ready and not self.progress.running and self.progress.batch_id is None)

    # -- drafting ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Ctrl+Enter: record the batch and draft one message per picked customer."""
        if not self.draft_button.isEnabled() or self.progress.running:
            return
        if self.window_start.value() >= self.window_end.value():
            self.problem.setText(self.tr("The local window must start before it ends."))
            return
        self.problem.clear()
        send_after: datetime | None = None
        if self.scheduled_on.isChecked():
            chosen = self.scheduled.dateTime().toPython()
            send_after = chosen.astimezone(UTC) if isinstance(chosen, datetime) else None  # local time, kept in UTC
        brief = Brief(
            purpose=str(self.purpose.currentData()),
            text=self.brief.toPlainText().strip(),
            channel=str(self.channel.currentData()),
        )
        self.draft_button.setEnabled(False)
        self.progress.start(
            self.db,
            author=self.user,
            brief=brief,
            customers=self.chosen(),
            rate_per_hour=self.rate.value(),
            send_after=send_after,
            window=(self.window_start.value(), self.window_end.value()),
        )

    def resume(self) -> None:
        if self.progress.batch_id is not None and not self.progress.running:
            self.resume_button.setEnabled(False)
            self.problem.clear()
            self.progress.resume(self.db, self.progress.batch_id)

    def _drafted(self, _batch_id: int, result: BatchProgress) -> None:
        if self._closed:
            return
        unfinished = result.cancelled or result.done < result.total
        self.resume_button.setVisible(unfinished)
        self.resume_button.setEnabled(unfinished)
        self.review_button.setVisible(unfinished and result.done > 0)
        if not unfinished:
            self.open_queue()

    def _drafting_failed(self, message: str) -> None:
        if self._closed:
            return
        self.problem.setText(message)
        if self.progress.batch_id is not None:
            self.resume_button.show()
            self.resume_button.setEnabled(True)
        self._update_draft_button()

    def open_queue(self) -> None:
        """Open the review queue of the batch just drafted, and close the builder."""
        if self.progress.batch_id is None:
            return
        self.review = open_review(
            self.parentWidget(), database_url=self.database_url, user=self.user, batch_id=self.progress.batch_id
        )
        self.accept()

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self._preview_timer.stop()
            self.progress.shut_down()
            self.background.quit_all()
            self.db.dispose()
        super().done(result)


def open_outreach(parent: QWidget | None, *, database_url: str | None, user: str) -> OutreachBatchDialog:
    """Team → New outreach batch… (Ctrl+Shift+B)."""
    dialog = OutreachBatchDialog(database_url, user, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = ["OutreachBatchDialog", "build_expression", "open_outreach"]
