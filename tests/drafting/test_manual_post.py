"""Manual post: copy exactly the approved text, open the comment, and record who marked it posted."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from drafting.delivery.base import Outgoing
from drafting.delivery.manual import (
    ManualOnly,
    ManualPost,
    ManualPostRefused,
    clipboard_text,
    comment_link,
    mark_posted,
)
from storage.chain import append_review, append_revision, verify
from storage.database import Database
from storage.hashing import content_hash
from storage.models import (
    AuditEvent,
    Customer,
    DeliveryAttempt,
    Draft,
    Interaction,
    OutboxMessage,
    WorkItem,
)
from storage.workitems import refresh_work_items

COMMENT_URL = "https://www.instagram.example/p/Cx1/c/9911"
# Trailing spaces and a CRLF: the hash ignores them, the copied text must keep them.
APPROVED = "¡Hola Ana! Lo sentimos mucho 🙏 Te escribimos por DM para resolverlo hoy.  \r\n— Equipo Latido"


def queue_manual_post(
    db: Database, *, body: str = APPROVED, transport: str = "manual", url: str = COMMENT_URL, state: str = "queued"
) -> int:
    """An approved comment reply waiting in the outbox, built from the chained rows an approval leaves."""
    with db.write() as s:
        ana = Customer(customer_id="c-ana", name="Ana")
        s.add(ana)
        s.flush()
        assert ana.id is not None
        s.add(
            Interaction(
                source_id="ig-9911",
                customer_id=ana.id,
                channel="comment",
                direction="in",
                occurred_at=datetime(2026, 11, 3, 18, 0, tzinfo=UTC),
                body="Llevo una semana esperando 😡",
                url=url,
                author="@ana",
            )
        )
        s.flush()
        refresh_work_items(s, customer_ids=[ana.id])
        item = s.exec(select(WorkItem)).one()
        draft = Draft(work_item_id=item.id, customer_id=ana.id, channel="comment")
        s.add(draft)
        s.flush()
        assert draft.id is not None
        revision = append_revision(
            s, draft_id=draft.id, author_kind="human", kind="human_edit", author="marta", subject="", body=body
        )
        assert revision.id is not None
        review = append_review(s, draft_id=draft.id, revision_id=revision.id, reviewer="lucia", decision="approve")
        assert review.id is not None
        row = OutboxMessage(
            draft_id=draft.id,
            review_id=review.id,
            channel="comment",
            transport=transport,
            recipients="instagram:@ana",
            subject="",
            body=body,
            content_hash=review.content_hash,
            idempotency_key="ob-1",
            state=state,
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        return row.id


def outbox_row(db: Database, outbox_id: int) -> OutboxMessage:
    with db.session() as s:
        row = s.get(OutboxMessage, outbox_id)
    assert row is not None
    return row


def test_clipboard_text_is_exactly_the_approved_body(db: Database) -> None:
    row = outbox_row(db, queue_manual_post(db))
    assert clipboard_text(row) == APPROVED
    with db.session() as s:
        assert comment_link(s, outbox_id=row.id or 0) == COMMENT_URL


def test_comment_link_is_only_ever_a_web_address(db: Database) -> None:
    outbox_id = queue_manual_post(db, url="javascript:alert(1)")
    with db.session() as s:
        assert comment_link(s, outbox_id=outbox_id) == ""


def test_mark_posted_records_who_and_when(db: Database) -> None:
    outbox_id = queue_manual_post(db)
    before = datetime.now(UTC)

    row = mark_posted(db, outbox_id=outbox_id, actor="marta", url="https://www.instagram.example/p/Cx1/c/9912")

    assert (row.state, row.sent_by, row.attempts) == ("sent", "marta", 1)
    stored = outbox_row(db, outbox_id)
    assert (stored.state, stored.sent_by) == ("sent", "marta")
    assert stored.sent_at is not None and stored.sent_at >= before
    with db.session() as s:
        [attempt] = s.exec(select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id)).all()
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "outbox.marked_posted")).all()
        reply = s.exec(select(Interaction).where(Interaction.direction == "out")).one()
        item = s.exec(select(WorkItem)).one()
        draft = s.exec(select(Draft)).one()
        chain = verify(s)
    assert (attempt.outcome, attempt.actor, attempt.attempt) == ("sent", "marta", 1)
    assert "9912" in attempt.detail
    assert (event.actor, event.entity, event.entity_id) == ("marta", "outbox", str(outbox_id))
    details = json.loads(event.details)
    assert details["content_hash"] == content_hash("", APPROVED) and details["previous_state"] == "queued"
    assert (reply.channel, reply.body, reply.author, reply.source_id) == (
        "comment",
        APPROVED,
        "marta",
        f"latido-outbox-{outbox_id}",
    )
    assert reply.url == "https://www.instagram.example/p/Cx1/c/9912"
    assert (item.status, draft.status) == ("sent", "sent")
    assert chain.ok

    with pytest.raises(ManualPostRefused, match="is sent by marta"):
        mark_posted(db, outbox_id=outbox_id, actor="lucia")


def test_uncertain_rows_can_be_marked(db: Database) -> None:
    outbox_id = queue_manual_post(db, state="uncertain")
    assert mark_posted(db, outbox_id=outbox_id, actor="marta").state == "sent"


def test_tampered_row_is_refused(db: Database) -> None:
    outbox_id = queue_manual_post(db)
    # Someone edits the queued text in the database after approval.
    with db.write() as s:
        s.execute(
            sa.update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(body=APPROVED + " Cupón: GRATIS100")  # type: ignore[arg-type]  # SQLModel column comparison
        )
    row = outbox_row(db, outbox_id)
    with pytest.raises(ManualPostRefused, match="hash mismatch"):
        clipboard_text(row)
    with pytest.raises(ManualPostRefused, match="hash mismatch"):
        mark_posted(db, outbox_id=outbox_id, actor="marta")

    # Changing the row's own hash to match does not help: the approval still covers the old text.
    with db.write() as s:
        s.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)  # type: ignore[arg-type]  # SQLModel column comparison
            .values(content_hash=content_hash("", row.body))
        )
    with pytest.raises(ManualPostRefused, match="queued hash differs from the approved hash"):
        mark_posted(db, outbox_id=outbox_id, actor="marta")
    assert outbox_row(db, outbox_id).state == "queued"
    with db.session() as s:
        assert s.exec(select(DeliveryAttempt)).all() == []
        assert s.exec(select(Interaction).where(Interaction.direction == "out")).all() == []


def test_only_manual_rows_are_marked(db: Database) -> None:
    outbox_id = queue_manual_post(db, transport="webhook")
    with pytest.raises(ManualPostRefused, match="goes out by webhook"):
        mark_posted(db, outbox_id=outbox_id, actor="marta")


def test_marking_needs_a_person_and_a_web_address(db: Database) -> None:
    outbox_id = queue_manual_post(db)
    with pytest.raises(ManualPostRefused, match="user name"):
        mark_posted(db, outbox_id=outbox_id, actor="  ")
    with pytest.raises(ManualPostRefused, match="web address"):
        mark_posted(db, outbox_id=outbox_id, actor="marta", url="file:///etc/passwd")
    with pytest.raises(ManualPostRefused, match="no outbox message 999"):
        mark_posted(db, outbox_id=999, actor="marta")


def test_the_worker_cannot_send_a_manual_post() -> None:
    message = Outgoing(
        outbox_id=5, channel="comment", recipients=(), subject="", body="x", content_hash=content_hash("", "x")
    )
    with pytest.raises(ManualOnly, match="transport is 'manual'"):
        ManualPost().send(message)
