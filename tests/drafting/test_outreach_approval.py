"""The approval gate on outreach drafts: batch findings in the gate's view, and the send slot on the outbox row."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from drafting.approval import approve, findings_for, latest_revision
from drafting.drafts import revise_draft
from drafting.outreach import Brief, batch_drafts, create_batch, draft_batch
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Customer, Draft, OutboxMessage

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BRIEF = (
    "[en]\nFrom January every bag also comes in 500 g.\n[es]\nDesde enero todas las bolsas vienen también de 500 g.\n"
)


@pytest.fixture
def demo(db: Database) -> Database:
    seed_demo(db, now=NOW)
    return db


def _customers(db: Database, count: int) -> list[Customer]:
    with db.session() as s:
        return list(
            s.exec(
                select(Customer).where(Customer.email != "", Customer.timezone != "").order_by(col(Customer.id))
            ).all()[:count]
        )


def test_batch_messages_wait_for_their_slot_in_the_customers_hours(demo: Database) -> None:
    customers = _customers(demo, 3)
    start = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # the middle of the night in every demo time zone
    batch_id = create_batch(
        demo,
        author="marta",
        brief=Brief("announcement", BRIEF),
        customers=[int(c.id or 0) for c in customers],
        rate_per_hour=2,
        send_after=start,
        window=(9, 20),
    )
    draft_batch(demo, batch_id=batch_id, now=NOW)
    with demo.session() as s:
        drafts = batch_drafts(s, batch_id=batch_id)
    for d in drafts:
        body = re.sub(r"\s*\[\[to confirm:[^\]]*\]\]", "", d.text)
        outcome = revise_draft(demo, draft_id=d.draft_id, body=body, author="marta", subject=d.subject)
        digest = outcome.content_hash or ""
        approve(demo, draft_id=d.draft_id, content_hash=digest, approver="marta", acknowledged=["commitment"], now=NOW)
    zones = {int(c.id or 0): ZoneInfo(c.timezone) for c in customers}
    with demo.session() as s:
        rows = list(
            s.exec(
                select(OutboxMessage)
                .join(Draft, col(Draft.id) == col(OutboxMessage.draft_id))
                .where(Draft.batch_id == batch_id)
                .order_by(col(OutboxMessage.next_attempt_at))
            )
        )
        owners = {r.id: s.get(Draft, r.draft_id) for r in rows}
    assert len(rows) == 3
    slots = [r.next_attempt_at for r in rows]
    assert all(slot is not None and slot >= start for slot in slots)
    for row in rows:
        draft = owners[row.id]
        assert draft is not None and row.next_attempt_at is not None
        local = row.next_attempt_at.astimezone(zones[draft.customer_id])
        assert 9 <= local.hour < 20, local
    gaps = [b - a for a, b in itertools.pairwise(slots) if a is not None and b is not None]
    assert all(gap >= timedelta(minutes=30) for gap in gaps)


def test_the_gate_sees_the_batch_findings(demo: Database) -> None:
    customers = _customers(demo, 2)
    batch_id = create_batch(
        demo, author="marta", brief=Brief("announcement", BRIEF), customers=[int(c.id or 0) for c in customers]
    )
    draft_batch(demo, batch_id=batch_id, now=NOW)
    with demo.session() as s:
        draft = s.exec(select(Draft).where(Draft.batch_id == batch_id)).first()
    assert draft is not None and draft.id is not None
    revise_draft(demo, draft_id=draft.id, body="Hello there,\n\nWe moved our office to a new street.", author="marta")
    with demo.session() as s:
        revision = latest_revision(s, draft_id=draft.id)
        assert revision is not None
        found = findings_for(s, draft=draft, revision=revision, now=NOW)
    assert any(f.code == "mass_email" and "nothing specific" in f.message for f in found)
