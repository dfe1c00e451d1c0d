"""Which incoming messages still wait for a reply: they become work items."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session

from storage.models import Channel, Customer, Direction, Interaction, WorkItem, utcnow

# Calls and internal notes are context, not something to answer in writing.
ANSWERABLE = (Channel.EMAIL, Channel.COMMENT, Channel.DM, Channel.TICKET, Channel.CHAT)


def refresh_work_items(session: Session, *, customer_ids: Iterable[int] | None = None) -> int:
    """Create a work item for each incoming message with no later outgoing reply on its channel.

    Idempotent: an interaction never gets a second work item. Returns how many were created.
    """
    incoming = sa.alias(Interaction.__table__, "incoming")  # type: ignore[attr-defined]  # SQLModel table
    reply = sa.alias(Interaction.__table__, "reply")  # type: ignore[attr-defined]  # SQLModel table
    item = WorkItem.__table__  # type: ignore[attr-defined]  # SQLModel table
    answered = (
        sa.select(reply.c.id)
        .where(
            reply.c.customer_id == incoming.c.customer_id,
            reply.c.channel == incoming.c.channel,
            reply.c.direction == Direction.OUT.value,
            reply.c.occurred_at >= incoming.c.occurred_at,
        )
        .exists()
    )
    has_item = sa.select(item.c.id).where(item.c.interaction_id == incoming.c.id).exists()

    customer = Customer.__table__  # type: ignore[attr-defined]  # SQLModel table
    select = (
        sa.select(
            incoming.c.customer_id,
            incoming.c.id,
            incoming.c.channel,
            customer.c.language,
            incoming.c.occurred_at,
            sa.literal("new"),
            sa.false(),
            sa.literal(0.0),
            sa.literal(""),
            sa.literal(utcnow(), type_=WorkItem.__table__.c.updated_at.type),  # type: ignore[attr-defined]  # SQLModel table
        )
        .join(customer, customer.c.id == incoming.c.customer_id)
        .where(
            incoming.c.direction == Direction.IN.value,
            incoming.c.channel.in_([c.value for c in ANSWERABLE]),
            ~answered,
            ~has_item,
        )
    )
    if customer_ids is not None:
        ids = list(customer_ids)
        if not ids:
            return 0
        select = select.where(incoming.c.customer_id.in_(ids))
    columns = [
        "customer_id",
        "interaction_id",
        "channel",
        "language",
        "received_at",
        "status",
        "escalated",
        "frustration",
        "escalation_reasons",
        "updated_at",
    ]
    created = session.execute(sa.insert(item).from_select(columns, select).returning(item.c.id)).all()
    return len(created)
