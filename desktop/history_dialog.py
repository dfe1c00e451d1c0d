"""A draft's revision history: every version with who wrote it and when, a word diff between any two, restore.

Revisions load newest first, a page at a time (`storage.timeline.revisions_page`
keyset paging in a background worker), so a draft edited a thousand times
opens as fast as one edited twice. Diffs are computed in a worker too, and
drawn as plain text with character formats: customer and model text is never
turned into markup. Restoring writes a new `restore` revision on top; the
history itself is never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.app import shown_language
from desktop.background import Background
from desktop.lazy_table import LazyTableModel, first_line, rows_view
from desktop.theme import tone
from drafting.composer import OfflineComposer
from drafting.drafts import DraftError, Outcome, revise_draft
from drafting.metrics import DiffOp, word_diff, words
from drafting.timeago import relative_time
from storage.database import Database
from storage.models import AuthorKind, RevisionKind
from storage.timeline import RevisionRow, revisions_page

__all__ = [
    "PAGE",
    "Comparison",
    "HistoryModel",
    "RevisionHistoryDialog",
    "author_label",
    "composed_offline",
    "kind_label",
    "open_history",
    "render_diff",
]

PAGE = 50
"""Revisions per page."""
SNIPPET_CHARS = 80
COMPARE_AFTER_MS = 80
"""Holding an arrow key moves through many rows: compare only where the selection comes to rest."""

# -- loading, comparing and restoring (these run in workers) ------------------------------


def _load_page(db: Database, draft_id: int, before_seq: int | None) -> list[RevisionRow]:
    with db.session() as session:
        return revisions_page(session, draft_id=draft_id, before_seq=before_seq, limit=PAGE)


@dataclass(frozen=True)
class Comparison:
    """Two versions of a draft and the word steps from the older to the newer."""

    older: RevisionRow | None
    """None when the newer one is the draft's first revision (everything in it was added)."""
    newer: RevisionRow
    ops: tuple[DiffOp, ...]

    @property
    def added(self) -> int:
        return sum(len(op.after) for op in self.ops if op.op in ("insert", "replace"))

    @property
    def removed(self) -> int:
        return sum(len(op.before) for op in self.ops if op.op in ("delete", "replace"))


def _compare(
    db: Database, draft_id: int, first: RevisionRow, second: RevisionRow | None, generation: int
) -> tuple[int, Comparison]:
    """Compare two revisions (oldest first), or one with the revision just before it."""
    if second is None:
        newer = first
        with db.session() as session:
            previous = revisions_page(session, draft_id=draft_id, before_seq=first.seq, limit=1)
        older = previous[0] if previous else None
    else:
        older, newer = sorted((first, second), key=lambda r: r.seq)
    ops = word_diff(older.body if older else "", newer.body)
    return generation, Comparison(older, newer, tuple(ops))


@dataclass(frozen=True)
class _Restored:
    outcome: Outcome | None
    """The new revision; None when nothing was written."""
    refusal: str = ""
    """Why the domain refused (an unknown user, a send in flight); empty when the text already was current."""


def _restore(db: Database, draft_id: int, revision: RevisionRow, user: str) -> _Restored:
    """Keep `revision`'s text as a new `restore` revision, unless it already is the current text."""
    with db.session() as session:
        latest = revisions_page(session, draft_id=draft_id, limit=1)
    if latest and latest[0].content_hash == revision.content_hash:
        return _Restored(None)
    try:
        outcome = revise_draft(
            db, draft_id=draft_id, body=revision.body, subject=revision.subject, author=user, kind=RevisionKind.RESTORE
        )
    except DraftError as error:
        # A refusal a person can act on is an answer, not a crash: it is shown in the dialog.
        return _Restored(None, first_line(error))
    return _Restored(outcome)


# -- drawing a diff --------------------------------------------------------------------------


def _spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `text` (as `drafting.metrics.words` counts them) starts and ends.

    Words are found in order; what lies between two of them is only whitespace or
    underscores, which no word starts with, so the next occurrence is the word itself.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for word in words(text):
        start = text.index(word, position)
        position = start + len(word)
        spans.append((start, position))
    return spans


def _format(background: QColor, foreground: QColor, *, strike: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(background)
    fmt.setForeground(foreground)
    # Not by colour alone: removed words are struck through and added ones underlined.
    fmt.setFontStrikeOut(strike)
    fmt.setFontUnderline(not strike)
    return fmt


def render_diff(view: QPlainTextEdit, older: str, newer: str, ops: Sequence[DiffOp]) -> None:
    """Show the newer text with removed words struck through in red and added words in green.

    Text goes in only through `QTextCursor.insertText` with a character format, so
    nothing in it is ever read as markup. The spacing between words is the newer
    text's, and a removed run keeps the spacing it had in the older text.
    """
    old_spans, new_spans = _spans(older), _spans(newer)
    palette = view.palette()  # the diff's shades follow a light or dark theme
    inserted = _format(tone("inserted", palette), tone("inserted_text", palette), strike=False)
    deleted = _format(tone("deleted", palette), tone("deleted_text", palette), strike=True)
    plain = QTextCharFormat()
    view.clear()
    cursor = QTextCursor(view.document())
    cursor.beginEditBlock()
    i = j = 0  # words consumed in the older and the newer text
    old_pos = new_pos = 0  # characters consumed in each
    for op in ops:
        if op.before and op.op != "equal":
            start, end = old_spans[i][0], old_spans[i + len(op.before) - 1][1]
            cursor.insertText(older[old_pos:start], plain)
            cursor.insertText(older[start:end], deleted)
        if op.after:
            start, end = new_spans[j][0], new_spans[j + len(op.after) - 1][1]
            cursor.insertText(newer[new_pos:start], plain)
            cursor.insertText(newer[start:end], plain if op.op == "equal" else inserted)
            new_pos = end
        if op.before:
            old_pos = old_spans[i + len(op.before) - 1][1]
        i += len(op.before)
        j += len(op.after)
    cursor.insertText(newer[new_pos:], plain)
    cursor.endEditBlock()


# -- the list of revisions ---------------------------------------------------------------------


class _Written(Protocol):
    """What a revision says about who wrote it (a RevisionRow, or a TrailRevision in the lead's history)."""

    kind: str
    author_kind: str
    author: str


def composed_offline(row: _Written) -> bool:
    """Written by the offline composer, which stores itself as the machine author named "offline"."""
    return row.author_kind == AuthorKind.AI.value and row.author == OfflineComposer.name


def _say(text: str) -> str:
    return QCoreApplication.translate("HistoryModel", text)


def kind_label(row: _Written) -> str:
    """What kind of version a revision is, as people say it; the offline composer's are never called AI."""
    if composed_offline(row):
        offline = {
            RevisionKind.AI_DRAFT.value: QT_TRANSLATE_NOOP("HistoryModel", "Composed draft"),
            RevisionKind.AI_REWRITE.value: QT_TRANSLATE_NOOP("HistoryModel", "Composed rewrite"),
        }
        if row.kind in offline:
            return _say(offline[row.kind])
    labels = {
        RevisionKind.AI_DRAFT.value: QT_TRANSLATE_NOOP("HistoryModel", "AI draft"),
        RevisionKind.HUMAN_EDIT.value: QT_TRANSLATE_NOOP("HistoryModel", "Edit"),
        RevisionKind.AI_REWRITE.value: QT_TRANSLATE_NOOP("HistoryModel", "AI rewrite"),
        RevisionKind.RESTORE.value: QT_TRANSLATE_NOOP("HistoryModel", "Restore"),
        RevisionKind.APPROVER_EDIT.value: QT_TRANSLATE_NOOP("HistoryModel", "Approver's edit"),
    }
    return _say(labels[row.kind]) if row.kind in labels else row.kind


def author_label(row: _Written) -> str:
    """Who wrote a revision: a person's name, the AI and its source, or the offline composer."""
    if composed_offline(row):
        return _say(QT_TRANSLATE_NOOP("HistoryModel", "offline composer (no AI)"))
    if row.author_kind == AuthorKind.AI.value:
        if row.author:
            return _say(QT_TRANSLATE_NOOP("HistoryModel", "AI ({source})")).format(source=row.author)
        return _say(QT_TRANSLATE_NOOP("HistoryModel", "AI"))
    return row.author


class HistoryModel(LazyTableModel[int, RevisionRow]):
    """One draft's revisions, newest first; older pages are fetched as the view scrolls."""

    SEQ, KIND, AUTHOR, WHEN, TEXT = range(5)

    def __init__(self, background: Background, db: Database, draft_id: int, parent: QWidget | None = None) -> None:
        super().__init__(background, _load_page, page_size=PAGE, query=draft_id, db=db, parent=parent)
        self._now = datetime.now(UTC)
        self._lang = shown_language()

    @property
    def draft_id(self) -> int:
        return self.query

    def reload(self) -> None:
        """Start over from the newest page."""
        self.load(self.draft_id)

    def refresh(self) -> None:
        """Put revisions written since the list loaded on top, keeping the pages already read."""
        if not self.rows:
            self.reload()
            return
        self._restart(self._newer_page)

    def cursor_of(self, row: RevisionRow) -> int:
        return row.seq

    def about_to_reset(self) -> None:
        self._now = datetime.now(UTC)

    def _newer_page(self, result: tuple[int, list[RevisionRow]]) -> None:
        generation, rows = result
        if generation != self._generation:
            return
        top = self.rows[0].seq
        newer = [r for r in rows if r.seq > top]
        if len(newer) == len(rows) and rows:
            # More new revisions than a page holds: the gap cannot be bridged, so start over.
            self._first_page(result)
            return
        self._loading = False
        self._now = datetime.now(UTC)
        if newer:
            self.beginInsertRows(QModelIndex(), 0, len(newer) - 1)
            self.rows[:0] = newer
            self.endInsertRows()
        self.dataChanged.emit(self.index(0, self.WHEN), self.index(len(self.rows) - 1, self.WHEN))
        self.loaded.emit()

    def row_of(self, revision_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == revision_id), None)

    # -- what a row says ---------------------------------------------------------------------

    def kind_label(self, row: RevisionRow) -> str:
        return kind_label(row)

    def author_label(self, row: RevisionRow) -> str:
        return author_label(row)

    def when_label(self, row: RevisionRow) -> str:
        return relative_time(row.created_at, self._now, self._lang)

    # -- its columns -------------------------------------------------------------------------

    def column_titles(self) -> tuple[str, ...]:
        return (self.tr("#"), self.tr("Kind"), self.tr("Author"), self.tr("When"), self.tr("Text"))

    def cell(self, row: RevisionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.SEQ:
                return str(row.seq)
            if column == self.KIND:
                return self.kind_label(row)
            if column == self.AUTHOR:
                return self.author_label(row)
            if column == self.WHEN:
                return self.when_label(row)
            # The standard delegate paints display text as plain text, whatever it contains.
            text = " ".join(row.body.split())
            return text[:SNIPPET_CHARS] + "…" if len(text) > SNIPPET_CHARS else text
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHEN:
            return QLocale().toString(row.created_at.astimezone(), QLocale.FormatType.LongFormat)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("Version {seq}, {kind}, by {author}, {when}").format(
                seq=row.seq, kind=self.kind_label(row), author=self.author_label(row), when=self.when_label(row)
            )
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


# -- the dialog ------------------------------------------------------------------------------------


class RevisionHistoryDialog(QDialog):
    """Every version of one draft; pick one (compared with the one before) or two (Ctrl+click) to see a diff."""

    restored = Signal(str)
    """The content hash of the new `restore` revision."""

    def __init__(
        self, background: Background, db: Database, draft_id: int, user: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.background = background
        self.db = db
        self.draft_id = draft_id
        self.user = user
        self.comparison: Comparison | None = None
        self.restored_text: str | None = None
        """The body of the last restore made here (what the editor should show next)."""
        self._compare_generation = 0
        self._restoring = False
        self._select_newest = True
        self._trimming = False
        self._picked: list[int] = []  # selected revision ids, in the order they were picked

        self.setWindowTitle(self.tr("History of draft {draft}").format(draft=draft_id))
        self.setAccessibleName(self.tr("Revision history"))
        self.resize(1040, 620)

        self.model = HistoryModel(background, db, draft_id, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._load_failed)
        self.table = rows_view(self.model, self.tr("Revisions"), QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAccessibleDescription(
            self.tr(
                "Newest first. Select one version to compare it with the one before; add a second with Ctrl+click, "
                "or move with Ctrl+arrows and press Ctrl+Space."
            )
        )
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        for column in (HistoryModel.SEQ, HistoryModel.KIND, HistoryModel.AUTHOR, HistoryModel.WHEN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # Ctrl+arrows move the focus without selecting: "this version" follows the focus.
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAccessibleName(self.tr("Versions compared"))
        self.subject = QLabel()
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.subject.setAccessibleName(self.tr("Subject change"))
        self.subject.setWordWrap(True)
        self.subject.hide()
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.diff.setUndoRedoEnabled(False)
        self.diff.setAccessibleName(self.tr("Differences"))
        self.diff.setPlaceholderText(self.tr("Select a version to see what changed."))
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName(self.tr("Summary of changes"))

        self.restore_button = QPushButton(self.tr("&Restore this version"))
        self.restore_button.setShortcut(QKeySequence("Alt+R"))
        self.restore_button.setAccessibleName(self.tr("Restore this version"))
        self.restore_button.setAccessibleDescription(
            self.tr("Keeps the selected version's text as a new revision; no revision is removed.")
        )
        self.restore_button.setAutoDefault(False)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Status"))
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close the history"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.subject)
        right_layout.addWidget(self.diff, 1)
        right_layout.addWidget(self.summary)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([560, 480])  # the list fits its columns in Spanish too, with room for the text
        bottom = QHBoxLayout()
        bottom.addWidget(self.restore_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._compare_timer = QTimer(self)
        self._compare_timer.setSingleShot(True)
        self._compare_timer.setInterval(COMPARE_AFTER_MS)
        self._compare_timer.timeout.connect(self._compare_selected)
        self.table.setFocus()
        self.model.reload()

    # -- selection ------------------------------------------------------------------------------

    def selected_rows(self) -> list[RevisionRow]:
        """The selected revisions, newest first."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.rows[r] for r in rows if r < len(self.model.rows)]

    def target(self) -> RevisionRow | None:
        """The version "Restore this version" means: the focused row, when it is selected."""
        current = self.table.currentIndex()
        if not current.isValid() or not self.table.selectionModel().isRowSelected(current.row()):
            return None
        return self.model.rows[current.row()]

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self._trimming:
            return
        gone = {self.model.rows[i.row()].id for i in deselected.indexes() if i.row() < len(self.model.rows)}
        self._picked = [p for p in self._picked if p not in gone]
        for index in selected.indexes():
            if index.column() == 0 and index.row() < len(self.model.rows):
                revision_id = self.model.rows[index.row()].id
                if revision_id not in self._picked:
                    self._picked.append(revision_id)
        self._keep_two()
        self._update_restore()
        self._compare_timer.start()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_restore()

    def _keep_two(self) -> None:
        """A diff has two sides: keep the focused version and the one picked most recently besides it."""
        selection = self.table.selectionModel()
        chosen = [self.model.rows[i.row()].id for i in selection.selectedRows()]
        if len(chosen) <= 2:
            return
        target = self.target()
        keep = [target.id] if target is not None else []
        others = [p for p in reversed(self._picked) if p in chosen and p not in keep]
        keep += others[: 2 - len(keep)]
        self._trimming = True
        try:
            for revision_id in chosen:
                row = self.model.row_of(revision_id)
                if revision_id not in keep and row is not None:
                    selection.select(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.Deselect | QItemSelectionModel.SelectionFlag.Rows,
                    )
        finally:
            self._trimming = False
        self._picked = [p for p in self._picked if p in keep]

    def _update_restore(self) -> None:
        target = self.target()
        self.restore_button.setEnabled(target is not None and not self._restoring)
        if target is not None:
            self.restore_button.setToolTip(
                self.tr("Keep version {seq} as a new revision (Alt+R)").format(seq=target.seq)
            )

    # -- loading ---------------------------------------------------------------------------------

    def _loaded(self) -> None:
        if self._select_newest and self.model.rows:
            self._select_newest = False
            self._picked = []
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollToTop()
        self._update_restore()

    def _load_failed(self, text: str) -> None:
        self.message.setText(self.tr("Could not load the history: {error}").format(error=text))

    # -- comparing ----------------------------------------------------------------------------------

    def _compare_selected(self) -> None:
        chosen = self.selected_rows()
        self._compare_generation += 1
        if not chosen:
            self.comparison = None
            self.heading.clear()
            self.subject.hide()
            self.diff.clear()
            self.summary.clear()
            return
        first = chosen[-1] if len(chosen) == 2 else chosen[0]
        second = chosen[0] if len(chosen) == 2 else None
        self.summary.setText(self.tr("Comparing…"))
        self.background.run(
            _compare,
            self.db,
            self.draft_id,
            first,
            second,
            self._compare_generation,
            on_done=self._show_comparison,
            on_error=self._compare_failed,
        )

    def _show_comparison(self, result: tuple[int, Comparison]) -> None:
        generation, comparison = result
        if generation != self._compare_generation:
            return  # the selection has moved on since
        self.comparison = comparison
        older, newer = comparison.older, comparison.newer
        if older is None:
            self.heading.setText(self.tr("Version {seq}, the first one").format(seq=newer.seq))
        else:
            self.heading.setText(self.tr("From version {old} to version {new}").format(old=older.seq, new=newer.seq))
        if older is not None and older.subject != newer.subject:
            self.subject.setText(self.tr("Subject: “{old}” → “{new}”").format(old=older.subject, new=newer.subject))
            self.subject.show()
        else:
            self.subject.hide()
        render_diff(self.diff, older.body if older else "", newer.body, comparison.ops)
        summary = self._summary(comparison.added, comparison.removed)
        self.summary.setText(summary)
        self.diff.setAccessibleDescription(
            self.tr("{summary}. Added words are underlined on green; removed words are struck through on red.").format(
                summary=summary
            )
        )

    def _summary(self, added: int, removed: int) -> str:
        """ "N words added, M removed", with the singular where a language needs it."""
        added_text = self.tr("1 word added") if added == 1 else self.tr("{count} words added").format(count=added)
        removed_text = self.tr("1 removed") if removed == 1 else self.tr("{count} removed").format(count=removed)
        return self.tr("{added}, {removed}").format(added=added_text, removed=removed_text)

    def _compare_failed(self, error: BaseException) -> None:
        self.summary.setText(self.tr("Could not compare: {error}").format(error=first_line(error)))

    # -- restoring ----------------------------------------------------------------------------------

    def restore_selected(self) -> None:
        """Alt+R: keep the focused version's text as a new `restore` revision."""
        target = self.target()
        if target is None or self._restoring:
            self.message.setText(self.tr("Select the version to restore first."))
            return
        if self.model.rows and self.model.rows[0].content_hash == target.content_hash:
            self.message.setText(
                self.tr("Version {seq} is already the current text: nothing to restore.").format(seq=target.seq)
            )
            return
        self._restoring = True
        self._update_restore()
        self.message.setText(self.tr("Restoring version {seq}…").format(seq=target.seq))
        self.background.run(
            _restore,
            self.db,
            self.draft_id,
            target,
            self.user,
            on_done=self._restore_done,
            on_error=self._restore_failed,
        )

    def _restore_done(self, result: _Restored) -> None:
        self._restoring = False
        outcome = result.outcome
        if result.refusal:
            self._update_restore()
            self.message.setText(self.tr("Could not restore: {error}").format(error=result.refusal))
            return
        if outcome is None or outcome.content_hash is None:
            self._update_restore()
            self.message.setText(self.tr("That version is already the current text: nothing to restore."))
            return
        self.restored_text = outcome.text
        self.message.setText(self.tr("Restored: the text is now a new revision on top."))
        self._select_newest = True
        self.model.refresh()
        self.restored.emit(outcome.content_hash)

    def _restore_failed(self, error: BaseException) -> None:
        self._restoring = False
        self._update_restore()
        self.message.setText(self.tr("Could not restore: {error}").format(error=first_line(error)))


def open_history(
    parent: QWidget | None, background: Background, db: Database, draft_id: int, user: str
) -> RevisionHistoryDialog:
    """Open the history of `draft_id` (window-modal); the dialog deletes itself when it closes."""
    dialog = RevisionHistoryDialog(background, db, draft_id, user, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
