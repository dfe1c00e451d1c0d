"""An incoming message with no later reply on its channel becomes exactly one work item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage.database import Database
from storage.models import Customer, Interaction, WorkItem
from storage.workitems import refresh_work_items

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _msg(customer_id: int, n: int, channel: str, direction: str, minutes: int) -> Interaction:
    return Interaction(
        source_id=f"i-{n}",
        customer_id=customer_id,
        channel=channel,
        direction=direction,
        occurred_at=T0 + timedelta(minutes=minutes),
        body=f"message {n}",
    )


def test_unanswered_incoming_becomes_one_item(db: Database) -> None:
    with db.write() as s:
        c = Customer(customer_id="c-1", name="Ana", language="es")
        s.add(c)
        s.flush()
        assert c.id is not None
        s.add_all(
            [
                _msg(c.id, 1, "email", "in", 0),  # answered by 2
                _msg(c.id, 2, "email", "out", 10),
                _msg(c.id, 3, "email", "in", 20),  # waits
                _msg(c.id, 4, "comment", "in", 30),  # waits: the email reply is another channel
                _msg(c.id, 5, "call", "in", 40),  # a call is context, not a work item
            ]
        )
        s.flush()
        assert refresh_work_items(s) == 2
        assert refresh_work_items(s) == 0  # idempotent
    with db.session() as s:
        items = s.exec(select(WorkItem).order_by(WorkItem.received_at)).all()  # type: ignore[arg-type]
        bodies = [s.get(Interaction, i.interaction_id).body for i in items]  # type: ignore[union-attr]
    assert bodies == ["message 3", "message 4"]
    assert [i.language for i in items] == ["es", "es"]
    assert items[0].received_at == T0 + timedelta(minutes=20)
