"""IMAP in: new messages of one folder become customers, incoming interactions and work items.

`fetch_new` opens the folder read-only (EXAMINE) and downloads with `BODY.PEEK[]`, so nothing on
the server changes: a message stays unread for the people who also read that mailbox. How far it
got is kept in `MailboxState` (UIDVALIDITY + last UID). Messages are written by batches, one
transaction each, together with the new `last_uid`; a crash loses at most the batch in flight, and
that batch is simply fetched again. Each message is also keyed by its Message-ID (or, without one,
by a hash of its bytes) in `Interaction.source_id`, the same key `latido import mbox` uses, so a
message seen twice — a re-fetch after UIDVALIDITY changed, a second folder, an mbox export of the
same mailbox, a teammate fetching at the same time — is stored once.

A message is threaded to a customer by its In-Reply-To and References first (the customer of the
earlier message it answers, in or out), then by its sender's email handle; an unknown sender
becomes a new customer `email:<address>`, as the mbox importer does.
"""

from __future__ import annotations

import hashlib
import imaplib
import socket
import ssl
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import Any, Literal

import sqlalchemy as sa
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlmodel import Session, col, select

from storage.chain import record_event
from storage.database import Database
from storage.mailparse import MailFields, parse_message
from storage.models import (
    Channel,
    Customer,
    CustomerHandle,
    Direction,
    Interaction,
    MailboxState,
    utcnow,
)
from storage.workitems import refresh_work_items

Security = Literal["ssl", "starttls", "none"]

BATCH_MESSAGES = 50
BATCH_BYTES = 20 * 1024 * 1024
"""A batch also ends at this many bytes, so a run of large attachments is not held in memory at once."""

_SIZE = b"RFC822.SIZE"
_BODY = b"BODY[]"
_INTERNALDATE = b"INTERNALDATE"


class ImapError(Exception):
    """Fetching mail failed; the message says what to check."""


class ImapUnavailable(ImapError):
    """The server could not be reached, or the connection broke."""


class ImapTLSFailed(ImapError):
    """The encrypted connection could not be set up (certificate, wrong port or wrong security setting)."""


class ImapAuthFailed(ImapError):
    """The server refused the user name or password."""


class ImapFolderMissing(ImapError):
    """The folder to fetch from does not exist on the server."""


@dataclass
class FetchReport:
    """What one fetch did."""

    account: str
    folder: str
    uidvalidity: int = 0
    uidvalidity_changed: bool = False
    """The server renumbered the folder: it was read again from the start (duplicates skipped)."""
    last_uid: int = 0
    fetched: int = 0
    added: int = 0
    already_imported: int = 0
    threaded: int = 0
    """Messages matched to a customer through In-Reply-To/References."""
    customers_created: int = 0
    work_items_created: int = 0
    skipped: list[str] = field(default_factory=list)
    """Messages that could not be stored, one line each ("UID 7: no sender address")."""


def account_key(user: str, host: str) -> str:
    """How a mailbox account is named in `MailboxState`: the login at the server."""
    return f"{user}@{host.lower()}"[:320]


def fetch_new(
    db: Database,
    *,
    host: str,
    port: int,
    security: Security,
    user: str,
    password: str,
    folder: str = "INBOX",
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 30.0,
    actor: str = "",
) -> FetchReport:
    """Fetch the messages that arrived in `folder` since the last fetch and store them as work to answer."""
    if security not in ("ssl", "starttls", "none"):
        raise ValueError(f"security must be ssl, starttls or none, not {security!r}")
    report = FetchReport(account=account_key(user, host), folder=folder)
    where = f"{host}:{port}"
    with _connect(host, port, security, ssl_context, timeout) as client, _network_errors(where):
        _login(client, user, password, where)
        uidvalidity = _select(client, folder, where)
        report.uidvalidity = uidvalidity
        last_uid = _start_uid(db, report, uidvalidity)
        # "UID n:*" always matches the newest message, even when its UID is below n.
        new_uids = sorted(int(uid) for uid in client.search(["UID", f"{last_uid + 1}:*"]) if int(uid) > last_uid)
        for batch in _batches(client, new_uids):
            fetched = client.fetch(batch, [b"BODY.PEEK[]", _INTERNALDATE])
            report.fetched += len(batch)
            _store_batch(db, report, batch, fetched, actor=actor)
        if report.uidvalidity_changed and not new_uids:
            _store_batch(db, report, [], {}, actor=actor)  # remember the new numbering of an emptied folder
    return report


# -- the connection ----------------------------------------------------------------------------


def _connect(
    host: str, port: int, security: Security, ssl_context: ssl.SSLContext | None, timeout: float
) -> IMAPClient:
    context = ssl_context or ssl.create_default_context()
    where = f"{host}:{port}"
    with _network_errors(where, security=security):
        client = IMAPClient(host, port=port, ssl=security == "ssl", ssl_context=context, timeout=timeout)
    # INTERNALDATE as an aware datetime, not converted to this machine's local time.
    client.normalise_times = False
    if security == "starttls":
        try:
            with _network_errors(where, security=security):
                client.starttls(context)
        except BaseException:
            # imaplib closes the socket even when the shutdown call fails on a connection the failed
            # handshake already broke; the error worth reporting is the one being raised.
            with suppress(OSError):
                client.shutdown()
            raise
    return client


@contextmanager
def _network_errors(where: str, *, security: Security | None = None) -> Iterator[None]:
    """Turns socket, TLS and protocol failures into `ImapError`s that say what to check."""
    try:
        yield
    except ImapError:
        raise
    except (OSError, IMAPClientError) as exc:  # imaplib's abort is an IMAPClientError too
        raise _translate(exc, where, security) from exc


def _translate(exc: OSError | IMAPClientError, where: str, security: Security | None) -> ImapError:
    if isinstance(exc, ssl.SSLError):
        return _tls_error(exc, where, security)
    if isinstance(exc, OSError):
        return _socket_error(exc, where)
    if isinstance(exc, imaplib.IMAP4.abort):
        return ImapUnavailable(f"the mail server {where} closed the connection ({_text(exc)}); try again later")
    if security == "starttls" and "STARTTLS" in _text(exc).upper():
        return ImapTLSFailed(
            f"{where} does not offer STARTTLS: set imap.security to ssl (port 993) if it supports that"
        )
    return ImapError(f"the mail server {where} refused a command: {_text(exc)}")


def _tls_error(exc: ssl.SSLError, where: str, security: Security | None) -> ImapTLSFailed:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ImapTLSFailed(
            f"the certificate of {where} is not trusted ({exc.verify_message}); check imap.host, "
            "or install the server's certificate authority"
        )
    hint = (
        "is this the SSL port (usually 993)? For port 143 set imap.security to starttls"
        if security == "ssl"
        else "check imap.port and imap.security"
    )
    return ImapTLSFailed(f"could not set up an encrypted connection to {where} ({exc.reason}): {hint}")


def _socket_error(exc: OSError, where: str) -> ImapUnavailable:
    if isinstance(exc, socket.gaierror):
        return ImapUnavailable(f"cannot find the mail server {where}: check imap.host and the network")
    if isinstance(exc, TimeoutError):
        return ImapUnavailable(f"the mail server {where} did not answer in time; try again later")
    if isinstance(exc, ConnectionRefusedError):
        return ImapUnavailable(f"the mail server {where} refused the connection: check imap.host and imap.port")
    return ImapUnavailable(f"lost the connection to {where} ({exc}); try again later")


def _login(client: IMAPClient, user: str, password: str, where: str) -> None:
    try:
        client.login(user, password)
    except LoginError as exc:
        raise ImapAuthFailed(
            f"{where} refused the login for {user!r} ({_text(exc)}): check imap.user and the imap.password secret"
        ) from exc


def _select(client: IMAPClient, folder: str, where: str) -> int:
    """Open the folder read-only and return its UIDVALIDITY."""
    try:
        info: Mapping[bytes, Any] = client.select_folder(folder, readonly=True)
    except IMAPClientError as exc:
        if not client.folder_exists(folder):
            raise ImapFolderMissing(f"there is no folder {folder!r} on {where}: check imap.folder") from exc
        raise ImapError(f"{where} would not open the folder {folder!r}: {_text(exc)}") from exc
    value = info.get(b"UIDVALIDITY")
    if value is None:
        raise ImapError(f"{where} did not report UIDVALIDITY for {folder!r}, so fetches cannot be resumed safely")
    return int(value)


def _text(exc: BaseException) -> str:
    """An imaplib error's server text; imaplib sometimes wraps it as bytes."""
    value = exc.args[0] if exc.args else exc
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _batches(client: IMAPClient, uids: Sequence[int]) -> Iterator[list[int]]:
    """The UIDs in fetch order, grouped by count and by total size."""
    for start in range(0, len(uids), 500):
        window = list(uids[start : start + 500])
        sizes: Mapping[int, Mapping[bytes, Any]] = client.fetch(window, [_SIZE])
        batch: list[int] = []
        total = 0
        for uid in window:
            size = int(sizes.get(uid, {}).get(_SIZE, 0))
            if batch and (len(batch) >= BATCH_MESSAGES or total + size > BATCH_BYTES):
                yield batch
                batch, total = [], 0
            batch.append(uid)
            total += size
        if batch:
            yield batch


# -- storing -----------------------------------------------------------------------------------


def _start_uid(db: Database, report: FetchReport, uidvalidity: int) -> int:
    """The last UID already stored, or 0 when the folder is new to us or was renumbered."""
    with db.session() as session:
        state = _state(session, report.account, report.folder)
    if state is None:
        return 0
    if state.uidvalidity != uidvalidity:
        report.uidvalidity_changed = True
        return 0
    report.last_uid = state.last_uid
    return state.last_uid


def _state(session: Session, account: str, folder: str, *, lock: bool = False) -> MailboxState | None:
    stmt = select(MailboxState).where(MailboxState.account == account, MailboxState.folder == folder)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def _store_batch(
    db: Database,
    report: FetchReport,
    batch: list[int],
    fetched: Mapping[int, Mapping[bytes, Any]],
    *,
    actor: str,
) -> None:
    """One transaction: the batch's new messages, their work items, the new last UID and an audit event."""
    before = (report.added, report.already_imported, report.customers_created, len(report.skipped))
    with db.write() as session:
        state = _state(session, report.account, report.folder, lock=True)
        if state is None:
            state = MailboxState(account=report.account, folder=report.folder)
        affected: set[int] = set()
        for uid in batch:
            data = fetched.get(uid)
            if data is None or not isinstance(data.get(_BODY), bytes):
                # Expunged between SEARCH and FETCH: nothing to store.
                report.skipped.append(f"UID {uid}: gone from the server before it could be read")
                continue
            customer_id = _store_message(session, report, uid, data[_BODY], data.get(_INTERNALDATE))
            if customer_id is not None:
                affected.add(customer_id)
        created = refresh_work_items(session, customer_ids=affected) if affected else 0
        report.work_items_created += created
        if state.uidvalidity != report.uidvalidity:
            state.uidvalidity, state.last_uid = report.uidvalidity, 0
        state.last_uid = max(state.last_uid, batch[-1] if batch else 0)
        state.updated_at = utcnow()
        report.last_uid = state.last_uid
        session.add(state)
        added, duplicates, customers, skipped = before
        record_event(
            session,
            action="imap.fetch",
            actor=actor,
            entity="mailbox",
            entity_id=f"{report.account}/{report.folder}"[:80],
            details={
                "account": report.account,
                "folder": report.folder,
                "uidvalidity": report.uidvalidity,
                "uidvalidity_changed": report.uidvalidity_changed,
                "first_uid": batch[0] if batch else 0,
                "last_uid": batch[-1] if batch else 0,
                "added": report.added - added,
                "already_imported": report.already_imported - duplicates,
                "customers_created": report.customers_created - customers,
                "work_items_created": created,
                "skipped": report.skipped[skipped:],
            },
        )


def _store_message(session: Session, report: FetchReport, uid: int, raw: bytes, internaldate: object) -> int | None:
    """Store one message as an incoming email; the customer's id, or None when it was not stored."""
    parsed = BytesParser(policy=default_policy).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)  # policy.default always builds EmailMessage
    fields = parse_message(parsed)
    source_id = source_id_for(fields, raw)
    if _exists(session, source_id):
        report.already_imported += 1
        return None
    if not fields.sender_address:
        report.skipped.append(f"UID {uid}: no sender address (From)")
        return None
    occurred_at = fields.occurred_at or (internaldate if isinstance(internaldate, datetime) else None) or utcnow()
    customer_id = _thread_customer(session, fields)
    if customer_id is not None:
        report.threaded += 1
    else:
        customer_id = _sender_customer(session, report, fields)
    # A savepoint, so a row another fetcher committed a moment ago only skips this message.
    try:
        with session.begin_nested():
            session.add(
                Interaction(
                    source_id=source_id,
                    customer_id=customer_id,
                    channel=Channel.EMAIL.value,
                    direction=Direction.IN.value,
                    occurred_at=occurred_at,
                    subject=_clean(fields.subject),
                    body=_clean(fields.body),
                    author=_clean(fields.sender_name or fields.sender_address)[:200],
                    message_id=_clean(fields.message_id)[:998],
                    in_reply_to=_clean(fields.in_reply_to)[:998],
                )
            )
    except sa.exc.IntegrityError:
        report.already_imported += 1
        return None
    report.added += 1
    return customer_id


def source_id_for(fields: MailFields, raw: bytes) -> str:
    """The key that makes a message unique: its Message-ID when it fits, else a hash of its bytes (as mbox import)."""
    if fields.message_id and len(fields.message_id) <= 255:
        return fields.message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _exists(session: Session, source_id: str) -> bool:
    return session.exec(select(Interaction.id).where(Interaction.source_id == source_id)).first() is not None


def _thread_customer(session: Session, fields: MailFields) -> int | None:
    """The customer of the nearest earlier message this one answers: In-Reply-To, then References from the last."""
    wanted = _unique(id_ for id_ in (fields.in_reply_to, *reversed(fields.references)) if id_)
    if not wanted:
        return None
    stmt = select(Interaction.message_id, Interaction.customer_id).where(col(Interaction.message_id).in_(wanted))
    found = {str(message_id): int(customer) for message_id, customer in session.exec(stmt)}
    return next((found[id_] for id_ in wanted if id_ in found), None)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _sender_customer(session: Session, report: FetchReport, fields: MailFields) -> int:
    """The customer whose email handle (or `email:<address>` id) is the sender, created when there is none."""
    address = fields.sender_address
    external = mail_customer_id(address)
    found = session.exec(
        select(CustomerHandle.customer_id).where(CustomerHandle.network == "email", CustomerHandle.handle == address)
    ).first()
    if found is None:
        found = session.exec(select(Customer.id).where(Customer.customer_id == external)).first()
    if found is not None:
        return int(found)
    try:
        with session.begin_nested():
            customer = Customer(
                customer_id=external,
                name=_clean(fields.sender_name or address)[:200],
                email=address[:320],
            )
            session.add(customer)
            session.flush()
            pk = customer.id
            assert pk is not None  # assigned by the flush
            session.add(CustomerHandle(customer_id=pk, network="email", handle=address[:320]))
    except sa.exc.IntegrityError:
        # Created by a concurrent fetch or import since the lookup above: use theirs.
        existing = session.exec(select(Customer.id).where(Customer.customer_id == external)).first()
        if existing is None:
            raise
        return int(existing)
    report.customers_created += 1
    return pk


def mail_customer_id(address: str) -> str:
    """The `customer_id` of a customer created from an email address (the mbox importer's rule)."""
    external = f"email:{address}"
    return external if len(external) <= 120 else "email:sha256:" + hashlib.sha256(address.encode()).hexdigest()[:48]


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL, and in mail it is never meaningful.
    return text.replace("\x00", "")
