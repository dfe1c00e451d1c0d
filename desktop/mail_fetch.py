"""File ▸ Fetch mail: IMAP in from the app, in a worker, then triage what arrived."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QCoreApplication

from desktop.background import Background
from drafting.delivery.imap import ImapError, Security, fetch_new
from drafting.secrets import SecretStore
from drafting.triage import last_item_id, triage_items
from storage import config
from storage.database import Database


class MailSetupError(Exception):
    """The imap.* settings or the password are missing; the message says what to set."""


@dataclass(frozen=True)
class MailFetched:
    """What one fetch brought in."""

    messages: int
    items: int
    triaged: int
    skipped: int


def fetch_and_triage(db: Database, *, actor: str = "", secrets: SecretStore | None = None) -> MailFetched:
    """Read the imap.* settings and the keyring's imap.password, fetch new mail and triage the new items.

    Blocking (network, keyring, database): run it in a worker.
    """
    host, user = config.get("imap.host"), config.get("imap.user")
    if not host or not user:
        raise MailSetupError(
            QCoreApplication.translate(
                "MailFetch", "Fetching mail needs an incoming mail server: set imap.host and imap.user."
            )
        )
    password = (secrets or SecretStore()).get("imap.password")
    if not password:
        raise MailSetupError(
            QCoreApplication.translate(
                "MailFetch", "No password for {user}: store it as the imap.password secret."
            ).format(user=user)
        )
    with db.session() as session:
        before = last_item_id(session)
    report = fetch_new(
        db,
        host=host,
        port=int(config.get("imap.port")),
        # The setting is validated to one of these three when it is stored.
        security=cast(Security, config.get("imap.security")),
        user=user,
        password=password,
        folder=config.get("imap.folder") or "INBOX",
        actor=actor,
    )
    with db.write() as session:
        triaged = triage_items(session, after_id=before)
    return MailFetched(report.added, report.work_items_created, triaged, len(report.skipped))


def summary(result: MailFetched) -> str:
    """One line for the status bar."""
    text = QCoreApplication.translate("MailFetch", "{messages} new messages, {items} new items").format(
        messages=result.messages, items=result.items
    )
    if result.skipped:
        text += QCoreApplication.translate("MailFetch", " ({skipped} could not be read)").format(skipped=result.skipped)
    return text


def problem(error: BaseException) -> str:
    """The one line a person sees when a fetch fails."""
    lines = str(error).strip().splitlines()
    if isinstance(error, ImapError | MailSetupError | config.ConfigError) and lines:
        return lines[0]
    first = lines[0] if lines else ""
    return QCoreApplication.translate("MailFetch", "Fetching mail failed: {error}").format(
        error=f"{type(error).__name__}: {first}".rstrip(": ")
    )


def fetch_mail(
    background: Background,
    db: Database,
    on_done: Callable[[str], None],
    on_error: Callable[[str], None],
    *,
    actor: str = "",
) -> None:
    """Fetch and triage in a worker; `on_done` gets "N new messages, M new items", `on_error` one line."""
    background.run(
        lambda: fetch_and_triage(db, actor=actor),
        on_done=lambda result: on_done(summary(result)),
        on_error=lambda error: on_error(problem(error)),
    )
