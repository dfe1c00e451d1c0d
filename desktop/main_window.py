"""The main window: the inbox on the left, the selected conversation on the right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.draft_editor import DraftEditor
from drafting.context import DraftContext, build_context
from storage import config
from storage.database import Database, open_database
from storage.models import Role, User
from storage.timeline import CustomerContext, ItemDetail, ItemRow, customer_context, item_detail, items_page

ModelIndex = QModelIndex | QPersistentModelIndex


def age(when: datetime, now: datetime | None = None) -> str:
    """A short relative age: '5 min', '3 h', '2 d', '4 mo'."""
    seconds = max(0, int(((now or datetime.now(UTC)) - when).total_seconds()))
    for unit, size in (("mo", 30 * 86400), ("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return "now"


class InboxModel(QAbstractTableModel):
    """Work items, escalated first; rows are plain dataclasses loaded in the background."""

    COLUMNS = ("", "Customer", "Channel", "Message", "Status", "Age")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ItemRow] = []

    def set_rows(self, rows: list[ItemRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's default argument
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's default argument
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.COLUMNS[section]) if self.COLUMNS[section] else ""
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                "⚑" if row.escalated else "",
                row.customer_name,
                row.channel,
                row.snippet.replace("\n", " "),
                row.status.replace("_", " "),
                age(row.received_at),
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and row.escalated:
            return self.tr("Escalated — needs a human")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


@dataclass(frozen=True)
class Conversation:
    detail: ItemDetail
    context: CustomerContext
    draft_context: DraftContext


class MainWindow(QMainWindow):
    def __init__(self, *, database_url: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Latido")
        self.resize(1280, 800)
        self._database_url = database_url
        self.db: Database | None = None
        self.background = Background(self)

        self.inbox = InboxModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Inbox"))
        self.table.setModel(self.inbox)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 190)
        header.resizeSection(2, 80)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self.customer_card = QLabel()
        self.customer_card.setTextFormat(Qt.TextFormat.PlainText)
        self.customer_card.setWordWrap(True)
        self.customer_card.setFrameShape(QFrame.Shape.StyledPanel)
        self.customer_card.setAccessibleName(self.tr("Customer"))
        self.timeline = QPlainTextEdit()
        self.timeline.setReadOnly(True)
        self.timeline.setAccessibleName(self.tr("History"))
        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setAccessibleName(self.tr("Incoming message"))

        self.editor = DraftEditor(self.background)
        self.editor.saved.connect(lambda _hash: self.reload())

        right = QWidget()
        layout = QVBoxLayout(right)
        layout.addWidget(self.customer_card)
        layout.addWidget(QLabel(self.tr("Message")))
        layout.addWidget(self.message, 2)
        layout.addWidget(QLabel(self.tr("History across channels")))
        layout.addWidget(self.timeline, 2)
        layout.addWidget(QLabel(self.tr("Reply")))
        layout.addWidget(self.editor, 4)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([700, 580])
        self.setCentralWidget(splitter)

        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.reload)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(refresh)
        menu.addAction(quit_action)

        self.statusBar().showMessage(self.tr("Opening the workspace…"))
        QTimer.singleShot(0, self._open)

    # -- loading ---------------------------------------------------------------

    def _open(self) -> None:
        self.background.run(_open, self._database_url, on_done=self._opened, on_error=self._failed)

    def _opened(self, opened: tuple[Database, str]) -> None:
        self.db, user = opened
        self.editor.db, self.editor.user = self.db, user
        self.reload()

    def reload(self) -> None:
        if self.db is None:
            return
        self.background.run(_load_items, self.db, on_done=self._items_loaded, on_error=self._failed)

    def _items_loaded(self, rows: list[ItemRow]) -> None:
        current = self.table.currentIndex()
        selected = self.inbox.rows[current.row()].id if current.isValid() else None
        self.table.selectionModel().blockSignals(True)  # same item, new data: no need to reload the conversation
        self.inbox.set_rows(rows)
        keep = next((i for i, r in enumerate(rows) if r.id == selected), None)
        if keep is not None:
            self.table.selectRow(keep)
        self.table.selectionModel().blockSignals(False)
        escalated = sum(r.escalated for r in rows)
        assert self.db is not None
        self.statusBar().showMessage(
            self.tr("{count} open items, {escalated} escalated — {db}").format(
                count=len(rows), escalated=escalated, db=self.db.display_url
            )
        )
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.db is None:
            return
        item_id = self.inbox.rows[current.row()].id
        self.background.run(
            _load_conversation, self.db, item_id, on_done=self._show_conversation, on_error=self._failed
        )

    def _show_conversation(self, conversation: Conversation | None) -> None:
        if conversation is None:
            return
        ctx = conversation.context
        c = ctx.customer
        facts = [c.name, " · ".join(x for x in (c.plan, c.language, c.owner and f"owner {c.owner}") if x)]
        self.customer_card.setText("\n".join(f for f in facts if f))
        self.message.setPlainText(conversation.detail.incoming.body)
        detail, dctx = conversation.detail, conversation.draft_context
        revision = detail.draft.revision if detail.draft else None
        self.editor.show_item(
            item_id=detail.item.id,
            draft_id=detail.draft.id if detail.draft else None,
            text=revision.body if revision else "",
            channel=dctx.channel,
            language=dctx.prompt_language,
            max_chars=dctx.rules.max_chars,
        )
        lines = [
            f"{age(i.occurred_at)} ago · {i.channel} {'←' if i.direction == 'in' else '→'} {i.body[:160].replace(chr(10), ' ')}"
            for i in ctx.interactions[:50]
        ]
        self.timeline.setPlainText("\n".join(lines))

    def _failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(
            self.tr("Problem: {error}").format(error=str(error).splitlines()[0] if str(error) else type(error).__name__)
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.stop()
        self.editor.save_blocking()
        self.background.quit_all()
        super().closeEvent(event)


def _open(url: str | None) -> tuple[Database, str]:
    """Open (and migrate) the database, and decide who is working: the user.name setting, else the first agent."""
    from sqlmodel import select

    db = open_database(url)
    user = config.get("user.name")
    if not user:
        with db.session() as session:
            first = session.exec(select(User.name).where(User.role == Role.AGENT.value).order_by(User.id)).first()  # type: ignore[arg-type]  # column
        user = first or ""
    return db, user


def _load_items(db: Database) -> list[ItemRow]:
    with db.session() as session:
        return items_page(session, limit=500)


def _load_conversation(db: Database, item_id: int) -> Conversation | None:
    with db.session() as session:
        detail = item_detail(session, item_id=item_id)
        if detail is None:
            return None
        return Conversation(
            detail=detail,
            context=customer_context(session, customer_id=detail.customer.id, limit=200),
            draft_context=build_context(session, item_id=item_id),
        )
