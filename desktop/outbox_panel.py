"""The outbox panel: every message's delivery state, sending in a worker, and a person's decisions.

Uncertain sends wait for a person ("mark as sent" or "send again", recorded with who decided);
manual posts are copied, opened and marked posted by hand (promise 5). Every database or network
call runs in a worker (promise 6); text from messages and servers is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QDesktopServices, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import col, select

from desktop.background import Background
from desktop.inbox import channel_name
from desktop.theme import is_dark
from desktop.transports import NothingConfigured, TransportSetupError, configured_transports
from drafting.delivery.manual import MANUAL, MARKABLE, clipboard_text, comment_link, mark_posted
from drafting.delivery.outbox import (
    Line,
    Report,
    Resolution,
    list_outbox,
    recover_interrupted,
    resolve_uncertain,
    send_pending,
)
from storage.database import Database
from storage.models import Customer, Draft, OutboxMessage, OutboxState

STATE_COLORS = {
    OutboxState.QUEUED.value: QColor("#1f5fa8"),
    OutboxState.SENDING.value: QColor("#a86a00"),
    OutboxState.SENT.value: QColor("#1e7a34"),
    OutboxState.FAILED.value: QColor("#b3261e"),
    OutboxState.UNCERTAIN.value: QColor("#8a3ffc"),
}


@dataclass(frozen=True)
class OutboxRow:
    """One outbox message as the panel shows it (a plain copy, safe to hand between threads)."""

    id: int
    customer: str
    recipients: str
    channel: str
    transport: str
    state: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    sent_by: str
    subject: str
    body: str

    @property
    def manual(self) -> bool:
        return self.transport == MANUAL


@dataclass(frozen=True)
class _Raised:
    error: Exception


def load_outbox(db: Database) -> list[OutboxRow]:
    """The newest outbox rows, after rows left `sending` by a dead process are marked uncertain (never resent)."""
    recover_interrupted(db)
    with db.session() as session:
        rows = list_outbox(session)
        names: dict[int, str] = {}
        if rows:
            stmt = (
                select(Draft.id, Customer.name)
                .join(Customer, col(Customer.id) == col(Draft.customer_id))
                .where(col(Draft.id).in_({r.draft_id for r in rows}))
            )
            names = {int(draft_id or 0): name for draft_id, name in session.exec(stmt).all()}
        return [
            OutboxRow(
                id=int(r.id or 0),
                customer=names.get(r.draft_id, ""),
                recipients=r.recipients,
                channel=r.channel,
                transport=r.transport,
                state=r.state,
                attempts=r.attempts,
                last_error=r.last_error,
                sent_at=r.sent_at,
                sent_by=r.sent_by,
                subject=r.subject,
                body=r.body,
            )
            for r in rows
        ]


def _stored_row(db: Database, outbox_id: int) -> OutboxMessage:
    with db.session() as session:
        row = session.get(OutboxMessage, outbox_id)
        if row is None:
            raise LookupError(f"there is no outbox message {outbox_id}")
        session.expunge(row)
        return row


def approved_text(db: Database, outbox_id: int) -> str:
    """Exactly the approved body of a manual post (refused if it changed after approval)."""
    return clipboard_text(_stored_row(db, outbox_id))


def link_of(db: Database, outbox_id: int) -> str:
    with db.session() as session:
        return comment_link(session, outbox_id=outbox_id)


def send_now(db: Database, on_line: Callable[[Line], None]) -> Report:
    """One pass over what is queued, with the transports the settings describe."""
    return send_pending(db, configured_transports(), once=True, on_line=on_line)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def _one_line(text: str) -> str:
    return " ".join(text.split())


STATE_NAMES = {
    "queued": QT_TRANSLATE_NOOP("OutboxPanel", "queued"),
    "sending": QT_TRANSLATE_NOOP("OutboxPanel", "sending"),
    "sent": QT_TRANSLATE_NOOP("OutboxPanel", "sent"),
    "failed": QT_TRANSLATE_NOOP("OutboxPanel", "failed"),
    "uncertain": QT_TRANSLATE_NOOP("OutboxPanel", "uncertain"),
}


def state_name(state: str) -> str:
    """A delivery state as the interface names it (storage.models.OutboxState values)."""
    return QCoreApplication.translate("OutboxPanel", STATE_NAMES[state]) if state in STATE_NAMES else state


class OutboxModel(QAbstractTableModel):
    ID, CUSTOMER, CHANNEL, TRANSPORT, STATE, ATTEMPTS, ERROR, SENT = range(8)

    def __init__(self, headers: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OutboxRow] = []
        self._headers = headers

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, outbox_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == outbox_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if column == self.STATE and role == Qt.ItemDataRole.ForegroundRole:
            color = STATE_COLORS.get(row.state)
            # The states' colours are dark shades; on a dark background they need their lighter ones.
            return color.lighter(180) if color is not None and is_dark() else color
        if column == self.STATE and role == Qt.ItemDataRole.FontRole and row.state in ("failed", "uncertain"):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: OutboxRow, column: int) -> str:
        if column == self.ID:
            return str(row.id)
        if column == self.CUSTOMER:
            recipients = _one_line(row.recipients)
            return f"{row.customer} ({recipients})" if row.customer and recipients else row.customer or recipients
        if column == self.CHANNEL:
            return channel_name(row.channel)
        if column == self.TRANSPORT:
            return row.transport
        if column == self.STATE:
            return state_name(row.state)
        if column == self.ATTEMPTS:
            return str(row.attempts)
        if column == self.ERROR:
            return "" if row.state == OutboxState.SENT.value else _one_line(row.last_error)
        if column == self.SENT:
            when = _when(row.sent_at)
            return f"{when} — {row.sent_by}" if when and row.sent_by else when
        return ""


class _LineRelay(QObject):
    """Carries progress lines from the sending worker to the GUI thread (emitted there, so queued)."""

    line = Signal(object)


class OutboxPanel(QWidget):
    """The outbox as a table, with Send now and the decisions a person takes on a message."""

    changed = Signal()
    """An action changed the outbox (the main window may want to reload the inbox)."""

    def __init__(self, background: Background, db: Database, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Outbox"))
        self.setAccessibleName(self.tr("Outbox"))
        self.background, self.db, self.user = background, db, user
        self.sending = False
        self.confirmation: QMessageBox | None = None
        self._acting = 0
        self._loads = 0
        self._generation = 0
        self._wanted: int | None = None
        self._relay = _LineRelay(self)
        self._relay.line.connect(self._show_line)

        headers = [
            self.tr("ID"),
            self.tr("Customer / recipients"),
            self.tr("Channel"),
            self.tr("Transport"),
            self.tr("State"),
            self.tr("Attempts"),
            self.tr("Last error"),
            self.tr("Sent"),
        ]
        self.model = OutboxModel(headers, self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Outbox messages"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(OutboxModel.ID, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OutboxModel.ERROR, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Selected message"))
        self.progress = QPlainTextEdit()
        self.progress.setReadOnly(True)
        self.progress.setMaximumBlockCount(500)
        self.progress.setAccessibleName(self.tr("Sending progress"))
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Outbox status"))
        self.status.setWordWrap(True)

        self.refresh_action = self._action(self.tr("Refresh"), QKeySequence("F5"), self.reload)
        self.send_action = self._action(self.tr("Send now"), QKeySequence("Ctrl+Shift+S"), self.send_now)
        self.mark_sent_action = self._action(
            self.tr("Mark as sent…"), QKeySequence("Ctrl+Shift+M"), lambda: self._ask_resolve("mark_sent")
        )
        self.send_again_action = self._action(
            self.tr("Send again…"), QKeySequence("Ctrl+Shift+A"), lambda: self._ask_resolve("send_again")
        )
        self.copy_action = self._action(self.tr("Copy text"), QKeySequence("Ctrl+Shift+C"), self.copy_text)
        self.open_action = self._action(self.tr("Open link"), QKeySequence("Ctrl+Shift+L"), self.open_link)
        self.posted_action = self._action(self.tr("Mark as posted…"), QKeySequence("Ctrl+Shift+P"), self._ask_posted)
        self.buttons: dict[QAction, QToolButton] = {}
        bar = QHBoxLayout()
        for action in (
            self.refresh_action,
            self.send_action,
            self.mark_sent_action,
            self.send_again_action,
            self.copy_action,
            self.open_action,
            self.posted_action,
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.text().rstrip("…"))
            self.buttons[action] = button
            bar.addWidget(button)
        bar.addStretch(1)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.details)
        lower.addWidget(self.progress)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([360, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)
        layout.addWidget(self.status)
        self._update_actions()
        self.reload()

    def _action(self, text: str, key: QKeySequence, slot: Callable[[], None]) -> QAction:
        # No mnemonics: docked, they would clash with the main window's menus; each action has a shortcut instead.
        action = QAction(text, self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- shortcuts: the panel's own keys win while the focus is inside it ------------------------------

    def _shortcut_for(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        for action in self.actions():
            if any(key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch for key in action.shortcuts()):
                return action
        return None

    def event(self, event: QEvent) -> bool:
        # Docked in the main window, F5 would otherwise be ambiguous with the window's own Refresh.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._shortcut_for(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._shortcut_for(event)
        if action is None:
            super().keyPressEvent(event)
            return
        if action.isEnabled():
            action.trigger()
        event.accept()

    # -- loading ------------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.sending or self._acting > 0 or self._loads > 0

    def current(self) -> OutboxRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def select(self, outbox_id: int) -> None:
        """Select a message by id (now, or once the next load has it)."""
        row = self.model.row_of(outbox_id)
        if row is None:
            self._wanted = outbox_id
        else:
            self.table.selectRow(row)

    def reload(self) -> None:
        self._loads += 1
        self._generation += 1
        generation = self._generation
        self.background.run(
            load_outbox,
            self.db,
            on_done=lambda rows: self._loaded(generation, rows),
            on_error=self._load_failed,
        )

    def _loaded(self, generation: int, rows: list[OutboxRow]) -> None:
        self._loads -= 1
        if generation != self._generation:
            return  # an older load, possibly from before the last action: the newest one is shown
        current = self.current()
        keep = self._wanted or (current.id if current else None)
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self._wanted = None
            self.table.selectRow(row)
        self._update_actions()

    def _load_failed(self, error: BaseException) -> None:
        self._loads -= 1
        self._failed(error)

    def _update_actions(self) -> None:
        row = self.current()
        idle = self._acting == 0
        self.send_action.setEnabled(not self.sending)
        uncertain = row is not None and row.state == OutboxState.UNCERTAIN.value
        self.mark_sent_action.setEnabled(idle and uncertain)
        self.send_again_action.setEnabled(idle and uncertain)
        markable = row is not None and row.manual and row.state in MARKABLE
        self.copy_action.setEnabled(markable)
        self.open_action.setEnabled(markable)
        self.posted_action.setEnabled(idle and markable)
        self.details.setPlainText(self._describe(row) if row is not None else "")

    def _describe(self, row: OutboxRow) -> str:
        parts = [self.tr("To: {recipients}").format(recipients=row.recipients)]
        if row.subject:
            parts.append(self.tr("Subject: {subject}").format(subject=row.subject))
        parts += ["", row.body]
        if row.last_error and row.state != OutboxState.SENT.value:
            parts += ["", self.tr("Last error: {error}").format(error=row.last_error)]
        return "\n".join(parts)

    # -- sending ------------------------------------------------------------------------------------------

    def send_now(self) -> None:
        if self.sending:
            return
        self.sending = True
        self._update_actions()
        self.progress.appendPlainText(self.tr("Sending what is queued…"))
        self.background.run(send_now, self.db, self._relay.line.emit, on_done=self._sent, on_error=self._send_failed)

    def _show_line(self, line: Line) -> None:
        detail = _one_line(line.detail)
        text = f"{line.outbox_id}  {line.state}  {_one_line(line.recipients)}"
        self.progress.appendPlainText(f"{text}  {detail}" if detail else text)

    def _sent(self, report: Report) -> None:
        self.sending = False
        counts = {state: report.count(state) for state in ("sent", "retry", "failed", "refused", "uncertain")}
        if not report.lines and not report.recovered:
            text = self.tr("Nothing was due to send.")
        else:
            text = self.tr(
                "{sent} sent, {retry} to retry, {failed} failed, {refused} refused, {uncertain} uncertain"
            ).format(**counts)
            if report.recovered:
                text += self.tr("; {n} left uncertain by an interrupted send").format(n=report.recovered)
        self.progress.appendPlainText(text)
        self._say(text)
        self._update_actions()
        self.reload()
        self.changed.emit()

    def _send_failed(self, error: BaseException) -> None:
        self.sending = False
        if isinstance(error, NothingConfigured):
            text = self.tr(
                "Nothing to send with: set an outgoing mail server (smtp.host and smtp.from) or a webhook URL in Settings."
            )
        elif isinstance(error, TransportSetupError):
            text = _one_line(str(error))
        else:
            text = self._problem(error)
        self.progress.appendPlainText(text)
        self._say(text)
        self._update_actions()
        self.reload()

    # -- a person's decisions -----------------------------------------------------------------------------

    def _confirm(self, title: str, consequence: str, accept_text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(consequence)
        yes = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAccessibleName(title)

        def answered() -> None:
            self.confirmation = None
            if box.clickedButton() is yes:
                on_yes()

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        self.confirmation = box
        box.open()

    def _actor(self) -> str | None:
        if not self.user.strip():
            self._say(self.tr("Who is deciding? Set your user name (user.name) first."))
            return None
        return self.user

    def _ask_resolve(self, decision: Resolution) -> None:
        row = self.current()
        if row is None or row.state != OutboxState.UNCERTAIN.value or self._actor() is None:
            return
        recipients = _one_line(row.recipients)
        if decision == "mark_sent":
            self._confirm(
                self.tr("Mark as sent"),
                self.tr(
                    "Message {id} will be recorded as sent by {user} and never sent again: do this only if {recipients} received it."
                ).format(id=row.id, user=self.user, recipients=recipients),
                self.tr("Mark as sent"),
                lambda: self._resolve(row.id, "mark_sent"),
            )
        else:
            self._confirm(
                self.tr("Send again"),
                self.tr(
                    "Message {id} will be queued to go to {recipients} again, decided by {user}: if the first send arrived, they get it twice."
                ).format(id=row.id, user=self.user, recipients=recipients),
                self.tr("Send again"),
                lambda: self._resolve(row.id, "send_again"),
            )

    def _resolve(self, outbox_id: int, decision: Resolution) -> None:
        db, user = self.db, self.user
        done = (
            self.tr("Message {id} recorded as sent by {user}.")
            if decision == "mark_sent"
            else self.tr("Message {id} queued to send again, decided by {user}.")
        ).format(id=outbox_id, user=user)
        self._act(
            lambda: resolve_uncertain(db, outbox_id=outbox_id, decision=decision, actor=user),
            done,
        )

    def _ask_posted(self) -> None:
        row = self.current()
        if row is None or not row.manual or row.state not in MARKABLE or self._actor() is None:
            return
        db, user, outbox_id = self.db, self.user, row.id
        self._confirm(
            self.tr("Mark as posted"),
            self.tr(
                "Message {id} will be recorded as posted by {user} and leave the outbox: do this only after you posted the reply."
            ).format(id=row.id, user=self.user),
            self.tr("Mark as posted"),
            lambda: self._act(
                lambda: mark_posted(db, outbox_id=outbox_id, actor=user),
                self.tr("Message {id} recorded as posted by {user}.").format(id=outbox_id, user=user),
            ),
        )

    def _act(self, fn: Callable[[], object], done_text: str) -> None:
        self._acting += 1
        self._update_actions()

        def done(_result: object) -> None:
            self._acting -= 1
            self._say(done_text)
            self.reload()
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self._acting -= 1
            self._failed(error)
            self.reload()

        self.background.run(fn, on_done=done, on_error=failed)

    # -- manual posts -------------------------------------------------------------------------------------

    def copy_text(self) -> None:
        row = self.current()
        if row is None or not row.manual:
            return
        outbox_id = row.id

        def copied(text: str) -> None:
            QApplication.clipboard().setText(text)
            self._say(self.tr("The approved text of message {id} is on the clipboard.").format(id=outbox_id))

        self.background.run(approved_text, self.db, outbox_id, on_done=copied, on_error=self._failed)

    def open_link(self) -> None:
        row = self.current()
        if row is None or not row.manual:
            return
        outbox_id = row.id

        def found(link: str) -> None:
            url = QUrl(link)
            if not link or not url.isValid() or url.scheme() not in ("http", "https"):
                self._say(self.tr("Message {id} has no web link to open.").format(id=outbox_id))
                return
            if not QDesktopServices.openUrl(url):
                self._say(self.tr("Could not open a browser for message {id}.").format(id=outbox_id))

        self.background.run(link_of, self.db, outbox_id, on_done=found, on_error=self._failed)

    # -- messages -----------------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _problem(self, error: BaseException) -> str:
        lines = str(error).strip().splitlines()
        return self.tr("Problem: {error}").format(error=lines[0] if lines else type(error).__name__)

    def _failed(self, error: BaseException) -> None:
        self._say(self._problem(error))
        self._update_actions()
