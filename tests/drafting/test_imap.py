"""IMAP in against a real Dovecot: fetching, threading, idempotency, UIDVALIDITY, TLS and errors."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

import pytest
from sqlmodel import col, select

from drafting.delivery.imap import (
    FetchReport,
    ImapAuthFailed,
    ImapFolderMissing,
    ImapTLSFailed,
    ImapUnavailable,
    Security,
    fetch_new,
)
from storage.database import Database
from storage.models import AuditEvent, Customer, CustomerHandle, Interaction, MailboxState, WorkItem
from tests import delivery_fixtures
from tests.servers.dovecot import ImapAccount

# The shared delivery fixtures, bound here so pytest finds them for this module's tests.
dovecot = delivery_fixtures.dovecot
imap_account = delivery_fixtures.imap_account

pytestmark = pytest.mark.timeout(60)

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def mail(
    sender: str,
    subject: str,
    body: str,
    message_id: str | None,
    *,
    in_reply_to: str = "",
    references: tuple[str, ...] = (),
    date: datetime | None = T0,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "soporte@latido.test"
    msg["Subject"] = subject
    if date is not None:
        msg["Date"] = format_datetime(date)
    if message_id is not None:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = " ".join(references)
    msg.set_content(body)
    return msg.as_bytes(policy=SMTP)


def fetch(
    db: Database, account: ImapAccount, *, security: Security = "none", port: int | None = None, **options: object
) -> FetchReport:
    server = account.server
    return fetch_new(
        db,
        host="127.0.0.1",
        port=port or (server.ssl_port if security == "ssl" else server.port),
        security=security,
        user=account.user,
        password=str(options.pop("password", account.password)),
        ssl_context=server.ssl_context(),
        **options,  # type: ignore[arg-type]  # folder, timeout, actor
    )


def interactions(db: Database) -> list[Interaction]:
    with db.session() as s:
        return list(s.exec(select(Interaction).order_by(col(Interaction.id))).all())


def customer_of(db: Database, source_id: str) -> Customer:
    with db.session() as s:
        return s.exec(select(Customer).join(Interaction).where(Interaction.source_id == source_id)).one()


def test_fetch_creates_customers_interactions_and_work_items(db: Database, imap_account: ImapAccount) -> None:
    with db.write() as s:
        bruno = Customer(customer_id="c-bruno", name="Bruno Díaz", email="bruno@cliente.test")
        s.add(bruno)
        s.flush()
        assert bruno.id is not None
        s.add(CustomerHandle(customer_id=bruno.id, network="email", handle="bruno@cliente.test"))
    imap_account.append(
        mail("Ana Pérez <Ana@Cliente.test>", "Pedido 1042", "¿Dónde está mi pedido?", "<a1@cliente.test>"),
        mail("bruno@cliente.test", "Factura", "La factura tiene un error.", "<b1@cliente.test>"),
        mail("Ana Pérez <ana@cliente.test>", "Re: Pedido 1042", "Sigo esperando.", "<a2@cliente.test>"),
    )

    report = fetch(db, imap_account, actor="lucia")

    assert (report.fetched, report.added, report.already_imported) == (3, 3, 0)
    assert (report.customers_created, report.work_items_created, report.threaded) == (1, 3, 0)
    assert report.last_uid == 3 and report.skipped == []
    rows = interactions(db)
    assert [r.source_id for r in rows] == ["<a1@cliente.test>", "<b1@cliente.test>", "<a2@cliente.test>"]
    assert {(r.channel, r.direction) for r in rows} == {("email", "in")}
    assert rows[0].subject == "Pedido 1042" and rows[0].body == "¿Dónde está mi pedido?"
    assert rows[0].author == "Ana Pérez" and rows[0].occurred_at == T0
    assert rows[0].message_id == "<a1@cliente.test>"
    ana = customer_of(db, "<a1@cliente.test>")
    assert (ana.customer_id, ana.name, ana.email) == ("email:ana@cliente.test", "Ana Pérez", "ana@cliente.test")
    assert customer_of(db, "<a2@cliente.test>").id == ana.id
    assert customer_of(db, "<b1@cliente.test>").customer_id == "c-bruno"
    with db.session() as s:
        items = s.exec(select(WorkItem)).all()
        state = s.exec(select(MailboxState)).one()
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "imap.fetch")).all()
    assert sorted(i.interaction_id for i in items) == sorted(r.id or 0 for r in rows)
    assert (state.account, state.folder, state.last_uid) == (f"{imap_account.user}@127.0.0.1", "INBOX", 3)
    assert state.uidvalidity == imap_account.uidvalidity()
    assert len(events) == 1 and events[0].actor == "lucia"
    assert json.loads(events[0].details)["added"] == 3
    # Read with BODY.PEEK in a read-only folder: the mailbox still shows them unread.
    assert imap_account.seen_flags() == [False, False, False]


def test_reply_threads_to_the_customer_of_the_message_it_answers(db: Database, imap_account: ImapAccount) -> None:
    with db.write() as s:
        carla = Customer(customer_id="c-carla", name="Carla Ruiz", email="carla@empresa.test")
        s.add(carla)
        s.flush()
        assert carla.id is not None
        s.add(CustomerHandle(customer_id=carla.id, network="email", handle="carla@empresa.test"))
        s.add(
            Interaction(
                source_id="out-1",
                customer_id=carla.id,
                channel="email",
                direction="out",
                occurred_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
                subject="Re: Renovación",
                body="Hola Carla, te envío la propuesta.",
                message_id="<reply-1@latido.test>",
            )
        )
    imap_account.append(
        # Carla's colleague answers our reply from an address Latido has never seen.
        mail(
            "Diego <diego@empresa.test>",
            "Re: Renovación",
            "Carla está de vacaciones; la propuesta nos vale.",
            "<d1@empresa.test>",
            in_reply_to="<reply-1@latido.test>",
            references=("<start@empresa.test>", "<reply-1@latido.test>"),
        ),
        # Later in the same thread, citing only the colleague's message in References.
        mail(
            "Elena <elena@empresa.test>",
            "Re: Renovación",
            "Confirmo también.",
            "<e1@empresa.test>",
            references=("<unknown@elsewhere.test>", "<d1@empresa.test>"),
        ),
        mail("Diego <diego@empresa.test>", "Otra cosa", "Pregunta nueva, sin hilo.", "<d2@empresa.test>"),
    )

    report = fetch(db, imap_account)

    assert (report.added, report.threaded, report.customers_created) == (3, 2, 1)
    assert customer_of(db, "<d1@empresa.test>").customer_id == "c-carla"
    assert customer_of(db, "<e1@empresa.test>").customer_id == "c-carla"
    # Without a thread, the sender decides: Diego is someone new.
    assert customer_of(db, "<d2@empresa.test>").customer_id == "email:diego@empresa.test"


def test_fetching_again_adds_nothing(db: Database, imap_account: ImapAccount) -> None:
    imap_account.append(
        mail("ana@cliente.test", "Uno", "Primero.", "<1@cliente.test>"),
        mail("ana@cliente.test", "Dos", "Segundo.", "<2@cliente.test>"),
        mail("ana@cliente.test", "Sin id", "Un mensaje sin Message-ID.", None),
    )
    first = fetch(db, imap_account)
    assert (first.fetched, first.added) == (3, 3)

    again = fetch(db, imap_account)  # by UID: nothing new on the server
    assert (again.fetched, again.added, again.last_uid) == (0, 0, 3)

    # A crash before the last UID was saved: the messages come again and are recognised.
    with db.write() as s:
        state = s.exec(select(MailboxState)).one()
        state.last_uid = 0
        s.add(state)
    replay = fetch(db, imap_account)
    assert (replay.fetched, replay.added, replay.already_imported) == (3, 0, 3)
    assert len(interactions(db)) == 3
    assert interactions(db)[2].source_id.startswith("sha256:")

    imap_account.append(mail("ana@cliente.test", "Tres", "Tercero.", "<3@cliente.test>"))
    later = fetch(db, imap_account)
    assert (later.fetched, later.added, later.last_uid) == (1, 1, 4)
    with db.session() as s:
        assert len(s.exec(select(WorkItem)).all()) == 4


def test_uidvalidity_change_reads_the_folder_again_without_duplicates(db: Database, imap_account: ImapAccount) -> None:
    old = [mail("ana@cliente.test", f"Asunto {n}", f"Mensaje {n}.", f"<{n}@cliente.test>") for n in (1, 2)]
    imap_account.append(*old, folder="Soporte")
    first = fetch(db, imap_account, folder="Soporte")
    assert (first.added, first.uidvalidity_changed) == (2, False)
    before = imap_account.uidvalidity("Soporte")

    # The server renumbers the folder (here: it is recreated); the same messages come back with a new one.
    imap_account.recreate_folder("Soporte")
    imap_account.append(mail("ana@cliente.test", "Asunto 3", "Mensaje 3.", "<3@cliente.test>"), *old, folder="Soporte")
    assert imap_account.uidvalidity("Soporte") != before

    report = fetch(db, imap_account, folder="Soporte")
    assert report.uidvalidity_changed
    assert (report.fetched, report.added, report.already_imported, report.last_uid) == (3, 1, 2, 3)
    with db.session() as s:
        state = s.exec(select(MailboxState).where(MailboxState.folder == "Soporte")).one()
    assert (state.uidvalidity, state.last_uid) == (imap_account.uidvalidity("Soporte"), 3)
    assert sorted(r.source_id for r in interactions(db)) == [f"<{n}@cliente.test>" for n in (1, 2, 3)]
    assert not fetch(db, imap_account, folder="Soporte").uidvalidity_changed


def test_message_without_sender_is_skipped_and_not_fetched_again(db: Database, imap_account: ImapAccount) -> None:
    imap_account.append(
        mail("", "Sin remitente", "¿Quién soy?", "<nobody@x.test>"),
        mail("ana@cliente.test", "Sin fecha", "No traigo Date.", "<nodate@cliente.test>", date=None),
    )
    report = fetch(db, imap_account)
    assert report.added == 1 and report.last_uid == 2
    assert report.skipped == ["UID 1: no sender address (From)"]
    # Without a Date header, the time the server received it stands in.
    assert interactions(db)[0].occurred_at.year >= 2024
    assert fetch(db, imap_account).fetched == 0


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_encrypted_connections_with_the_test_certificate(
    sqlite_url: str, imap_account: ImapAccount, security: Security
) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    imap_account.append(mail("ana@cliente.test", "Cifrado", "Por TLS.", "<tls@cliente.test>"))
    assert fetch(db, imap_account, security=security).added == 1
    db.dispose()


def test_untrusted_certificate_is_a_tls_error(sqlite_url: str, imap_account: ImapAccount) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    server = imap_account.server
    with pytest.raises(ImapTLSFailed, match="not trusted"):
        fetch_new(
            db, host="127.0.0.1", port=server.ssl_port, security="ssl", user=imap_account.user, password="x"
        )  # the system's CAs do not know the test CA
    with pytest.raises(ImapTLSFailed, match="not trusted"):
        fetch_new(db, host="127.0.0.1", port=server.port, security="starttls", user=imap_account.user, password="x")
    with pytest.raises(ImapTLSFailed, match="SSL port"):
        fetch(db, imap_account, security="ssl", port=server.port)  # TLS spoken to the plain port
    db.dispose()


def test_wrong_password_and_missing_folder_are_typed_errors(sqlite_url: str, imap_account: ImapAccount) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    with pytest.raises(ImapAuthFailed, match=r"imap\.password") as refused:
        fetch(db, imap_account, password="not-the-password")
    assert "not-the-password" not in str(refused.value)
    with pytest.raises(ImapFolderMissing, match="Archivo"):
        fetch(db, imap_account, folder="Archivo")
    db.dispose()


def test_unreachable_server_is_a_typed_error(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(ImapUnavailable, match="refused the connection"):
            fetch_new(db, host="127.0.0.1", port=port, security="none", user="u", password="p")
    db.dispose()
