"""File ▸ Fetch mail against a real Dovecot: new mail becomes triaged work items, failures are one line."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from desktop.background import Background
from desktop.mail_fetch import fetch_mail
from drafting.secrets import SecretStore
from storage import config
from storage.database import Database
from storage.models import Interaction, WorkItem
from tests import delivery_fixtures
from tests.servers.dovecot import ImapAccount

# The shared delivery fixtures, bound here so pytest finds them for this module's tests.
dovecot = delivery_fixtures.dovecot
imap_account = delivery_fixtures.imap_account

pytestmark = pytest.mark.timeout(60)


def mail(sender: str, subject: str, body: str, message_id: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "hola@cafealba.test"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes(policy=SMTP)


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    database.upgrade(backup=False)
    yield database
    database.dispose()


@pytest.fixture
def background() -> Iterator[Background]:
    bg = Background()
    yield bg
    bg.quit_all()


def configure(account: ImapAccount, *, password: str | None = None) -> None:
    config.set_value("imap.host", "127.0.0.1")
    config.set_value("imap.port", str(account.server.port))
    config.set_value("imap.security", "none")  # loopback only; the IMAP tests cover TLS
    config.set_value("imap.user", account.user)
    SecretStore().set("imap.password", password or account.password)


def fetch(qtbot: QtBot, background: Background, db: Database) -> tuple[list[str], list[str]]:
    done: list[str] = []
    failed: list[str] = []
    fetch_mail(background, db, done.append, failed.append, actor="marta")
    qtbot.waitUntil(lambda: bool(done or failed), timeout=30_000)
    qtbot.waitUntil(lambda: not background.busy, timeout=5_000)
    return done, failed


def items(db: Database) -> list[tuple[str, WorkItem]]:
    with db.session() as s:
        rows = s.exec(
            select(Interaction.source_id, WorkItem)
            .join(WorkItem, col(WorkItem.interaction_id) == col(Interaction.id))
            .order_by(col(WorkItem.id))
        ).all()
        return [(source_id, item) for source_id, item in rows]


def test_fetch_mail_brings_new_items_and_triages_them(
    qtbot: QtBot, db: Database, background: Background, imap_account: ImapAccount
) -> None:
    configure(imap_account)
    imap_account.append(
        mail(
            "Ana Pérez <ana@cliente.test>",
            "Pedido 1042",
            "Hola, ¿me podéis decir cuándo llega mi pedido? Muchas gracias.",
            "<a1@cliente.test>",
        ),
        mail(
            "Bruno Díaz <bruno@cliente.test>",
            "Third time",
            "This is the third time I write about the same charge. If it is not refunded this week I will call my lawyer.",
            "<b1@cliente.test>",
        ),
    )

    done, failed = fetch(qtbot, background, db)

    assert failed == []
    assert done == ["2 new messages, 2 new items"]
    fetched = dict(items(db))
    ana, bruno = fetched["<a1@cliente.test>"], fetched["<b1@cliente.test>"]
    assert (ana.language, ana.escalated) == ("es", False)
    assert bruno.language == "en"
    assert bruno.escalated and "legal_threat" in bruno.escalation_reasons
    assert bruno.frustration > ana.frustration

    # The next fetch finds nothing new.
    done, failed = fetch(qtbot, background, db)
    assert (done, failed) == (["0 new messages, 0 new items"], [])


def test_a_refused_password_is_one_line(
    qtbot: QtBot, db: Database, background: Background, imap_account: ImapAccount
) -> None:
    configure(imap_account, password="not-the-password")
    imap_account.append(mail("ana@cliente.test", "Hola", "¿Seguís abiertos el domingo?", "<a2@cliente.test>"))

    done, failed = fetch(qtbot, background, db)

    assert done == []
    [line] = failed
    assert "\n" not in line
    assert "refused the login" in line and "imap.password" in line
    assert items(db) == []


def test_without_settings_it_says_what_to_set(qtbot: QtBot, db: Database, background: Background) -> None:
    done, failed = fetch(qtbot, background, db)
    assert done == []
    assert failed == ["Fetching mail needs an incoming mail server: set imap.host and imap.user."]
