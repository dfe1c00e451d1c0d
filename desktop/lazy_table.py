"""A table model that loads its rows a page at a time in workers, the next page when the view scrolls to it.

A subclass gives a page loader `(db, query, after_cursor) -> rows` (keyset
paging: the first page without a cursor, each next one after the last row's
cursor), names its columns in `column_titles` and says what a cell shows in
`cell`. Loading again drops pages of an earlier query that arrive late.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView

from desktop.background import Background

if TYPE_CHECKING:
    # Storage stays out of the first paint: the inbox is built on this model before the workspace opens.
    from storage.database import Database

__all__ = ["LazyTableModel", "first_line", "rows_view"]

ModelIndex = QModelIndex | QPersistentModelIndex
Q = TypeVar("Q")
R = TypeVar("R")


def first_line(error: BaseException) -> str:
    """An error as one line for a status bar or a label: its first line, or its type when it says nothing."""
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


def _load(
    load_page: Callable[[Database, Q, Any], list[R]], db: Database, query: Q, after: Any, generation: int
) -> tuple[int, list[R]]:
    return generation, load_page(db, query, after)


class LazyTableModel(QAbstractTableModel, Generic[Q, R]):
    """Rows of `query`, a page at a time; `loaded` after each page, `failed` with a one-line reason."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        background: Background,
        load_page: Callable[[Database, Q, Any], list[R]],
        *,
        page_size: int,
        query: Q,
        db: Database | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.background = background
        self.load_page = load_page
        self.page_size = page_size
        """Rows the loader returns for a full page: a shorter page is the last one."""
        self.db = db
        self.query = query
        self.rows: list[R] = []
        self._more = False
        self._loading = False
        self._generation = 0
        self._columns = len(self.column_titles())

    # -- what a subclass says --------------------------------------------------------------------

    def column_titles(self) -> Sequence[str]:
        """Each column's header, in the interface's language."""
        raise NotImplementedError

    def cell(self, row: R, column: int, role: int) -> Any:
        """What `row` shows in `column` for a Qt item data role (None for nothing)."""
        raise NotImplementedError

    def cursor_of(self, row: R) -> Any:
        """Where the page after `row` starts: the row's `cursor`, unless a subclass pages by something else."""
        return attrgetter("cursor")(row)

    def about_to_reset(self) -> None:
        """Called as a first page is about to replace the rows (before views hear of it)."""

    # -- loading ---------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    def load(self, query: Q) -> None:
        """Start over from the first page of `query` (nothing is loaded while there is no database)."""
        self.query = query
        self._restart(self._first_page)

    def _restart(self, on_done: Callable[[tuple[int, list[R]]], None]) -> None:
        """Ask for the first page again, for `on_done`; pages still on their way are dropped when they arrive."""
        if self.db is None:
            return
        self._generation += 1
        self._loading = True
        self._run(None, on_done)

    def _run(self, after: Any, on_done: Callable[[tuple[int, list[R]]], None]) -> None:
        self.background.run(
            _load, self.load_page, self.db, self.query, after, self._generation, on_done=on_done, on_error=self._error
        )

    def _first_page(self, result: tuple[int, list[R]]) -> None:
        generation, rows = result
        if generation != self._generation:
            return  # a newer query is already loading
        self._loading = False
        self.about_to_reset()
        self.beginResetModel()
        self.rows = rows
        self._more = len(rows) == self.page_size
        self.endResetModel()
        self.loaded.emit()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008  # Qt's default argument
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008  # Qt's default argument
        if parent.isValid() or not self.rows or self.db is None or self._loading or not self._more:
            return
        self._loading = True
        self._run(self.cursor_of(self.rows[-1]), self._next_page)

    def _next_page(self, result: tuple[int, list[R]]) -> None:
        generation, rows = result
        if generation != self._generation:
            return
        self._loading = False
        self._more = len(rows) == self.page_size
        if rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()

    def error_text(self, error: BaseException) -> str:
        """How a failed load is reported through `failed`."""
        return first_line(error)

    def _error(self, error: BaseException) -> None:
        self._loading = False
        self.failed.emit(self.error_text(error))

    # -- Qt's table protocol ---------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's default argument
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's default argument
        return 0 if parent.isValid() else self._columns

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = self.column_titles()
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.cell(self.rows[index.row()], index.column(), role)


def rows_view(
    model: QAbstractTableModel,
    name: str,
    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
) -> QTableView:
    """A read-only table of `model` that selects whole rows, one line each; Tab leaves it rather than moving cells."""
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    return table
