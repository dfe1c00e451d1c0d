"""New message to one customer: a purpose, the agent's own notes and a channel; drafted as a batch of one.

The draft is written in a worker from the customer's history (as a reply
is), then opens in the review queue, where it is edited, checked and
approved like any other message.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.app import shown_language
from desktop.background import Background
from desktop.outreach_progress import DraftingProgress, channel_label, first_line, purpose_label
from desktop.outreach_review import ReviewQueue, open_review
from desktop.widgets import choice_box
from drafting.outreach import CHANNELS, PURPOSES, BatchProgress, Brief
from drafting.timeago import relative_time
from storage.database import Database
from storage.timeline import CustomerContext, customer_context


def _load_customer(db: Database, customer_id: int) -> CustomerContext:
    with db.session() as session:
        return customer_context(session, customer_id=customer_id, limit=1)


class NewMessageDialog(QDialog):
    """Write a new email or DM to one customer: pick a purpose, add notes, draft (Ctrl+Enter)."""

    def __init__(self, database_url: str | None, user: str, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_url = database_url
        self.user = user
        self.customer_id = customer_id
        self.db = Database(database_url)
        self.background = Background(self)
        self.review: ReviewQueue | None = None
        self.customer: CustomerContext | None = None
        self._closed = False
        self.setWindowTitle(self.tr("New message"))
        self.setAccessibleName(self.tr("New message to a customer"))
        self.resize(560, 480)

        self.card = QLabel(self.tr("Loading the customer…"))
        self.card.setTextFormat(Qt.TextFormat.PlainText)  # a customer's name is data, never markup
        self.card.setWordWrap(True)
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setMargin(6)
        self.card.setAccessibleName(self.tr("Customer"))
        self.purpose = choice_box(self.tr("Purpose"), PURPOSES, purpose_label)
        self.channel = choice_box(self.tr("Channel"), CHANNELS, channel_label)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Your notes for the message"))
        self.notes.setPlaceholderText(
            self.tr("What should it say? e.g. “thank her for the call; the new grinder ships Monday”")
        )
        self.notes.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow(self.tr("&Purpose:"), self.purpose)
        form.addRow(self.tr("C&hannel:"), self.channel)
        notes_label = QLabel(self.tr("&Notes:"))
        notes_label.setBuddy(self.notes)
        form.addRow(notes_label, self.notes)

        self.progress = DraftingProgress(self.background)
        self.progress.finished.connect(self._drafted)
        self.progress.failed.connect(self._drafting_failed)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.draft_button = QPushButton(self.tr("&Draft"))
        self.draft_button.setAccessibleName(self.tr("Draft the message"))
        self.draft_button.setToolTip(self.tr("Ctrl+Enter"))
        self.draft_button.setEnabled(False)
        self.draft_button.clicked.connect(self.start)
        self.buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.resume_button.setAccessibleName(self.tr("Finish drafting the message"))
        self.resume_button.hide()
        self.resume_button.clicked.connect(self.resume)
        self.buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.start)

        layout = QVBoxLayout(self)
        layout.addWidget(self.card)
        layout.addLayout(form, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.background.run(_load_customer, self.db, customer_id, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, context: CustomerContext) -> None:
        if self._closed:
            return
        self.customer = context
        info = context.customer
        last = max((t for t in (context.last_incoming_at, context.last_outgoing_at) if t is not None), default=None)
        lang = shown_language()
        when = relative_time(last, datetime.now(UTC), lang) if last is not None else self.tr("never")
        lines = [
            info.name,
            f"{info.customer_id} · {info.email}".rstrip(" ·"),
            self.tr("Language: {language} · Plan: {plan}").format(language=info.language or "—", plan=info.plan or "—"),
            self.tr("Last contact: {when} · Open items: {count}").format(when=when, count=context.open_items),
        ]
        self.card.setText("\n".join(lines))
        self.setWindowTitle(self.tr("New message to {name}").format(name=info.name))
        if not info.email:
            # Without an address an email cannot be sent: offer the direct message instead.
            self.channel.setCurrentIndex(max(self.channel.findData("dm"), 0))
        self.draft_button.setEnabled(True)
        self.notes.setFocus()

    def start(self) -> None:
        """Ctrl+Enter: record a batch of one and draft it."""
        if self.customer is None or self.progress.running or not self.draft_button.isEnabled():
            return
        self.problem.clear()
        brief = Brief(
            purpose=str(self.purpose.currentData()),
            text=self.notes.toPlainText().strip(),
            channel=str(self.channel.currentData()),
        )
        self.draft_button.setEnabled(False)
        self.progress.start(self.db, author=self.user, brief=brief, customers=[self.customer_id])

    def resume(self) -> None:
        if self.progress.batch_id is not None:
            self.resume_button.setEnabled(False)
            self.progress.resume(self.db, self.progress.batch_id)

    def _drafted(self, batch_id: int, result: BatchProgress) -> None:
        if self._closed:
            return
        if result.cancelled or result.done < result.total:
            self.resume_button.show()
            self.resume_button.setEnabled(True)
            return
        self.review = open_review(
            self.parentWidget(), database_url=self.database_url, user=self.user, batch_id=batch_id
        )
        self.accept()

    def _drafting_failed(self, message: str) -> None:
        if self._closed:
            return
        self.problem.setText(message)
        if self.progress.batch_id is not None:
            self.resume_button.show()
            self.resume_button.setEnabled(True)
        else:
            self.draft_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        if not self._closed:
            self.problem.setText(self.tr("Problem: {error}").format(error=first_line(error)))

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self.progress.shut_down()
            self.background.quit_all()
            self.db.dispose()
        super().done(result)


def new_message(parent: QWidget | None, *, database_url: str | None, user: str, customer_id: int) -> NewMessageDialog:
    """Reply → New message to this customer… (Ctrl+Shift+M): `customer_id` is the customer's database id."""
    dialog = NewMessageDialog(database_url, user, customer_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
