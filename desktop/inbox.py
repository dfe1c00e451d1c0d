"""The inbox: a lazily loaded list of work items with filters, escalated items on top.

Pages of rows come from `storage.timeline.items_page` in a background worker
(keyset pagination), so a 100,000-item inbox opens as fast as a small one and
scrolling asks for the next page only when it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QIcon, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.lazy_table import LazyTableModel
from desktop.theme import tone
from desktop.widgets import decimal
from storage.location import assets_dir

if TYPE_CHECKING:
    # The inbox is part of the first paint: storage (SQLAlchemy, the models) is imported by the page loader,
    # in the background, not before the window is on screen.
    from storage.database import Database
    from storage.rows import ItemCursor, ItemRow

PAGE = 200
CHANNEL_COLUMN = 2
_ICON_PX = 22
"""The channel icon and the space after it."""
_CELL_PADDING_PX = 16
"""A cell's margins and a little air, so the longest name is not drawn against the next column."""
# Stored values shown to people, marked so lupdate finds them; shown through channel_name() and status_name().
# Keys are storage.models.Channel and ItemStatus values, in their order (tests/desktop/test_cold_start.py checks).
CHANNEL_NAMES = {
    "email": QT_TRANSLATE_NOOP("InboxModel", "email"),
    "comment": QT_TRANSLATE_NOOP("InboxModel", "comment"),
    "dm": QT_TRANSLATE_NOOP("InboxModel", "dm"),
    "call": QT_TRANSLATE_NOOP("InboxModel", "call"),
    "ticket": QT_TRANSLATE_NOOP("InboxModel", "ticket"),
    "chat": QT_TRANSLATE_NOOP("InboxModel", "chat"),
    "note": QT_TRANSLATE_NOOP("InboxModel", "note"),
}
STATUS_NAMES = {
    "new": QT_TRANSLATE_NOOP("InboxModel", "new"),
    "drafting": QT_TRANSLATE_NOOP("InboxModel", "drafting"),
    "waiting_approval": QT_TRANSLATE_NOOP("InboxModel", "waiting approval"),
    "changes_requested": QT_TRANSLATE_NOOP("InboxModel", "changes requested"),
    "approved": QT_TRANSLATE_NOOP("InboxModel", "approved"),
    "sent": QT_TRANSLATE_NOOP("InboxModel", "sent"),
    "closed": QT_TRANSLATE_NOOP("InboxModel", "closed"),
}
_AGE_UNITS = (
    (30 * 86400, QT_TRANSLATE_NOOP("InboxModel", "{n} mo")),
    (86400, QT_TRANSLATE_NOOP("InboxModel", "{n} d")),
    (3600, QT_TRANSLATE_NOOP("InboxModel", "{n} h")),
    (60, QT_TRANSLATE_NOOP("InboxModel", "{n} min")),
)


def channel_name(channel: str) -> str:
    """A channel as the interface names it ('email', 'comment'…, in the interface's language)."""
    return QCoreApplication.translate("InboxModel", CHANNEL_NAMES.get(channel, channel))


def status_name(status: str) -> str:
    """An item status as the interface names it ('waiting approval'…, in the interface's language)."""
    return QCoreApplication.translate("InboxModel", STATUS_NAMES.get(status, status.replace("_", " ")))


def age(when: datetime, now: datetime | None = None) -> str:
    """A short relative age: '5 min', '3 h', '2 d', '4 mo'."""
    seconds = max(0, int(((now or datetime.now(UTC)) - when).total_seconds()))
    for size, unit in _AGE_UNITS:
        if seconds >= size:
            return QCoreApplication.translate("InboxModel", unit).format(n=seconds // size)
    return QCoreApplication.translate("InboxModel", "now")


@dataclass(frozen=True)
class InboxFilter:
    status: str | None = None
    channel: str | None = None
    escalated: bool | None = None
    assignee_id: int | None = None
    search: str | None = None
    oldest_first: bool = False
    """Those waiting longest first (after the escalated ones), instead of newest first."""


def load_page(db: Database, flt: InboxFilter, after: ItemCursor | None = None) -> list[ItemRow]:
    """One page of the inbox for a filter, after a row's cursor (the first page without one). Blocking."""
    from storage.timeline import items_page

    with db.session() as session:
        return items_page(
            session,
            status=flt.status,
            channel=flt.channel,
            escalated=flt.escalated,
            assignee_id=flt.assignee_id,
            search=flt.search,
            after=after,
            limit=PAGE,
            oldest_first=flt.oldest_first,
        )


_ICONS: dict[str, QIcon] = {}


def channel_icon(channel: str) -> QIcon:
    """The channel's SVG icon from assets/icons (crisp at any scale); an empty icon for an unknown channel."""
    icon = _ICONS.get(channel)
    if icon is None:
        path = assets_dir() / "icons" / f"{channel}.svg"
        icon = _ICONS[channel] = QIcon(str(path)) if path.exists() else QIcon()
        if not icon.isNull():
            _add_selected_mode(icon)
    return icon


def _add_selected_mode(icon: QIcon) -> None:
    """The icon in the selection's text colour for selected rows: drawn as it is, it vanished on the highlight."""
    colour = QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText)
    for size in (16, 32):  # 32 for a screen scaled 2x
        pixmap = icon.pixmap(size, size)
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), colour)
        painter.end()
        icon.addPixmap(pixmap, QIcon.Mode.Selected)


class InboxModel(LazyTableModel[InboxFilter, "ItemRow"]):
    """Work items, escalated first; more rows are fetched as the view scrolls."""

    COLUMNS = (
        "",
        QT_TRANSLATE_NOOP("InboxModel", "Customer"),
        QT_TRANSLATE_NOOP("InboxModel", "Channel"),
        QT_TRANSLATE_NOOP("InboxModel", "Message"),
        QT_TRANSLATE_NOOP("InboxModel", "Status"),
        QT_TRANSLATE_NOOP("InboxModel", "Age"),
    )

    def __init__(self, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(background, load_page, page_size=PAGE, query=InboxFilter(), parent=parent)
        self.seen: set[int] = set()
        """Items this person has opened (kept across restarts by the window); the others show in bold."""
        self._more_wanted = False
        """The view asked for the next page before the workspace was open: fetched once it is (`attach`)."""

    def mark_seen(self, item_id: int) -> bool:
        """Count the item as read; True when it was unread until now."""
        if item_id in self.seen:
            return False
        self.seen.add(item_id)
        row = self.row_of(item_id)
        if row is not None:
            self.dataChanged.emit(
                self.index(row, 0), self.index(row, self.columnCount() - 1), [Qt.ItemDataRole.FontRole]
            )
        return True

    @property
    def filter(self) -> InboxFilter:
        return self.query

    # -- loading -------------------------------------------------------------------

    def reload(self, db: Database | None = None, flt: InboxFilter | None = None) -> None:
        """Start over from the first page (after a filter change or new data)."""
        if db is not None:
            self.db = db
        self.load(self.query if flt is None else flt)

    def show_first_page(self, db: Database | None, flt: InboxFilter, rows: list[ItemRow]) -> None:
        """Show a first page loaded elsewhere (with the workspace, or before it opens) as if `reload` had loaded it."""
        self.db, self.query = db, flt
        self._generation += 1
        self._first_page((self._generation, rows))

    def attach(self, db: Database) -> None:
        """Back a first page shown before the workspace opened with its database; fetch more if that was asked for."""
        self.db = db
        if self._more_wanted:
            self._more_wanted = False
            self.fetchMore()

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008  # Qt's default argument
        if self.db is None and not parent.isValid() and self.rows:
            self._more_wanted = True  # the first page came before the workspace: the next one comes after it
            return
        super().fetchMore(parent)

    def row_of(self, item_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == item_id), None)

    # -- what a row shows ---------------------------------------------------------------

    def column_titles(self) -> tuple[str, ...]:
        return tuple(QCoreApplication.translate("InboxModel", name) if name else "" for name in self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if section == CHANNEL_COLUMN and orientation == Qt.Orientation.Horizontal:
            # An icon-wide column: its title is a tooltip and what screen readers say.
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.column_titles()[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return ""
        return super().headerData(section, orientation, role)

    def cell(self, row: ItemRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                "⚑" if row.escalated else ("●" if row.frustration >= 0.5 else ""),
                row.customer_name,
                "",  # the channel shows as its icon, named in the tooltip: the message gets the width
                row.snippet.replace("\n", " "),
                status_name(row.status),
                age(row.received_at),
            )
            return values[column]
        if role == Qt.ItemDataRole.DecorationRole and column == CHANNEL_COLUMN:
            return channel_icon(row.channel)
        if role == Qt.ItemDataRole.ToolTipRole and column == CHANNEL_COLUMN:
            return channel_name(row.channel)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            if row.escalated:
                return self.tr("Escalated — needs a human")
            if row.frustration >= 0.5:
                return self.tr("Frustrated ({score}%)").format(score=decimal(row.frustration * 100, 0))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and (row.escalated or row.frustration >= 0.5):
            return tone("danger") if row.escalated else tone("warning")  # readable on light and dark
        if role == Qt.ItemDataRole.FontRole and row.id not in self.seen:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                f"{row.customer_name}, {channel_name(row.channel)}, {status_name(row.status)}, {age(row.received_at)}"
            )
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class InboxTable(QTableView):
    """The inbox's rows: one selected at a time, no grid; `painted` is emitted after each paint of the rows.

    The window builds the rest of itself once the first page has been painted. Watching the paint here, rather
    than with an event filter on the viewport, keeps `viewport()` off the start-up path: wrapping that widget
    the first time makes PySide create every QtWidgets class it has not created yet (about 10 ms).
    """

    painted = Signal()

    def __init__(self, model: InboxModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Inbox"))
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        # A fixed width for the flag column: sizing it to its contents re-reads every row on each change.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 28)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 180)
        # Status and age fit their longest text in the interface's language (a long Spanish status was cut),
        # measured in bold as unread rows are drawn: no row is read to size them. The message gets the rest.
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        header.setSectionResizeMode(CHANNEL_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(CHANNEL_COLUMN, _ICON_PX + _CELL_PADDING_PX // 2)
        for column, names in (
            (4, [status_name(s) for s in STATUS_NAMES]),
            (5, [QCoreApplication.translate("InboxModel", unit).format(n=59) for _, unit in _AGE_UNITS]),
        ):
            title = str(model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
            widest = max(metrics.horizontalAdvance(text) for text in [*names, title])
            header.resizeSection(column, widest + _CELL_PADDING_PX)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()


class InboxFilterBar(QWidget):
    """Search, channel, status, mine and escalated filters; emits the filter when it changes."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_id: int | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search customers and messages (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        self.channel.addItem(self.tr("All channels"), None)
        for channel in CHANNEL_NAMES:
            if channel not in ("call", "note"):
                self.channel.addItem(channel_name(channel), channel)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("Any status"), None)
        for status in STATUS_NAMES:
            self.status.addItem(status_name(status), status)
        self.mine = QCheckBox(self.tr("&Mine"))
        self.mine.setAccessibleName(self.tr("Only items assigned to me"))
        self.escalated = QCheckBox(self.tr("&Escalated"))
        self.escalated.setAccessibleName(self.tr("Only escalated items"))
        self.sort = QComboBox()
        self.sort.setAccessibleName(self.tr("Sort"))
        self.sort.addItem(self.tr("Newest first"), False)
        self.sort.addItem(self.tr("Waiting longest first"), True)
        # Search gets a line of its own: beside four filters it was cut to a few letters.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        row = QHBoxLayout()
        for widget in (self.channel, self.status, self.sort, self.mine, self.escalated):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.channel.currentIndexChanged.connect(self._emit)
        self.status.currentIndexChanged.connect(self._emit)
        self.sort.currentIndexChanged.connect(self._emit)
        self.mine.toggled.connect(self._emit)
        self.escalated.toggled.connect(self._emit)

    def current(self) -> InboxFilter:
        text = self.search.text().strip()
        return replace(
            InboxFilter(),
            status=self.status.currentData(),
            channel=self.channel.currentData(),
            escalated=True if self.escalated.isChecked() else None,
            assignee_id=self.user_id if self.mine.isChecked() else None,
            search=text or None,
            oldest_first=bool(self.sort.currentData()),
        )

    def _emit(self) -> None:
        self.changed.emit(self.current())
