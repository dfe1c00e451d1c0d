"""A small email workspace for the outbox tests, and a sender process they can run (and kill).

    python -m tests.drafting.outbox_sender DATABASE_URL SMTP_PORT

sends the outbox to the SMTP server on 127.0.0.1:SMTP_PORT and prints
`OUTBOX_ID STATE` for each message once its outcome is committed.
"""

from __future__ import annotations

import itertools
import sys
from datetime import UTC, datetime, timedelta

from drafting.approval import approve
from drafting.delivery.outbox import Line, RetryPolicy, send_pending
from drafting.delivery.smtp import SmtpTransport
from storage.chain import append_revision
from storage.database import Database
from storage.models import Customer, Draft, Interaction, User, WorkItem

SENDER = "Café Alba <hola@cafealba.example>"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BODY = "Hola Ben,\n\nTu pedido sale hoy y llega el jueves.\n\nUn saludo,\nMarta"
_serial = itertools.count()


def add_users(db: Database) -> None:
    with db.write() as s:
        s.add(User(name="marta", display_name="Marta", role="agent"))
        s.add(User(name="lucia", display_name="Lucía", role="lead"))


def add_email_draft(
    db: Database, *, email: str = "ben@example.org", subject: str = "Re: Pedido 1042", body: str = BODY
) -> tuple[int, str]:
    """A customer's incoming email, its work item and a human-written draft: (draft_id, content hash)."""
    n = next(_serial)
    with db.write() as s:
        customer = Customer(customer_id=f"c-{n}-{id(db)}", name="Ben Adler", email=email, language="es")
        s.add(customer)
        s.flush()
        incoming = Interaction(
            source_id=f"in-{n}-{id(db)}",
            customer_id=int(customer.id or 0),
            channel="email",
            direction="in",
            occurred_at=NOW - timedelta(hours=2),
            subject="Pedido 1042",
            body="¿Cuándo sale mi pedido?",
            author="Ben Adler",
            message_id=f"<in-{n}@example.org>",
            in_reply_to=f"<earlier-{n}@cafealba.example>",
        )
        s.add(incoming)
        s.flush()
        item = WorkItem(
            customer_id=int(customer.id or 0),
            interaction_id=int(incoming.id or 0),
            channel="email",
            language="es",
            received_at=incoming.occurred_at,
        )
        s.add(item)
        s.flush()
        draft = Draft(work_item_id=item.id, customer_id=int(customer.id or 0), channel="email", language="es")
        s.add(draft)
        s.flush()
        revision = append_revision(
            s,
            draft_id=int(draft.id or 0),
            author_kind="human",
            kind="human_edit",
            author="marta",
            subject=subject,
            body=body,
        )
        return int(draft.id or 0), revision.content_hash


def add_approved(db: Database, count: int) -> list[int]:
    """`count` approved drafts, queued: their outbox ids."""
    ids = []
    for _ in range(count):
        draft_id, content = add_email_draft(db)
        ids.append(
            approve(db, draft_id=draft_id, content_hash=content, approver="lucia", now=NOW, sender=SENDER).outbox_id
        )
    return ids


def _print(line: Line) -> None:
    # Printed after the outcome was committed: the parent holds us to every line it read.
    print(f"{line.outbox_id} {line.state}", flush=True)


def main(url: str, port: int) -> None:
    db = Database(url)
    transport = SmtpTransport("127.0.0.1", port, "none", sender=SENDER, timeout=10)
    try:
        send_pending(db, [transport], policy=RetryPolicy(base_seconds=0.01, cap_seconds=0.05), on_line=_print)
    finally:
        db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
