"""Manual post: the channel for public comments Latido cannot post itself.

A person copies the approved text (`clipboard_text`), opens the comment's link (`comment_link`),
posts the reply on the network, and marks it posted (`mark_posted`). The mark is the delivery: it
records who and when, in the outbox row, a delivery attempt, the audit chain and the customer's
history.

The outbox worker never sends these rows. It claims only rows whose `transport` is one it was
given (`claim_next(transports=...)`, `send_pending(transports)`), and `MANUAL` ("manual") must
never be among them: never hand `ManualPost` to the worker, and if a transport table holds it,
leave `MANUAL` out of the names the claim query filters on. So manual rows stay `queued` until a
person marks them; they never pass through `sending`, so a crash never makes them `uncertain`
(`mark_posted` still accepts `uncertain`, for a row a person was asked to reconcile). `ManualPost`
exists so a transport table can name every transport, and it raises `ManualOnly` if a worker
hands it a row anyway: loudly, never a silent state change. Marking goes through the same gate as
sending (`drafting.approval.may_send`).
"""

from __future__ import annotations

import urllib.parse
from datetime import datetime

from sqlmodel import Session, select

from drafting.approval import may_send
from drafting.delivery.base import Outgoing, SendOutcome
from storage.chain import record_event
from storage.database import Database
from storage.hashing import content_hash
from storage.models import (
    DeliveryAttempt,
    Direction,
    Draft,
    Interaction,
    ItemStatus,
    OutboxMessage,
    OutboxState,
    WorkItem,
    utcnow,
)

MANUAL = "manual"
MARKABLE = frozenset({OutboxState.QUEUED.value, OutboxState.UNCERTAIN.value})


class ManualPostRefused(Exception):
    """The row cannot be marked posted (or copied); the message says why."""


class ManualOnly(RuntimeError):
    """A manual-post row reached the automatic sender: the worker's claim query must skip it."""


class ManualPost:
    """The transport entry for manual posts: nothing is sent automatically."""

    name = MANUAL

    def send(self, message: Outgoing) -> SendOutcome:
        raise ManualOnly(
            f"outbox {message.outbox_id} is posted by a person (copy, open the link, mark as posted); "
            "the outbox worker must not claim rows whose transport is 'manual'"
        )


def is_manual(row: OutboxMessage) -> bool:
    """Whether a person, not the worker, delivers this row."""
    return row.transport == MANUAL


def _check_content(row: OutboxMessage) -> None:
    if content_hash(row.subject, row.body) != row.content_hash:
        raise ManualPostRefused(
            f"outbox {row.id}: the text no longer matches what was approved (hash mismatch); "
            "it was changed after approval and must be approved again"
        )


def clipboard_text(row: OutboxMessage) -> str:
    """Exactly the approved body, to paste as the reply; refused if the text changed after approval."""
    _check_content(row)
    return row.body


def comment_link(session: Session, *, outbox_id: int) -> str:
    """The link of the comment being answered, when it is a web address ("" otherwise).

    Only http(s) links are returned: the link comes from imported or fetched data, and anything
    else (`file:`, `javascript:`) must never be opened.
    """
    stmt = (
        select(Interaction.url)
        .join(WorkItem, WorkItem.interaction_id == Interaction.id)  # type: ignore[arg-type]  # SQLModel column comparison
        .join(Draft, Draft.work_item_id == WorkItem.id)  # type: ignore[arg-type]  # SQLModel column comparison
        .join(OutboxMessage, OutboxMessage.draft_id == Draft.id)  # type: ignore[arg-type]  # SQLModel column comparison
        .where(OutboxMessage.id == outbox_id)
    )
    url = session.exec(stmt).first() or ""
    return url if _web_address(url) else ""


def _web_address(url: str) -> bool:
    parts = urllib.parse.urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def mark_posted(db: Database, *, outbox_id: int, actor: str, url: str | None = None) -> OutboxMessage:
    """Record that `actor` posted this approved reply by hand, now; returns the updated row.

    Refused when the row is not a manual post, is not waiting (`queued` or `uncertain`), or its text
    is not exactly the text its approval covers.
    """
    actor = actor.strip()
    if not actor:
        raise ManualPostRefused("who posted it? a user name is required to mark a reply as posted")
    if url is not None and url.strip() and not _web_address(url):
        raise ManualPostRefused(f"{url!r} is not a web address (http or https)")
    posted_url = (url or "").strip()
    with db.write() as session:
        row = _locked_row(session, outbox_id)
        _check_markable(session, row)
        now = utcnow()
        previous = row.state
        row.state = OutboxState.SENT.value
        row.sent_by = actor[:80]
        row.sent_at = now
        row.updated_at = now
        row.attempts += 1
        row.last_error = ""
        row.next_attempt_at = None
        session.add(row)
        detail = "marked posted by hand" + (f" at {posted_url}" if posted_url else "")
        session.add(
            DeliveryAttempt(outbox_id=outbox_id, attempt=row.attempts, outcome="sent", detail=detail, actor=actor)
        )
        draft = session.get(Draft, row.draft_id)
        assert draft is not None  # a foreign key of the row
        session.add(
            Interaction(
                source_id=f"latido-outbox-{outbox_id}",  # the key the outbox worker gives what it sends
                customer_id=draft.customer_id,
                channel=row.channel,
                direction=Direction.OUT.value,
                occurred_at=now,
                subject=row.subject,
                body=row.body,
                url=posted_url[:2000],
                author=actor[:200],
                message_id=row.message_id,
                in_reply_to=row.in_reply_to,
            )
        )
        _mark_item_sent(session, draft, now)
        record_event(
            session,
            action="outbox.marked_posted",
            actor=actor,
            entity="outbox",
            entity_id=outbox_id,
            details={
                "draft_id": row.draft_id,
                "review_id": row.review_id,
                "content_hash": row.content_hash,
                "previous_state": previous,
                "url": posted_url,
            },
            occurred_at=now,
        )
    return row


def _locked_row(session: Session, outbox_id: int) -> OutboxMessage:
    stmt = select(OutboxMessage).where(OutboxMessage.id == outbox_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        raise ManualPostRefused(f"there is no outbox message {outbox_id}")
    return row


def _check_markable(session: Session, row: OutboxMessage) -> None:
    if not is_manual(row):
        raise ManualPostRefused(
            f"outbox {row.id} goes out by {row.transport or 'an unset transport'}, not by hand; "
            "only manual posts can be marked posted"
        )
    if row.state not in MARKABLE:
        who = f" by {row.sent_by}" if row.sent_by else ""
        raise ManualPostRefused(f"outbox {row.id} is {row.state}{who}; only queued or uncertain posts can be marked")
    _check_content(row)
    # The same gate the outbox worker passes before every send.
    ok, reason = may_send(session, row)
    if not ok:
        raise ManualPostRefused(f"outbox {row.id} may not be posted: {reason}; it must be approved again")


def _mark_item_sent(session: Session, draft: Draft, now: datetime) -> None:
    """The draft and the work item it answers are done."""
    draft.status = ItemStatus.SENT.value
    draft.updated_at = now
    session.add(draft)
    if draft.work_item_id is not None:
        item = session.get(WorkItem, draft.work_item_id)
        if item is not None:
            item.status = ItemStatus.SENT.value
            item.updated_at = now
            session.add(item)
