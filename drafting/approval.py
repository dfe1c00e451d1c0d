"""The approval gate: the one place that decides whether a draft may be approved, and whether it may be sent.

A person approves one exact content hash (promise 1). Approving appends the
review to the draft's chain and enqueues an outbox message that carries the
approved subject and body, byte for byte, with the approval's hash. Whether an
approval still holds is derived, never stored: a later revision that changes
the content, or a later "request changes"/"reject", voids it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import getaddresses, parseaddr
from typing import Literal

from sqlmodel import Session, col, select

from drafting.checks import CheckInput, Finding, blocking, check_draft
from drafting.context import DraftContext, build_context, build_customer_context
from drafting.metrics import record_edit_metric
from drafting.outreach import batch_findings
from drafting.outreach_schedule import send_slot
from drafting.policy import expired, missing_approval, requirement
from storage import config
from storage.chain import append_review, record_event
from storage.database import Database
from storage.hashing import content_hash, normalize_text
from storage.models import (
    ApprovedReply,
    Channel,
    Customer,
    Decision,
    Draft,
    Interaction,
    ItemStatus,
    OutboxMessage,
    OutboxState,
    Review,
    Revision,
    User,
    WorkItem,
    utcnow,
)
from storage.people import user_by_name

ApprovalState = Literal["valid", "void", "none"]

ACKNOWLEDGED_CODES = ("commitment",)
"""Finding codes a person must acknowledge, one by one, to approve."""

# An outbox row in one of these states still stands for its approval: approving the same content again
# would enqueue a second copy of it.
_LIVE_STATES = (
    OutboxState.QUEUED.value,
    OutboxState.SENDING.value,
    OutboxState.SENT.value,
    OutboxState.UNCERTAIN.value,
)
FALLBACK_MAIL_DOMAIN = "latido.invalid"


class ApprovalRefused(Exception):
    """The gate said no; `reason` is one line a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Approval:
    """What an approval left behind: the review, the queued message and the hash it binds."""

    draft_id: int
    revision_id: int
    review_id: int
    outbox_id: int | None
    content_hash: str
    approver: str
    approved_at: datetime
    message_id: str
    acknowledged: tuple[str, ...]
    waiting_for: str = ""
    """What the policy still needs before the draft is queued (a second approver), or "" once it is queued."""


@dataclass(frozen=True)
class Decided:
    """A "request changes" or "reject" review."""

    draft_id: int
    review_id: int
    decision: str
    reviewer: str


# -- queries -----------------------------------------------------------------------------------------------


def latest_revision(session: Session, *, draft_id: int) -> Revision | None:
    return session.exec(
        select(Revision).where(Revision.draft_id == draft_id).order_by(col(Revision.seq).desc()).limit(1)
    ).first()


def latest_approval(session: Session, *, draft_id: int) -> Review | None:
    return session.exec(
        select(Review)
        .where(Review.draft_id == draft_id, Review.decision == Decision.APPROVE.value)
        .order_by(col(Review.seq).desc())
        .limit(1)
    ).first()


def _void_reason(session: Session, review: Review) -> str | None:
    """Why this approval no longer holds, or None while it does."""
    approved = session.get(Revision, review.revision_id)
    if approved is None:  # the foreign key makes this unreachable short of a damaged database
        return f"the approved revision {review.revision_id} is missing"
    changed = session.exec(
        select(Revision.seq)
        .where(
            Revision.draft_id == review.draft_id,
            col(Revision.seq) > approved.seq,
            Revision.content_hash != review.content_hash,
        )
        .limit(1)
    ).first()
    if changed is not None:
        return f"the draft was edited after approval (revision {changed})"
    later = session.exec(
        select(Review.decision)
        .where(
            Review.draft_id == review.draft_id, col(Review.seq) > review.seq, Review.decision != Decision.APPROVE.value
        )
        .limit(1)
    ).first()
    if later is not None:
        return f"a later review decided {later!r}"
    return None


def approval_state(session: Session, *, draft_id: int) -> ApprovalState:
    """`valid` while the latest approval still binds the draft's content, `void` once edited or overruled."""
    review = latest_approval(session, draft_id=draft_id)
    if review is None:
        return "none"
    return "void" if _void_reason(session, review) is not None else "valid"


def standing_approvals(session: Session, *, draft_id: int, content_hash: str) -> list[Review]:
    """The approvals of this exact content that still hold, oldest first."""
    reviews = session.exec(
        select(Review)
        .where(
            Review.draft_id == draft_id,
            Review.decision == Decision.APPROVE.value,
            Review.content_hash == content_hash,
        )
        .order_by(col(Review.seq))
    ).all()
    return [review for review in reviews if _void_reason(session, review) is None]


def _approvers(session: Session, reviews: Sequence[Review]) -> list[User]:
    # A reviewer no longer among the users still approved: as a person with no role, never as a lead.
    return [user_by_name(session, name=review.reviewer) or User(name=review.reviewer, role="") for review in reviews]


def waiting_for(session: Session, *, draft_id: int) -> str:
    """What the policy still needs before the current text can be queued; "" when nothing or nobody approved yet."""
    draft = session.get(Draft, draft_id)
    revision = latest_revision(session, draft_id=draft_id)
    if draft is None or revision is None:
        return ""
    standing = standing_approvals(session, draft_id=draft_id, content_hash=revision.content_hash)
    if not standing:
        return ""
    needed = requirement(
        session, draft=draft, body=revision.body, has_commitments=any(r.acknowledged for r in standing)
    )
    return missing_approval(needed, _approvers(session, standing)) or ""


def may_send(session: Session, row: OutboxMessage, *, now: datetime | None = None) -> tuple[bool, str]:
    """Re-check, just before sending, that `row` is exactly what a person approved and still approves."""
    review = session.get(Review, row.review_id)
    if review is None or review.decision != Decision.APPROVE.value or review.draft_id != row.draft_id:
        return False, f"outbox {row.id} has no approval of draft {row.draft_id}"
    if review.content_hash != row.content_hash:
        return False, "the queued hash differs from the approved hash"
    if content_hash(row.subject, row.body) != row.content_hash:
        return False, "the queued subject and body no longer hash to the approved hash"
    current = latest_revision(session, draft_id=row.draft_id)
    if current is None or current.content_hash != row.content_hash:
        return False, "the draft's current text is not the approved text"
    void = _void_reason(session, review)
    if void is not None:
        return False, f"the approval was voided: {void}"
    refusal = _policy_refusal(session, row, review, now or utcnow())
    return (False, refusal) if refusal is not None else (True, "")


def _policy_refusal(session: Session, row: OutboxMessage, review: Review, now: datetime) -> str | None:
    """The policy as it holds at sending time: a rule a lead tightened since approval applies too."""
    draft = session.get(Draft, row.draft_id)
    standing = standing_approvals(session, draft_id=row.draft_id, content_hash=row.content_hash)
    if draft is not None:
        needed = requirement(session, draft=draft, body=row.body, has_commitments=any(r.acknowledged for r in standing))
        missing = missing_approval(needed, _approvers(session, standing))
        if missing is not None:
            return f"the approval policy is not met: {missing}"
    return expired(review.created_at, session=session, now=now)


# -- the gate --------------------------------------------------------------------------------------------


def _user(session: Session, name: str) -> User:
    user = user_by_name(session, name=name)
    if user is None:
        raise ApprovalRefused(f"unknown user {name!r}")
    return user


def _lock(session: Session, draft_id: int) -> Draft:
    """The draft, locked for this transaction on PostgreSQL (SQLite's BEGIN IMMEDIATE already serializes)."""
    stmt = select(Draft).where(Draft.id == draft_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    draft = session.exec(stmt).first()
    if draft is None:
        raise ApprovalRefused(f"no draft {draft_id}")
    return draft


def _incoming(session: Session, draft: Draft) -> tuple[WorkItem | None, Interaction | None]:
    item = session.get(WorkItem, draft.work_item_id) if draft.work_item_id is not None else None
    incoming = session.get(Interaction, item.interaction_id) if item is not None else None
    return item, incoming


def findings_for(session: Session, *, draft: Draft, revision: Revision, now: datetime | None = None) -> list[Finding]:
    """Every check's findings on this exact revision, with what it answers as context."""
    item, incoming = _incoming(session, draft)
    context: DraftContext | None = None
    if item is not None and item.id is not None:
        context = build_context(session, item_id=item.id, now=now)
    elif draft.batch_id is not None:
        context = build_customer_context(session, customer_id=draft.customer_id, channel=draft.channel, now=now)
    findings = check_draft(
        CheckInput(
            body=revision.body,
            subject=revision.subject,
            channel=draft.channel,
            language=draft.language or (context.language if context else "en"),
            incoming=incoming.body if incoming is not None else "",
            context=context,
        )
    )
    if draft.batch_id is not None:
        findings = sorted([*findings, *batch_findings(session, draft=draft, body=revision.body)], key=_position)
    return findings


def _position(finding: Finding) -> tuple[int, int]:
    return finding.start, finding.end


def _span(finding: Finding) -> str:
    return f"{finding.code}@{finding.start}-{finding.end}"


def _acknowledge(findings: Sequence[Finding], body: str, acknowledged: Iterable[str]) -> list[str]:
    """Match each finding that needs acknowledging to what the person acknowledged; refuse what is left.

    A finding is acknowledged by its code (all of that code), its span (`commitment@12-40`) or its exact text.
    """
    tokens = {t.strip() for t in acknowledged if t.strip()}
    done: list[str] = []
    missing: list[str] = []
    for f in findings:
        if f.code not in ACKNOWLEDGED_CODES:
            continue
        if {f.code, _span(f), body[f.start : f.end].strip()} & tokens:
            done.append(_span(f))
        else:
            missing.append(f"{_span(f)} {body[f.start : f.end]!r}")
    if missing:
        raise ApprovalRefused(
            f"acknowledge each commitment first (--ack commitment or --ack SPAN): {'; '.join(missing)}"
        )
    return done


def _addresses(value: str) -> list[str]:
    return [addr for _, addr in getaddresses([value]) if "@" in addr]


def _recipients(session: Session, draft: Draft, incoming: Interaction | None) -> tuple[str, str]:
    """(transport, recipients) for a draft: email goes by SMTP; comments by webhook when one is set, else by hand."""
    customer = session.get(Customer, draft.customer_id)
    if customer is None:  # the foreign key makes this unreachable short of a damaged database
        raise ApprovalRefused(f"draft {draft.id} has no customer")
    if draft.channel == Channel.EMAIL:
        addresses = _addresses(customer.email)
        if not addresses:
            raise ApprovalRefused(f"draft {draft.id} has no recipient: {customer.name} has no email address")
        return "smtp", ", ".join(addresses)
    author = incoming.author if incoming is not None else ""
    recipient = author if author.startswith("@") else customer.name
    if not recipient.strip():
        raise ApprovalRefused(f"draft {draft.id} has no recipient")
    transport = "webhook" if draft.channel == Channel.COMMENT and config.get("webhook.url") else "manual"
    return transport, recipient


def new_message_id(sender: str | None = None) -> str:
    """`<random@domain>`, the domain taken from the From address so replies thread at the sender's domain."""
    _, address = parseaddr(sender if sender is not None else config.get("smtp.from"))
    domain = address.rpartition("@")[2].strip() if "@" in address else ""
    return f"<{uuid.uuid4().hex}@{domain or FALLBACK_MAIL_DOMAIN}>"


def _check_not_queued(session: Session, draft: Draft, revision: Revision) -> None:
    if draft.status in (ItemStatus.SENT.value, ItemStatus.CLOSED.value):
        raise ApprovalRefused(f"draft {draft.id} is {draft.status}; it cannot be approved again")
    live = session.exec(
        select(OutboxMessage.id, OutboxMessage.state).where(
            OutboxMessage.draft_id == draft.id,
            OutboxMessage.content_hash == revision.content_hash,
            col(OutboxMessage.state).in_(_LIVE_STATES),
        )
    ).first()
    if live is not None:
        raise ApprovalRefused(f"this content is already approved (outbox {live[0]}, {live[1]})")


def approve(
    db: Database,
    *,
    draft_id: int,
    content_hash: str,
    approver: str,
    acknowledged: Iterable[str] = (),
    now: datetime | None = None,
    sender: str | None = None,
) -> Approval:
    """Approve the draft's current revision, named by its hash, and queue it for sending.

    Refuses (ApprovalRefused) when the hash is not the current revision's, the
    approver is unknown, a blocking finding remains, a commitment is not
    acknowledged, or there is nobody to send it to.
    """
    moment = now or utcnow()
    expected = content_hash.strip().lower()
    with db.write() as session:
        draft = _lock(session, draft_id)
        user = _user(session, approver)
        revision = latest_revision(session, draft_id=draft_id)
        if revision is None or not normalize_text(revision.body):
            raise ApprovalRefused(f"draft {draft_id} has no text to approve")
        if expected != revision.content_hash:
            raise ApprovalRefused(
                f"hash {expected[:12] or '(empty)'}… is not the current revision's "
                f"(revision {revision.seq} has {revision.content_hash[:12]}…); review the current text first"
            )
        _check_not_queued(session, draft, revision)
        item, incoming = _incoming(session, draft)
        findings = findings_for(session, draft=draft, revision=revision, now=moment)
        blockers = blocking(findings)
        if blockers:
            described = "; ".join(f"{f.code} {revision.body[f.start : f.end]!r}" for f in blockers)
            raise ApprovalRefused(f"fix these before approving: {described}")
        acks = _acknowledge(findings, revision.body, acknowledged)
        transport, recipients = _recipients(session, draft, incoming)
        needed = requirement(
            session, draft=draft, body=revision.body, has_commitments=any(f.code == "commitment" for f in findings)
        )
        if not needed.self_approval and user.name == needed.author:
            raise ApprovalRefused(
                "the approval policy forbids approving your own draft; ask another person to approve it"
            )
        standing = standing_approvals(session, draft_id=draft_id, content_hash=revision.content_hash)
        if any(review.reviewer == user.name for review in standing):
            raise ApprovalRefused(
                f"you already approved this text; it still needs {missing_approval(needed, _approvers(session, standing))}"
            )
        missing = missing_approval(needed, [*_approvers(session, standing), user])

        review = append_review(
            session,
            draft_id=draft_id,
            revision_id=int(revision.id or 0),
            reviewer=user.name,
            decision=Decision.APPROVE,
            acknowledged=acks,
            created_at=moment,
        )
        warned = sorted({f.code for f in findings})
        record_edit_metric(session, review_id=int(review.id or 0), findings_overridden=warned)
        if missing is not None:
            return _first_of_two(
                session,
                draft=draft,
                item=item,
                revision=revision,
                review=review,
                user=user,
                acks=acks,
                warned=warned,
                missing=missing,
                moment=moment,
            )
        draft.status, draft.updated_at = ItemStatus.APPROVED.value, moment
        if item is not None:
            item.status, item.updated_at = ItemStatus.APPROVED.value, moment
        message_id = new_message_id(sender) if draft.channel == Channel.EMAIL else ""
        row = OutboxMessage(
            draft_id=draft_id,
            review_id=int(review.id or 0),
            channel=draft.channel,
            transport=transport,
            recipients=recipients,
            subject=revision.subject,
            body=revision.body,
            content_hash=revision.content_hash,
            message_id=message_id,
            in_reply_to=incoming.message_id if incoming is not None and draft.channel == Channel.EMAIL else "",
            idempotency_key=f"latido-{draft_id}-{review.id}",
            state=OutboxState.QUEUED.value,
            # A batch message waits for its slot: the batch's rate, its start time, the customer's local hours.
            next_attempt_at=send_slot(session, draft=draft, now=moment),
            created_at=moment,
            updated_at=moment,
        )
        session.add(row)
        already_kept = session.exec(select(ApprovedReply.id).where(ApprovedReply.revision_id == revision.id)).first()
        if already_kept is None:
            session.add(
                ApprovedReply(
                    draft_id=draft_id,
                    revision_id=int(revision.id or 0),
                    customer_id=draft.customer_id,
                    channel=draft.channel,
                    language=draft.language,
                    incoming=incoming.body if incoming is not None else "",
                    body=revision.body,
                    approved_at=moment,
                )
            )
        session.flush()
        record_event(
            session,
            action="draft.approved",
            actor=user.name,
            entity="draft",
            entity_id=draft_id,
            details={
                "review_id": review.id,
                "revision_id": revision.id,
                "hash": revision.content_hash,
                "outbox_id": row.id,
                "acknowledged": acks,
                "findings_overridden": warned,
            },
            occurred_at=moment,
        )
        return Approval(
            draft_id=draft_id,
            revision_id=int(revision.id or 0),
            review_id=int(review.id or 0),
            outbox_id=int(row.id or 0),
            content_hash=revision.content_hash,
            approver=user.name,
            approved_at=moment,
            message_id=message_id,
            acknowledged=tuple(acks),
        )


def _first_of_two(
    session: Session,
    *,
    draft: Draft,
    item: WorkItem | None,
    revision: Revision,
    review: Review,
    user: User,
    acks: list[str],
    warned: list[str],
    missing: str,
    moment: datetime,
) -> Approval:
    """An approval the policy counts but that does not queue the draft yet: it waits in a lead's queue."""
    draft.status, draft.updated_at = ItemStatus.WAITING_APPROVAL.value, moment
    if item is not None:
        item.status, item.updated_at = ItemStatus.WAITING_APPROVAL.value, moment
    record_event(
        session,
        action="draft.approval_recorded",
        actor=user.name,
        entity="draft",
        entity_id=int(draft.id or 0),
        details={
            "review_id": review.id,
            "revision_id": revision.id,
            "hash": revision.content_hash,
            "acknowledged": acks,
            "findings_overridden": warned,
            "waiting_for": missing,
        },
        occurred_at=moment,
    )
    return Approval(
        draft_id=int(draft.id or 0),
        revision_id=int(revision.id or 0),
        review_id=int(review.id or 0),
        outbox_id=None,
        content_hash=revision.content_hash,
        approver=user.name,
        approved_at=moment,
        message_id="",
        acknowledged=tuple(acks),
        waiting_for=missing,
    )


def _decide(
    db: Database,
    *,
    draft_id: int,
    reviewer: str,
    reason: str,
    decision: Decision,
    draft_status: ItemStatus,
    item_status: ItemStatus,
    now: datetime | None,
) -> Decided:
    if not reason.strip():
        raise ApprovalRefused("say why: a reason is required")
    moment = now or utcnow()
    with db.write() as session:
        draft = _lock(session, draft_id)
        user = _user(session, reviewer)
        if draft.status in (ItemStatus.SENT.value, ItemStatus.CLOSED.value):
            raise ApprovalRefused(f"draft {draft_id} is {draft.status}")
        sending = session.exec(
            select(OutboxMessage.id).where(
                OutboxMessage.draft_id == draft_id,
                col(OutboxMessage.state).in_((OutboxState.SENDING.value, OutboxState.SENT.value)),
            )
        ).first()
        if sending is not None:
            raise ApprovalRefused(f"draft {draft_id} is already being sent (outbox {sending})")
        revision = latest_revision(session, draft_id=draft_id)
        if revision is None:
            raise ApprovalRefused(f"draft {draft_id} has no text to review")
        review = append_review(
            session,
            draft_id=draft_id,
            revision_id=int(revision.id or 0),
            reviewer=user.name,
            decision=decision,
            reason=reason.strip(),
            created_at=moment,
        )
        draft.status, draft.updated_at = draft_status.value, moment
        item, _ = _incoming(session, draft)
        if item is not None:
            item.status, item.updated_at = item_status.value, moment
        record_event(
            session,
            action=f"draft.{decision.value}",
            actor=user.name,
            entity="draft",
            entity_id=draft_id,
            details={"review_id": review.id, "revision_id": revision.id, "reason": reason.strip()},
            occurred_at=moment,
        )
        return Decided(draft_id, int(review.id or 0), decision.value, user.name)


def request_changes(db: Database, *, draft_id: int, reviewer: str, reason: str, now: datetime | None = None) -> Decided:
    """Send the draft back to its writer; any earlier approval is void from here on."""
    return _decide(
        db,
        draft_id=draft_id,
        reviewer=reviewer,
        reason=reason,
        decision=Decision.REQUEST_CHANGES,
        draft_status=ItemStatus.CHANGES_REQUESTED,
        item_status=ItemStatus.CHANGES_REQUESTED,
        now=now,
    )


def reject(db: Database, *, draft_id: int, reviewer: str, reason: str, now: datetime | None = None) -> Decided:
    """Close the draft for good; the message it answered is open again for a new draft."""
    return _decide(
        db,
        draft_id=draft_id,
        reviewer=reviewer,
        reason=reason,
        decision=Decision.REJECT,
        draft_status=ItemStatus.CLOSED,
        item_status=ItemStatus.NEW,
        now=now,
    )
