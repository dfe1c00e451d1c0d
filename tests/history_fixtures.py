"""Approval history test data: real drafts approved and rejected through the real gate, on the demo workspace."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from drafting.approval import approve, reject, request_changes
from drafting.composer import OfflineComposer
from drafting.drafts import generate_draft, revise_draft
from storage.chain import append_revision
from storage.database import Database
from storage.models import ContextSnapshot, Customer, Draft, User, WorkItem

AI_TEXT = "Hola Nayra,\n\nGracias por escribirnos. Revisaremos tu caso.\n\nUn saludo"
FINAL_TEXT = (
    "Hola Nayra,\n\nSiento mucho lo que ha pasado con tu pedido. "
    "Te reembolsaremos el importe completo esta semana.\n\nUn saludo,\nMarta"
)
PROMISE = "Te reembolsaremos el importe completo esta semana."
SUBJECT = "Re: tu pedido"
SNAPSHOT = {"customer": "Nayra", "note": "escalated: <b>angry</b> & repeat issue"}


@dataclass(frozen=True)
class Seeded:
    escalated_draft: int
    """Escalated, AI draft then a human edit with a commitment, approved by lucia with the commitment acknowledged."""
    plain_draft: int
    """Not escalated, drafted by the offline composer, sent back once, then approved as is."""
    rejected_draft: int
    """Rejected by lucia."""
    approved_at: datetime
    message_id: str


def _item(db: Database, *, escalated: bool, channel: str = "email") -> WorkItem:
    with db.session() as s:
        item = s.exec(
            select(WorkItem)
            .join(Customer, col(Customer.id) == col(WorkItem.customer_id))
            .where(
                WorkItem.status == "new",
                WorkItem.channel == channel,
                col(WorkItem.escalated) == escalated,
                col(Customer.email) != "",
            )
            .order_by(col(WorkItem.id))
        ).first()
    assert item is not None and item.id is not None
    return item


def _ai_draft(db: Database, item: WorkItem, *, at: datetime) -> int:
    """A draft whose first revision is the AI's, as a model would have left it (escalated items get no composer draft)."""
    with db.write() as s:
        author = s.exec(select(User).where(User.name == "marta")).one()
        draft = Draft(
            work_item_id=item.id,
            customer_id=item.customer_id,
            channel=item.channel,
            language=item.language,
            author_id=author.id,
            provider="openai",
            model="gemma",
            created_at=at,
            updated_at=at,
        )
        s.add(draft)
        s.flush()
        assert draft.id is not None
        data = json.dumps(SNAPSHOT, ensure_ascii=False)
        s.add(
            ContextSnapshot(
                draft_id=draft.id, data=data, sha256=hashlib.sha256(data.encode()).hexdigest(), created_at=at
            )
        )
        append_revision(
            s,
            draft_id=draft.id,
            author_kind="ai",
            kind="ai_draft",
            author="",
            subject=SUBJECT,
            body=AI_TEXT,
            created_at=at,
        )
        return draft.id


def seed_history(db: Database, *, now: datetime | None = None) -> Seeded:
    """Three decided drafts on a demo workspace (the demo's own past drafts stay too)."""
    moment = now or datetime.now(UTC).replace(microsecond=0)
    escalated = _item(db, escalated=True)
    draft_id = _ai_draft(db, escalated, at=moment - timedelta(minutes=30))
    out = revise_draft(db, draft_id=draft_id, body=FINAL_TEXT, author="marta")
    assert out.content_hash is not None
    approval = approve(
        db,
        draft_id=draft_id,
        content_hash=out.content_hash,
        approver="lucia",
        acknowledged=["commitment"],
        now=moment,
        sender="Café Alba <hola@cafealba.example>",
    )

    plain = _item(db, escalated=False)
    assert plain.id is not None
    generated = generate_draft(db, item_id=plain.id, provider=OfflineComposer(), author="marta", now=moment)
    request_changes(db, draft_id=generated.draft_id, reviewer="lucia", reason="más cercano", now=moment)
    fixed = revise_draft(
        db,
        draft_id=generated.draft_id,
        body="Hola,\n\nGracias por tu mensaje. Ya está resuelto.\n\nMarta",
        author="marta",
    )
    assert fixed.content_hash is not None
    approve(
        db,
        draft_id=generated.draft_id,
        content_hash=fixed.content_hash,
        approver="lucia",
        now=moment + timedelta(minutes=1),
        sender="Café Alba <hola@cafealba.example>",
    )

    other = _item(db, escalated=False, channel="comment")
    assert other.id is not None
    rejected = generate_draft(db, item_id=other.id, provider=OfflineComposer(), author="marta", now=moment)
    reject(db, draft_id=rejected.draft_id, reviewer="lucia", reason="no aplica", now=moment + timedelta(minutes=2))
    return Seeded(
        escalated_draft=draft_id,
        plain_draft=generated.draft_id,
        rejected_draft=rejected.draft_id,
        approved_at=moment,
        message_id=approval.message_id,
    )
