"""The approval gate: one exact hash, no blocking findings, commitments acknowledged, someone to send to."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from drafting.approval import ApprovalRefused, approval_state, approve, may_send, reject, request_changes
from drafting.composer import OfflineComposer
from drafting.delivery.outbox import claim_next
from drafting.drafts import generate_draft, revise_draft
from storage.chain import verify
from storage.database import Database
from storage.demo import seed_demo
from storage.hashing import content_hash
from storage.models import (
    ApprovedReply,
    AuditEvent,
    Customer,
    DeliveryAttempt,
    Draft,
    EditMetric,
    Interaction,
    OutboxMessage,
    Review,
    WorkItem,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SENDER = "Café Alba <hola@cafealba.example>"
FIXED = (
    "Hi Ben,\n\nThanks for asking about Mondays. Marta on our team has your note about delivery days.\n\nWarmly,\nMarta"
)
PROMISE = "Hi Ben,\n\nMondays work. We will refund the last delivery fee.\n\nWarmly,\nMarta"


@pytest.fixture
def demo(db: Database) -> Database:
    seed_demo(db, now=NOW)
    return db


def _email_draft(db: Database) -> int:
    with db.session() as s:
        item = s.exec(
            select(WorkItem).where(WorkItem.status == "new", WorkItem.channel == "email", ~col(WorkItem.escalated))
        ).first()
    assert item is not None and item.id is not None
    return generate_draft(db, item_id=item.id, provider=OfflineComposer(), now=NOW).draft_id


def _approve(db: Database, draft_id: int, digest: str, **options: object) -> object:
    return approve(db, draft_id=draft_id, content_hash=digest, now=NOW, sender=SENDER, **options)  # type: ignore[arg-type]  # approve's options


def test_composer_placeholders_block_approval(demo: Database) -> None:
    draft_id = _email_draft(demo)
    with demo.session() as s:
        current = s.exec(select(Draft).where(Draft.id == draft_id)).one()
    assert current.status == "drafting"
    outcome = revise_draft(demo, draft_id=draft_id, body="Hi Ben,\n\n[[to confirm: the date]]\n\nMarta", author="marta")
    assert outcome.content_hash is not None
    with pytest.raises(ApprovalRefused, match="placeholder"):
        _approve(demo, draft_id, outcome.content_hash, approver="lucia")
    with demo.session() as s:
        assert s.exec(select(Review).where(Review.draft_id == draft_id)).first() is None
        assert s.exec(select(OutboxMessage).where(OutboxMessage.draft_id == draft_id)).first() is None
        assert approval_state(s, draft_id=draft_id) == "none"


def test_approval_binds_the_current_hash_and_queues_exactly_that(demo: Database) -> None:
    draft_id = _email_draft(demo)
    first = revise_draft(demo, draft_id=draft_id, body=FIXED, author="marta", subject="Re: Mondays")
    assert first.content_hash is not None
    second = revise_draft(demo, draft_id=draft_id, body=FIXED + "\nP.S. Thanks!", author="marta")
    assert second.content_hash is not None
    with pytest.raises(ApprovalRefused, match="not the current revision"):
        _approve(demo, draft_id, first.content_hash, approver="lucia")
    with pytest.raises(ApprovalRefused, match="unknown user 'mallory'"):
        _approve(demo, draft_id, second.content_hash, approver="mallory")
    approval = approve(
        demo, draft_id=draft_id, content_hash=second.content_hash.upper(), approver="lucia", now=NOW, sender=SENDER
    )
    with demo.session() as s:
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None
        draft = s.get(Draft, draft_id)
        assert draft is not None and draft.status == "approved"
        item = s.get(WorkItem, draft.work_item_id)
        assert item is not None and item.status == "approved"
        customer = s.get(Customer, draft.customer_id)
        incoming = s.get(Interaction, item.interaction_id)
        assert customer is not None and incoming is not None
        assert (row.subject, row.body) == ("Re: Mondays", FIXED + "\nP.S. Thanks!")
        assert row.content_hash == content_hash(row.subject, row.body) == second.content_hash
        assert (row.recipients, row.transport, row.state) == (customer.email, "smtp", "queued")
        assert row.in_reply_to == incoming.message_id != ""
        assert row.message_id.startswith("<") and row.message_id.endswith("@cafealba.example>")
        review = s.get(Review, row.review_id)
        assert review is not None and (review.decision, review.reviewer, review.content_hash) == (
            "approve",
            "lucia",
            second.content_hash,
        )
        assert s.exec(select(ApprovedReply).where(ApprovedReply.revision_id == review.revision_id)).one()
        metric = s.exec(select(EditMetric).where(EditMetric.review_id == review.id)).one()
        assert metric.final_revision_id == review.revision_id
        event = s.exec(
            select(AuditEvent).where(AuditEvent.action == "draft.approved").order_by(AuditEvent.id.desc())
        ).first()  # type: ignore[union-attr]  # id is a column
        assert event is not None and json.loads(event.details)["outbox_id"] == row.id
        assert approval_state(s, draft_id=draft_id) == "valid"
        assert may_send(s, row) == (True, "")
        assert verify(s).ok
    with pytest.raises(ApprovalRefused, match="already approved"):
        _approve(demo, draft_id, second.content_hash, approver="lucia")


def test_an_edit_after_approval_voids_it_and_nothing_is_sent(demo: Database) -> None:
    draft_id = _email_draft(demo)
    fixed = revise_draft(demo, draft_id=draft_id, body=FIXED, author="marta")
    assert fixed.content_hash is not None
    approval = approve(demo, draft_id=draft_id, content_hash=fixed.content_hash, approver="lucia", now=NOW)
    revise_draft(demo, draft_id=draft_id, body=FIXED + "\n\nOne more thing.", author="marta")
    # Even going back to the approved words does not revive the approval: a changed hash came in between.
    revise_draft(demo, draft_id=draft_id, body=FIXED, author="marta")
    with demo.session() as s:
        assert approval_state(s, draft_id=draft_id) == "void"
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None
        ok, reason = may_send(s, row)
        assert not ok and "voided" in reason
    assert claim_next(demo, worker="test") is None
    with demo.session() as s:
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None and row.state == "failed" and "voided" in row.last_error
        [attempt] = s.exec(select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == row.id)).all()
        assert attempt.outcome == "refused"


def test_a_changed_queued_text_is_refused_at_send_time(demo: Database) -> None:
    draft_id = _email_draft(demo)
    fixed = revise_draft(demo, draft_id=draft_id, body=FIXED, author="marta")
    assert fixed.content_hash is not None
    approval = approve(demo, draft_id=draft_id, content_hash=fixed.content_hash, approver="lucia", now=NOW)
    with demo.write() as s:
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None
        row.body = FIXED.replace("Mondays", "Tuesdays")
    with demo.session() as s:
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None
        assert may_send(s, row) == (False, "the queued subject and body no longer hash to the approved hash")


def test_commitments_need_acknowledging(demo: Database) -> None:
    draft_id = _email_draft(demo)
    promise = revise_draft(demo, draft_id=draft_id, body=PROMISE, author="marta")
    assert promise.content_hash is not None
    with pytest.raises(ApprovalRefused, match="acknowledge each commitment") as refused:
        _approve(demo, draft_id, promise.content_hash, approver="lucia")
    assert "refund" in refused.value.reason
    with pytest.raises(ApprovalRefused, match="acknowledge"):
        _approve(demo, draft_id, promise.content_hash, approver="lucia", acknowledged=["something else"])
    approval = approve(
        demo, draft_id=draft_id, content_hash=promise.content_hash, approver="lucia", acknowledged=["commitment"]
    )
    assert approval.acknowledged and all(a.startswith("commitment@") for a in approval.acknowledged)
    with demo.session() as s:
        review = s.get(Review, approval.review_id)
        assert review is not None and json.loads(review.acknowledged) == sorted(approval.acknowledged)


def test_no_recipient_no_approval(demo: Database) -> None:
    draft_id = _email_draft(demo)
    fixed = revise_draft(demo, draft_id=draft_id, body=FIXED, author="marta")
    assert fixed.content_hash is not None
    with demo.write() as s:
        draft = s.get(Draft, draft_id)
        assert draft is not None
        customer = s.get(Customer, draft.customer_id)
        assert customer is not None
        customer.email = ""
    with pytest.raises(ApprovalRefused, match="no recipient"):
        _approve(demo, draft_id, fixed.content_hash, approver="lucia")


def test_request_changes_voids_and_reject_closes(demo: Database) -> None:
    draft_id = _email_draft(demo)
    fixed = revise_draft(demo, draft_id=draft_id, body=FIXED, author="marta")
    assert fixed.content_hash is not None
    approval = approve(demo, draft_id=draft_id, content_hash=fixed.content_hash, approver="lucia", now=NOW)
    with pytest.raises(ApprovalRefused, match="reason"):
        request_changes(demo, draft_id=draft_id, reviewer="lucia", reason="  ")
    request_changes(demo, draft_id=draft_id, reviewer="lucia", reason="Say which Monday.")
    with demo.session() as s:
        assert approval_state(s, draft_id=draft_id) == "void"
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None and not may_send(s, row)[0]
        draft = s.get(Draft, draft_id)
        assert draft is not None and draft.status == "changes_requested"
    again = revise_draft(demo, draft_id=draft_id, body=FIXED + "\nSee you soon.", author="marta")
    assert again.content_hash is not None
    approve(demo, draft_id=draft_id, content_hash=again.content_hash, approver="lucia", now=NOW)
    with demo.session() as s:
        assert approval_state(s, draft_id=draft_id) == "valid"
    decided = reject(demo, draft_id=draft_id, reviewer="lucia", reason="The customer already called.")
    with demo.session() as s:
        assert approval_state(s, draft_id=draft_id) == "void"
        draft = s.get(Draft, draft_id)
        assert draft is not None and draft.status == "closed"
        item = s.get(WorkItem, draft.work_item_id)
        assert item is not None and item.status == "new"
        review = s.get(Review, decided.review_id)
        assert review is not None and review.reason == "The customer already called."
        assert verify(s).ok


def test_comment_replies_go_to_the_commenter_by_hand(demo: Database) -> None:
    with demo.session() as s:
        item = s.exec(
            select(WorkItem).where(WorkItem.status == "new", WorkItem.channel == "comment", ~col(WorkItem.escalated))
        ).first()
        assert item is not None and item.id is not None
        incoming = s.get(Interaction, item.interaction_id)
        assert incoming is not None
    draft_id = generate_draft(demo, item_id=item.id, provider=OfflineComposer(), now=NOW).draft_id
    fixed = revise_draft(demo, draft_id=draft_id, body="Thanks for the kind words! See you soon.", author="marta")
    assert fixed.content_hash is not None
    approval = approve(demo, draft_id=draft_id, content_hash=fixed.content_hash, approver="marta", now=NOW)
    with demo.session() as s:
        row = s.get(OutboxMessage, approval.outbox_id)
        assert row is not None
        assert (row.transport, row.message_id, row.subject) == ("manual", "", "")
        assert row.recipients in (incoming.author, s.get(Customer, item.customer_id).name)  # type: ignore[union-attr]  # the customer exists
