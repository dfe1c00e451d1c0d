"""The outbox panel as a person uses it: send now, settle uncertain sends, and post comments by hand."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from desktop.background import Background
from desktop.outbox_panel import OutboxModel, OutboxPanel
from drafting.approval import approve
from drafting.composer import OfflineComposer
from drafting.delivery.outbox import claim_next
from drafting.drafts import generate_draft, revise_draft
from storage import config
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Customer, DeliveryAttempt, Draft, Interaction, OutboxMessage, WorkItem
from tests.servers.smtp import SmtpServer

pytestmark = pytest.mark.timeout(60)

EMAIL_REPLY = "Hi Daniel,\n\nThanks for your patience. I checked your account and everything is in order now.\n\nWarmly,\nThe Café Alba team"
COMMENT_REPLY = "¡Gracias, Carmen! Nos alegra mucho que te gustara 🙌 ¡Te esperamos pronto!"


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    database.upgrade(backup=False)
    seed_demo(database)
    yield database
    database.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    config.set_value("smtp.host", "127.0.0.1")
    config.set_value("smtp.port", str(server.port))
    config.set_value("smtp.security", "none")
    config.set_value("smtp.from", "Café Alba <hola@cafealba.test>")
    yield server
    server.stop()


@pytest.fixture
def background() -> Iterator[Background]:
    bg = Background()
    yield bg
    bg.quit_all()


def queue_approved(db: Database, customer: str, channel: str, body: str) -> int:
    """Draft with the offline composer, replace its placeholders with a person's text, approve: the outbox id."""
    with db.session() as s:
        item_id = s.exec(
            select(WorkItem.id)
            .join(Customer, col(Customer.id) == col(WorkItem.customer_id))
            .join(Interaction, col(Interaction.id) == col(WorkItem.interaction_id))
            .where(col(Customer.name).startswith(customer), Interaction.channel == channel)
        ).one()
    assert item_id is not None
    drafted = generate_draft(db, item_id=item_id, provider=OfflineComposer(), author="marta")
    assert "[[" in drafted.text  # the composer leaves gaps a person must fill before approval
    revised = revise_draft(db, draft_id=drafted.draft_id, body=body, author="marta")
    assert revised.content_hash is not None
    return approve(db, draft_id=drafted.draft_id, content_hash=revised.content_hash, approver="marta").outbox_id


def left_sending_by_a_dead_process(db: Database) -> None:
    """Claim every queued email the way a sender does, as a process that has since exited."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    worker = f"{socket.gethostname()}:{dead.pid}:crashed1"
    while claim_next(db, worker=worker, transports=["smtp"]) is not None:
        pass


def stored(db: Database, outbox_id: int) -> OutboxMessage:
    with db.session() as s:
        row = s.get(OutboxMessage, outbox_id)
        assert row is not None
        return row


def attempts(db: Database, outbox_id: int) -> list[tuple[str, str]]:
    with db.session() as s:
        rows = s.exec(
            select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id).order_by(col(DeliveryAttempt.id))
        ).all()
        return [(a.outcome, a.actor) for a in rows]


def shown(panel: OutboxPanel, outbox_id: int, column: int) -> str:
    row = panel.model.row_of(outbox_id)
    assert row is not None, f"outbox {outbox_id} is not in the panel"
    return str(panel.model.index(row, column).data())


def open_panel(qtbot: QtBot, background: Background, db: Database) -> OutboxPanel:
    panel = OutboxPanel(background, db, "marta")
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.busy, timeout=15_000)
    return panel


def settle(qtbot: QtBot, panel: OutboxPanel, background: Background) -> None:
    qtbot.waitUntil(lambda: not panel.busy and not background.busy, timeout=15_000)


def confirm(qtbot: QtBot, panel: OutboxPanel, *, accept: bool) -> None:
    qtbot.waitUntil(lambda: panel.confirmation is not None and panel.confirmation.isVisible(), timeout=5_000)
    box = panel.confirmation
    assert box is not None
    assert box.textFormat() == Qt.TextFormat.PlainText
    if accept:
        button = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    else:
        button = box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.confirmation is None, timeout=5_000)


def test_send_now_sends_in_the_background_and_shows_it_sent(
    qtbot: QtBot, db: Database, smtp: SmtpServer, background: Background
) -> None:
    outbox_id = queue_approved(db, "Daniel", "email", EMAIL_REPLY)
    panel = open_panel(qtbot, background, db)
    assert shown(panel, outbox_id, OutboxModel.STATE) == "queued"
    assert shown(panel, outbox_id, OutboxModel.CUSTOMER) == "Daniel Whitaker (daniel.whitaker@example.com)"

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not panel.sending, timeout=15_000)
    settle(qtbot, panel, background)

    received = smtp.messages()
    assert len(received) == 1
    assert received[0].rcpt_tos == ("daniel.whitaker@example.com",)
    plain = received[0].message.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n").rstrip("\n") == EMAIL_REPLY
    assert shown(panel, outbox_id, OutboxModel.STATE) == "sent"
    assert stored(db, outbox_id).state == "sent"
    progress = panel.progress.toPlainText()
    assert f"{outbox_id}  sent  daniel.whitaker@example.com" in progress
    assert "1 sent, 0 to retry, 0 failed, 0 refused, 0 uncertain" in progress

    # A second press finds nothing due and sends nothing more.
    qtbot.mouseClick(panel.buttons[panel.send_action], Qt.MouseButton.LeftButton)
    settle(qtbot, panel, background)
    assert panel.status.text() == "Nothing was due to send."
    assert len(smtp.messages()) == 1


def test_send_now_without_a_transport_says_what_to_set(qtbot: QtBot, db: Database, background: Background) -> None:
    outbox_id = queue_approved(db, "Daniel", "email", EMAIL_REPLY)
    panel = open_panel(qtbot, background, db)
    qtbot.mouseClick(panel.buttons[panel.send_action], Qt.MouseButton.LeftButton)
    settle(qtbot, panel, background)
    assert panel.status.text().startswith("Nothing to send with: set an outgoing mail server")
    assert "\n" not in panel.status.text()
    assert stored(db, outbox_id).state == "queued"


def test_an_interrupted_send_waits_for_a_recorded_decision(
    qtbot: QtBot, db: Database, smtp: SmtpServer, background: Background
) -> None:
    daniel = queue_approved(db, "Daniel", "email", EMAIL_REPLY)
    ben = queue_approved(
        db, "Ben", "email", "Hi Ben,\n\nYour order left the roastery this morning.\n\nThe Café Alba team"
    )
    left_sending_by_a_dead_process(db)
    assert stored(db, daniel).state == stored(db, ben).state == "sending"

    panel = open_panel(qtbot, background, db)
    assert shown(panel, daniel, OutboxModel.STATE) == shown(panel, ben, OutboxModel.STATE) == "uncertain"
    assert "stopped before it knew" in shown(panel, daniel, OutboxModel.ERROR)
    assert not panel.mark_sent_action.isEnabled()

    panel.select(daniel)
    assert panel.mark_sent_action.isEnabled() and panel.send_again_action.isEnabled()
    assert not panel.copy_action.isEnabled() and not panel.posted_action.isEnabled()

    # Cancel leaves it waiting.
    qtbot.mouseClick(panel.buttons[panel.mark_sent_action], Qt.MouseButton.LeftButton)
    confirm(qtbot, panel, accept=False)
    settle(qtbot, panel, background)
    assert stored(db, daniel).state == "uncertain"

    qtbot.mouseClick(panel.buttons[panel.mark_sent_action], Qt.MouseButton.LeftButton)
    confirm(qtbot, panel, accept=True)
    settle(qtbot, panel, background)
    row = stored(db, daniel)
    assert (row.state, row.sent_by) == ("sent", "marta")
    assert attempts(db, daniel)[-1] == ("resolved_sent", "marta")
    assert shown(panel, daniel, OutboxModel.STATE) == "sent"
    assert shown(panel, daniel, OutboxModel.SENT).endswith("— marta")
    assert not panel.mark_sent_action.isEnabled()

    panel.select(ben)
    qtbot.mouseClick(panel.buttons[panel.send_again_action], Qt.MouseButton.LeftButton)
    confirm(qtbot, panel, accept=True)
    settle(qtbot, panel, background)
    assert stored(db, ben).state == "queued"
    assert attempts(db, ben)[-1] == ("resend", "marta")
    assert shown(panel, ben, OutboxModel.STATE) == "queued"
    assert smtp.messages() == []  # a decision to send again queues it; nothing left by itself

    qtbot.mouseClick(panel.buttons[panel.send_action], Qt.MouseButton.LeftButton)
    settle(qtbot, panel, background)
    assert [m.rcpt_tos for m in smtp.messages()] == [("ben.adler@example.org",)]
    assert shown(panel, ben, OutboxModel.STATE) == "sent"


class _LinkCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def link_catcher() -> Iterator[_LinkCatcher]:
    catcher = _LinkCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("https")


def test_a_manual_comment_is_copied_opened_and_marked_posted(
    qtbot: QtBot, db: Database, background: Background, link_catcher: _LinkCatcher
) -> None:
    outbox_id = queue_approved(db, "Carmen", "comment", COMMENT_REPLY)
    assert stored(db, outbox_id).transport == "manual"
    with db.session() as s:
        link = s.exec(
            select(Interaction.url)
            .join(WorkItem, col(WorkItem.interaction_id) == col(Interaction.id))
            .join(Draft, col(Draft.work_item_id) == col(WorkItem.id))
            .join(OutboxMessage, col(OutboxMessage.draft_id) == col(Draft.id))
            .where(OutboxMessage.id == outbox_id)
        ).one()
    assert link.startswith("https://www.instagram.com/")
    panel = open_panel(qtbot, background, db)
    panel.select(outbox_id)
    assert shown(panel, outbox_id, OutboxModel.TRANSPORT) == "manual"
    assert not panel.mark_sent_action.isEnabled() and not panel.send_again_action.isEnabled()
    assert panel.copy_action.isEnabled() and panel.open_action.isEnabled() and panel.posted_action.isEnabled()

    QApplication.clipboard().setText("something else")
    qtbot.mouseClick(panel.buttons[panel.copy_action], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == COMMENT_REPLY, timeout=5_000)

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(link_catcher.opened), timeout=5_000)
    assert link_catcher.opened == [link]

    qtbot.mouseClick(panel.buttons[panel.posted_action], Qt.MouseButton.LeftButton)
    confirm(qtbot, panel, accept=True)
    settle(qtbot, panel, background)
    row = stored(db, outbox_id)
    assert (row.state, row.sent_by) == ("sent", "marta")
    assert attempts(db, outbox_id)[-1] == ("sent", "marta")
    assert shown(panel, outbox_id, OutboxModel.STATE) == "sent"
    assert shown(panel, outbox_id, OutboxModel.SENT).endswith("— marta")
    assert not panel.copy_action.isEnabled() and not panel.posted_action.isEnabled()
    assert panel.status.text() == f"Message {outbox_id} recorded as posted by marta."


def test_f5_reloads_what_another_process_changed(qtbot: QtBot, db: Database, background: Background) -> None:
    panel = open_panel(qtbot, background, db)
    before = panel.model.rowCount()
    outbox_id = queue_approved(db, "Carmen", "comment", COMMENT_REPLY)
    assert panel.model.row_of(outbox_id) is None
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: panel.model.row_of(outbox_id) is not None, timeout=15_000)
    assert panel.model.rowCount() == before + 1
    settle(qtbot, panel, background)


def test_docked_in_the_main_window_f5_refreshes_the_panel_without_ambiguity(qtbot: QtBot, sqlite_url: str) -> None:
    from PySide6.QtWidgets import QDockWidget

    from desktop.main_window import MainWindow

    database = Database(sqlite_url)
    database.upgrade(backup=False)
    seed_demo(database)
    window = MainWindow(database_url=sqlite_url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and window.inbox.rowCount() > 0, timeout=15_000)
    assert window.db is not None
    panel = OutboxPanel(window.background, window.db, window.editor.user)
    dock = QDockWidget("Outbox", window)
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.busy, timeout=15_000)
    try:
        outbox_id = queue_approved(database, "Carmen", "comment", COMMENT_REPLY)
        panel.table.setFocus()
        qtbot.keyClick(panel.table, Qt.Key.Key_F5)  # an ambiguous shortcut would log a Qt warning and fail here
        qtbot.waitUntil(lambda: panel.model.row_of(outbox_id) is not None, timeout=15_000)
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_F5)  # the window's own Refresh still works outside the panel
    finally:
        window.close()
        qtbot.waitUntil(lambda: not window.background.busy, timeout=15_000)
        window.db.dispose()
        database.dispose()
