"""The rows Latido keeps: SQLModel tables, one class per table.

Revisions, reviews and audit events are append-only and hash-chained; the
database refuses UPDATE and DELETE on them (see the initial migration).
Times are stored in UTC.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

GENESIS_HASH = "0" * 64


def utcnow() -> datetime:
    """Now, in UTC, with tzinfo."""
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp that is always UTC and always aware when read back.

    SQLite keeps no offset, so values are converted to UTC before they are
    written and marked UTC when read; a naive value is taken to be UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> sa.Column[datetime]:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


class Role(enum.StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    TRAINEE = "trainee"


class Channel(enum.StrEnum):
    EMAIL = "email"
    COMMENT = "comment"
    DM = "dm"
    CALL = "call"
    TICKET = "ticket"
    CHAT = "chat"
    NOTE = "note"


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class ItemStatus(enum.StrEnum):
    NEW = "new"
    DRAFTING = "drafting"
    WAITING_APPROVAL = "waiting_approval"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SENT = "sent"
    CLOSED = "closed"


class AuthorKind(enum.StrEnum):
    AI = "ai"
    HUMAN = "human"


class RevisionKind(enum.StrEnum):
    AI_DRAFT = "ai_draft"
    HUMAN_EDIT = "human_edit"
    AI_REWRITE = "ai_rewrite"
    RESTORE = "restore"
    APPROVER_EDIT = "approver_edit"


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


class OutboxState(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    display_name: str = Field(default="", max_length=200)
    role: str = Field(default=Role.AGENT.value, max_length=16)
    email: str = Field(default="", max_length=320)
    language: str = Field(default="en", max_length=8)
    signature: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Customer(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_customer_name", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(unique=True, max_length=120)
    name: str = Field(max_length=200)
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=64)
    language: str = Field(default="", max_length=8)
    plan: str = Field(default="", max_length=80)
    owner: str = Field(default="", max_length=80)
    tags: str = Field(default="", max_length=500)
    timezone: str = Field(default="", max_length=64)
    created_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    imported_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class CustomerHandle(SQLModel, table=True):
    """One way to reach or recognise a customer: an email, a phone, `instagram:@ana`."""

    __table_args__ = (sa.UniqueConstraint("network", "handle", name="uq_handle_network"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    network: str = Field(max_length=40)
    handle: str = Field(max_length=320, index=True)


class Interaction(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_interaction_customer_time", "customer_id", "occurred_at"),
        # Covers the per-channel counts of a customer's context without visiting the rows.
        sa.Index("ix_interaction_customer_channel", "customer_id", "channel", "direction", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(unique=True, max_length=255)
    customer_id: int = Field(foreign_key="customer.id")
    channel: str = Field(max_length=16)
    direction: str = Field(max_length=4)
    occurred_at: datetime = Field(sa_column=_ts(index=True))
    subject: str = Field(default="")
    body: str
    url: str = Field(default="", max_length=2000)
    author: str = Field(default="", max_length=200)
    message_id: str = Field(default="", max_length=998, index=True)
    in_reply_to: str = Field(default="", max_length=998)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class WorkItem(SQLModel, table=True):
    """Something to answer: one incoming interaction waiting for a reply."""

    __table_args__ = (
        sa.Index("ix_workitem_status_received", "status", "received_at"),
        sa.Index("ix_workitem_escalated_received", "escalated", "received_at"),
        sa.Index("ix_workitem_customer_status", "customer_id", "status"),
        sa.Index("ix_workitem_status_escalated_received", "status", "escalated", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    interaction_id: int = Field(foreign_key="interaction.id", unique=True)
    channel: str = Field(max_length=16)
    status: str = Field(default=ItemStatus.NEW.value, max_length=24)
    assignee_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    escalated: bool = Field(default=False)
    frustration: float = Field(default=0.0)
    escalation_reasons: str = Field(default="", max_length=500)
    language: str = Field(default="", max_length=8)
    received_at: datetime = Field(sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Draft(SQLModel, table=True):
    """A reply (or a new message) being written; its text lives in revisions."""

    id: int | None = Field(default=None, primary_key=True)
    work_item_id: int | None = Field(default=None, foreign_key="workitem.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    channel: str = Field(max_length=16)
    language: str = Field(default="", max_length=8)
    author_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    status: str = Field(default=ItemStatus.DRAFTING.value, max_length=24)
    provider: str = Field(default="", max_length=80)
    model: str = Field(default="", max_length=200)
    batch_id: int | None = Field(default=None, index=True)  # outreachbatch.id (no FK: kept from 0001)
    sameness: float | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Revision(SQLModel, table=True):
    """One full version of a draft. Append-only, chained per draft."""

    __table_args__ = (
        sa.UniqueConstraint("draft_id", "seq", name="uq_revision_draft_seq"),
        sa.UniqueConstraint("draft_id", "prev_hash", name="uq_revision_draft_prev"),
    )

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id")
    seq: int
    author_kind: str = Field(max_length=8)
    kind: str = Field(max_length=16)
    author: str = Field(default="", max_length=80)
    subject: str = Field(default="")
    body: str
    content_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class Review(SQLModel, table=True):
    """A person's decision on one exact revision. Append-only, chained per draft."""

    __table_args__ = (
        sa.UniqueConstraint("draft_id", "seq", name="uq_review_draft_seq"),
        sa.UniqueConstraint("draft_id", "prev_hash", name="uq_review_draft_prev"),
    )

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id")
    seq: int
    revision_id: int = Field(foreign_key="revision.id", index=True)
    reviewer: str = Field(max_length=80)
    decision: str = Field(max_length=24)
    content_hash: str = Field(max_length=64)
    reason: str = Field(default="")
    acknowledged: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditEvent(SQLModel, table=True):
    """Who did what, when. Append-only, one global chain."""

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))
    actor: str = Field(default="", max_length=80)
    action: str = Field(max_length=80)
    entity: str = Field(default="", max_length=40)
    entity_id: str = Field(default="", max_length=80)
    details: str = Field(default="")
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64)


class ContextSnapshot(SQLModel, table=True):
    """Exactly what a draft's writer was given to know, kept for the lead. Write-once."""

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    data: str
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Generation(SQLModel, table=True):
    """Provenance of one model or composer run: who wrote the text, from what, how fast. Write-once.

    Never holds a key: only the endpoint's host.
    """

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    revision_id: int | None = Field(default=None, foreign_key="revision.id", index=True)
    snapshot_id: int | None = Field(default=None, foreign_key="contextsnapshot.id")
    purpose: str = Field(max_length=40)
    provider: str = Field(max_length=40)
    model: str = Field(default="", max_length=200)
    base_url_host: str = Field(default="", max_length=255)
    prompt_hash: str = Field(default="", max_length=64)
    latency_ms: float = Field(default=0.0)
    first_token_ms: float | None = Field(default=None)
    prompt_tokens: int = Field(default=0)
    completion_tokens: int = Field(default=0)
    finish_reason: str = Field(default="", max_length=24)
    error: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class OutboxMessage(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_outbox_state_next", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    channel: str = Field(max_length=16)
    transport: str = Field(default="", max_length=16)
    recipients: str = Field(default="")
    subject: str = Field(default="")
    body: str
    content_hash: str = Field(max_length=64)
    message_id: str = Field(default="", max_length=998)
    in_reply_to: str = Field(default="", max_length=998)
    idempotency_key: str = Field(default="", max_length=80)
    state: str = Field(default=OutboxState.QUEUED.value, max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    last_error: str = Field(default="")
    claimed_by: str = Field(default="", max_length=120)
    refused: str = Field(default="")
    """Per-recipient refusals as JSON: {"address": "550 reason"}."""
    sent_by: str = Field(default="", max_length=80)
    """Who marked a manual post as posted, or resolved an uncertain send."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    sent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class DeliveryAttempt(SQLModel, table=True):
    """One try at sending an outbox message, and how it ended. Append-only."""

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outboxmessage.id", index=True)
    attempt: int
    outcome: str = Field(max_length=16)
    """sent, retry, failed, uncertain, refused, or a person's decision (resolved_sent, resend)."""
    detail: str = Field(default="")
    actor: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class MailboxState(SQLModel, table=True):
    """How far IMAP fetching got in one folder (UIDVALIDITY + last UID), so fetches are idempotent."""

    __table_args__ = (sa.UniqueConstraint("account", "folder", name="uq_mailbox_account_folder"),)

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=320)
    folder: str = Field(max_length=255)
    uidvalidity: int = Field(default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False))
    last_uid: int = Field(default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class EditMetric(SQLModel, table=True):
    """How much a person changed the AI's draft before deciding on it: the lead's raw material. Write-once."""

    __table_args__ = (sa.Index("ix_editmetric_edit_pct_review", "edit_pct", "review_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    ai_revision_id: int | None = Field(default=None, foreign_key="revision.id")
    final_revision_id: int = Field(foreign_key="revision.id")
    words_ai: int = Field(default=0)
    words_final: int = Field(default=0)
    edit_pct: float = Field(default=0.0)
    empathy_added: str = Field(default="")
    commitments_added: str = Field(default="")
    commitments_removed: str = Field(default="")
    findings_resolved: str = Field(default="")
    findings_overridden: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class ApprovedReply(SQLModel, table=True):
    """A reply a person approved: the team's memory of what good looks like."""

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    revision_id: int = Field(foreign_key="revision.id", unique=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    channel: str = Field(max_length=16)
    language: str = Field(default="", max_length=8)
    incoming: str = Field(default="")
    body: str
    approved_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class FeedbackNote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    work_item_id: int | None = Field(default=None, foreign_key="workitem.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    author: str = Field(max_length=80)
    tags: str = Field(default="", max_length=500)
    body: str
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))


class VoiceGuide(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8, unique=True)
    tone: str = Field(default="")
    words_use: str = Field(default="")
    words_avoid: str = Field(default="")
    signature_email: str = Field(default="")
    signature_comment: str = Field(default="")
    signature_dm: str = Field(default="")
    comment_limit: int = Field(default=300)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class VoiceExample(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    guide_id: int = Field(foreign_key="voiceguide.id", index=True)
    channel: str = Field(max_length=16)
    incoming: str = Field(default="")
    reply: str
    source_draft_id: int | None = Field(default=None, foreign_key="draft.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class PolicyRule(SQLModel, table=True):
    """One rule of the team's approval policy (four-eyes, self-approval, expiry); see drafting/policy.py."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=80)
    value: str = Field(default="", max_length=200)
    updated_by: str = Field(default="", max_length=80)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class OutreachBatch(SQLModel, table=True):
    """A brief and the customers it was written for: one new message, or a personalised batch."""

    id: int | None = Field(default=None, primary_key=True)
    author: str = Field(max_length=80)
    purpose: str = Field(default="", max_length=40)
    brief: str = Field(default="")
    channel: str = Field(default="email", max_length=16)
    selection: str = Field(default="")
    provider: str = Field(default="", max_length=40)
    status: str = Field(default="drafting", max_length=16)
    total: int = Field(default=0)
    rate_per_hour: int = Field(default=0)
    send_after: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    window_start_hour: int = Field(default=9)
    window_end_hour: int = Field(default=20)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


CHAINED_TABLES = ("revision", "review", "auditevent")
APPEND_ONLY_TABLES = (*CHAINED_TABLES, "contextsnapshot", "generation", "deliveryattempt", "editmetric")
