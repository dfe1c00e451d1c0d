"""Frontline feedback: an agent attaches a tagged note to an item; a lead reads notes and tags over time.

Notes and tags load in background workers (`storage.feedback`), newest first,
a page at a time. Note text is shown as plain text only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.app import shown_language
from desktop.background import Background
from desktop.lazy_table import LazyTableModel, first_line, rows_view
from desktop.widgets import local_zone
from desktop.windows import open_with_database
from drafting.timeago import relative_time
from storage.database import Database
from storage.feedback import Note, NoteCursor, TagSeries, add_note, known_tags, notes_page, tag_counts_over_time

__all__ = ["FeedbackNoteDialog", "FeedbackWindow", "NotesModel", "add_feedback_note", "open_feedback"]

PAGE = 100
CHART_TAGS = 6
"""The chart draws the most used tags only; the rest would be an unreadable tangle."""
SNIPPET_CHARS = 90


def _tags(db: Database) -> list[str]:
    with db.session() as session:
        return known_tags(session)


# -- adding a note ---------------------------------------------------------------------------------


class FeedbackNoteDialog(QDialog):
    """A tagged note about one item: the note, its tags (completed from the team's tags), Ctrl+Enter saves."""

    saved = Signal(int)
    """The new note's id."""

    def __init__(
        self, background: Background, db: Database, user: str, item_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.background = background
        self.db = db
        self.user = user
        self.item_id = item_id
        self.note: Note | None = None
        self._saving = False
        self.setWindowTitle(self.tr("Add a note"))
        self.setAccessibleName(self.tr("Add a feedback note"))

        about = (
            self.tr("A note about item {item}, for the team leads.").format(item=item_id)
            if item_id is not None
            else self.tr("A note for the team leads.")
        )
        heading = QLabel(about)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.body = QPlainTextEdit()
        self.body.setAccessibleName(self.tr("Note"))
        self.body.setPlaceholderText(self.tr("What are customers telling you? e.g. confused by the new pricing"))
        self.body.setTabChangesFocus(True)
        self.tags = QLineEdit()
        self.tags.setAccessibleName(self.tr("Tags"))
        self.tags.setAccessibleDescription(self.tr("Separate tags with commas; existing tags are offered as you type."))
        self.tags.setPlaceholderText(self.tr("pricing, shipping"))
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.tags)
        self.completer.activated.connect(self._complete_tag)
        self.tags.textEdited.connect(self._offer_tags)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Status"))
        self.message.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save the note"))
        self.save_button.setToolTip(self.tr("Save the note (Ctrl+Enter)"))
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)

        form = QFormLayout()
        note_label = QLabel(self.tr("&Note:"))
        note_label.setBuddy(self.body)
        tags_label = QLabel(self.tr("&Tags:"))
        tags_label.setBuddy(self.tags)
        form.addRow(note_label, self.body)
        form.addRow(tags_label, self.tags)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 320)
        self.body.setFocus()
        self.background.run(_tags, db, on_done=self._tags_loaded, on_error=lambda _e: None)

    def _tags_loaded(self, tags: list[str]) -> None:
        self.completer.model().setStringList(tags)  # type: ignore[attr-defined]  # a QStringListModel

    def _current_segment(self) -> str:
        return self.tags.text().rsplit(",", 1)[-1].strip()

    def _offer_tags(self, _text: str) -> None:
        prefix = self._current_segment()
        if not prefix:
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount():
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _complete_tag(self, tag: str) -> None:
        head = self.tags.text().rsplit(",", 1)
        before = head[0] + ", " if len(head) == 2 else ""
        self.tags.setText(f"{before}{tag}, ")

    def save(self) -> None:
        """Keep the note (in a worker); a refusal is shown here and nothing typed is lost."""
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.message.setText(self.tr("Saving…"))
        self.background.run(
            lambda: add_note(
                self.db,
                author=self.user,
                body=self.body.toPlainText(),
                tags=self.tags.text(),
                work_item_id=self.item_id,
            ),
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, note: Note) -> None:
        self._saving = False
        self.note = note
        self.saved.emit(note.id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.message.setText(self.tr("Not saved: {reason}").format(reason=first_line(error)))


# -- the lead's window -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotesQuery:
    """Which notes the lead's window lists."""

    tag: str | None
    since: datetime


def _page(db: Database, query: NotesQuery, after: NoteCursor | None) -> list[Note]:
    with db.session() as session:
        return notes_page(session, tag=query.tag, since=query.since, limit=PAGE, after=after)


def _series(db: Database, since: datetime, tag: str | None) -> TagSeries:
    with db.session() as session:
        return tag_counts_over_time(session, since=since, tags=[tag] if tag else None, tz=local_zone())


class NotesModel(LazyTableModel[NotesQuery, Note]):
    """Notes newest first; the next page loads as the view scrolls."""

    WHEN, AUTHOR, TAGS, CUSTOMER, NOTE = range(5)

    def __init__(self, background: Background, db: Database, parent: QWidget | None = None) -> None:
        query = NotesQuery(None, datetime.now(UTC) - timedelta(weeks=12))
        super().__init__(background, _page, page_size=PAGE, query=query, db=db, parent=parent)
        self._now = datetime.now(UTC)
        self._lang = shown_language()

    @property
    def tag(self) -> str | None:
        return self.query.tag

    @property
    def since(self) -> datetime:
        return self.query.since

    def reload(self, *, tag: str | None, since: datetime) -> None:
        self.load(NotesQuery(tag, since))

    def about_to_reset(self) -> None:
        self._now = datetime.now(UTC)

    def column_titles(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Author"), self.tr("Tags"), self.tr("Customer"), self.tr("Note"))

    def cell(self, note: Note, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return relative_time(note.created_at, self._now, self._lang)
            if column == self.AUTHOR:
                return note.author
            if column == self.TAGS:
                return ", ".join(note.tags)
            if column == self.CUSTOMER:
                return note.customer_name
            # The standard delegate paints display text as plain text, whatever it contains.
            text = " ".join(note.body.split())
            return text[:SNIPPET_CHARS] + "…" if len(text) > SNIPPET_CHARS else text
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHEN:
            return QLocale().toString(note.created_at.astimezone(), QLocale.FormatType.LongFormat)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("{author}, {when}, tags {tags}: {note}").format(
                author=note.author,
                when=relative_time(note.created_at, self._now, self._lang),
                tags=", ".join(note.tags),
                note=note.body,
            )
        return None


class FeedbackWindow(QDialog):
    """For leads: every note with a tag filter, and how often each tag came up, week by week."""

    PERIODS = (4, 12, 26, 52)
    """Weeks the period picker offers."""

    def __init__(self, background: Background, db: Database, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.db = db
        self.user = user
        self.series: TagSeries | None = None
        self.setWindowTitle(self.tr("Frontline feedback"))
        self.setAccessibleName(self.tr("Frontline feedback"))
        self.resize(1000, 680)

        self.tag_filter = QComboBox()
        self.tag_filter.setAccessibleName(self.tr("Tag"))
        self.tag_filter.addItem(self.tr("All tags"), "")
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for weeks in self.PERIODS:
            self.period.addItem(self.tr("Last {weeks} weeks").format(weeks=weeks), weeks)
        self.period.setCurrentIndex(1)
        tag_label = QLabel(self.tr("&Tag:"))
        tag_label.setBuddy(self.tag_filter)
        period_label = QLabel(self.tr("&Period:"))
        period_label.setBuddy(self.period)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the notes"))
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        self.tag_filter.activated.connect(lambda _i: self.refresh())
        self.period.activated.connect(lambda _i: self.refresh())

        self.model = NotesModel(background, db, self)
        self.model.loaded.connect(self._notes_loaded)
        self.model.failed.connect(self._failed)
        self.table = rows_view(self.model, self.tr("Notes"))
        header = self.table.horizontalHeader()
        for column in (NotesModel.WHEN, NotesModel.AUTHOR, NotesModel.TAGS, NotesModel.CUSTOMER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NotesModel.NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_note)
        self.note_view = QPlainTextEdit()
        self.note_view.setReadOnly(True)
        self.note_view.setAccessibleName(self.tr("Selected note"))
        self.note_view.setMaximumHeight(110)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Notes per tag, by week"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName(self.tr("Tags over time"))
        self.chart_view.setMinimumHeight(220)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Status"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close the feedback window"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(tag_label)
        top.addWidget(self.tag_filter, 1)
        top.addWidget(period_label)
        top.addWidget(self.period)
        top.addWidget(self.refresh_button)
        notes = QWidget()
        notes_layout = QVBoxLayout(notes)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(self.table, 1)
        notes_layout.addWidget(self.note_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(notes)
        splitter.addWidget(self.chart_view)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.table.setFocus()
        self.background.run(_tags, db, on_done=self._tags_loaded, on_error=self._failed_error)
        self.refresh()

    @property
    def since(self) -> datetime:
        return datetime.now(UTC) - timedelta(weeks=int(self.period.currentData()))

    @property
    def tag(self) -> str | None:
        return str(self.tag_filter.currentData()) or None

    def refresh(self) -> None:
        """Reload the notes and the chart for the chosen tag and period."""
        since, tag = self.since, self.tag
        self.status.setText(self.tr("Loading…"))
        self.model.reload(tag=tag, since=since)
        self.background.run(_series, self.db, since, tag, on_done=self._draw, on_error=self._failed_error)

    def _tags_loaded(self, tags: list[str]) -> None:
        current = self.tag
        for tag in tags:
            if self.tag_filter.findData(tag) < 0:
                self.tag_filter.addItem(tag, tag)
        if current:
            self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(current)))

    def _notes_loaded(self) -> None:
        count = len(self.model.rows)
        more = self.tr(" (scroll for more)") if self.model.canFetchMore() else ""
        self.status.setText(self.tr("{count} notes").format(count=count) + more)
        if count and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _show_note(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.rows):
            self.note_view.setPlainText(self.model.rows[current.row()].body)
        else:
            self.note_view.clear()

    def _draw(self, series: TagSeries) -> None:
        self.series = series
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        locale = QLocale()
        categories = [locale.toString(p.date(), QLocale.FormatType.ShortFormat) for p in series.periods]
        x_axis = QBarCategoryAxis()
        x_axis.append(categories)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        highest = max((max(c) for c in series.counts.values()), default=0)
        y_axis.setRange(0, max(1, highest))
        y_axis.setTickCount(min(6, max(2, highest + 1)))
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for tag, counts in list(series.counts.items())[:CHART_TAGS]:
            line = QLineSeries()
            line.setName(tag)
            for x, count in enumerate(counts):
                line.append(x, count)
            self.chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        summary = ", ".join(f"{tag} {series.total(tag)}" for tag in list(series.counts)[:CHART_TAGS])
        self.chart_view.setAccessibleDescription(
            self.tr("Notes per tag in the period: {summary}").format(summary=summary or self.tr("none"))
        )

    def _failed(self, text: str) -> None:
        self.status.setText(self.tr("Could not load the notes: {error}").format(error=text))

    def _failed_error(self, error: BaseException) -> None:
        self._failed(first_line(error))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.background.quit_all()
        super().closeEvent(event)


# -- what the main window calls ------------------------------------------------------------------------


def add_feedback_note(
    parent: QWidget | None, *, database_url: str | None, user: str, item_id: int | None
) -> FeedbackNoteDialog:
    """Reply → Add note… (Ctrl+Shift+N): a window-modal dialog that saves one tagged note about `item_id`."""
    return open_with_database(
        database_url, lambda background, db: FeedbackNoteDialog(background, db, user, item_id, parent), modal=True
    )


def open_feedback(parent: QWidget | None, *, database_url: str | None, user: str) -> FeedbackWindow:
    """Team → Feedback…: the lead's notes-and-tags window (not modal)."""
    return open_with_database(database_url, lambda background, db: FeedbackWindow(background, db, user, parent))
