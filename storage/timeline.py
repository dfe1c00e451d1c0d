"""Read queries behind the app's hot paths: a customer's timeline, the inbox, a draft's history.

Each query returns plain frozen dataclasses, so nothing that crosses into the
UI or the CLI holds a session or lazy-loads behind the caller's back. Times
are aware UTC on both backends (the `UTCDateTime` column type sees to that).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.models import (
    Customer,
    CustomerHandle,
    Direction,
    Draft,
    Interaction,
    ItemStatus,
    Revision,
    User,
    UTCDateTime,
    WorkItem,
)

# The inbox row lives in storage.rows (no SQLAlchemy there, for the window's first page), imported from here too.
from storage.rows import SNIPPET_CHARS, ItemCursor, ItemRow, item_row
from storage.rows import snippet as _snippet

# Sent and closed items need nothing more from anyone; every other status is open work.
DONE_STATUSES = (ItemStatus.SENT.value, ItemStatus.CLOSED.value)


@dataclass(frozen=True)
class CustomerInfo:
    """Who the customer is, and every handle they are known by."""

    id: int
    customer_id: str
    name: str
    email: str
    phone: str
    language: str
    plan: str
    owner: str
    tags: str
    created_at: datetime | None
    handles: tuple[tuple[str, str], ...]
    """(network, handle) pairs, sorted."""


@dataclass(frozen=True)
class InteractionRow:
    """One message, call or note in a customer's history."""

    id: int
    source_id: str
    channel: str
    direction: str
    occurred_at: datetime
    subject: str
    body: str
    url: str
    author: str


@dataclass(frozen=True)
class InteractionCounts:
    """How much history a customer has, by channel and by direction."""

    total: int
    by_channel: Mapping[str, int]
    incoming: int
    outgoing: int


@dataclass(frozen=True)
class CustomerContext:
    """Everything the conversation view and the drafting context start from."""

    customer: CustomerInfo
    interactions: tuple[InteractionRow, ...]
    """The newest interactions, newest first (at most the `limit` asked for)."""
    counts: InteractionCounts
    open_items: int
    last_incoming_at: datetime | None
    last_outgoing_at: datetime | None


@dataclass(frozen=True)
class RevisionRow:
    """One version of a draft, with the links of its hash chain."""

    id: int
    draft_id: int
    seq: int
    author_kind: str
    kind: str
    author: str
    subject: str
    body: str
    content_hash: str
    created_at: datetime
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class DraftInfo:
    """A draft and the revision that is its current text (None before the first one)."""

    id: int
    status: str
    channel: str
    language: str
    created_at: datetime
    updated_at: datetime
    revision: RevisionRow | None


@dataclass(frozen=True)
class ItemDetail:
    """One work item with what `latido show` and the item pane need."""

    item: ItemRow
    escalation_reasons: str
    updated_at: datetime
    customer: CustomerInfo
    incoming: InteractionRow
    draft: DraftInfo | None
    """The newest draft written for this item, if any."""


# -- shared pieces -----------------------------------------------------------------


def _check_limit(limit: int) -> None:
    # SQLite reads a negative LIMIT as "no limit", which would turn a page into a full scan.
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")


_INTERACTION_COLUMNS = (
    col(Interaction.id),
    col(Interaction.source_id),
    col(Interaction.channel),
    col(Interaction.direction),
    col(Interaction.occurred_at),
    col(Interaction.subject),
    col(Interaction.body),
    col(Interaction.url),
    col(Interaction.author),
)

_REVISION_COLUMNS = (
    col(Revision.id),
    col(Revision.draft_id),
    col(Revision.seq),
    col(Revision.author_kind),
    col(Revision.kind),
    col(Revision.author),
    col(Revision.subject),
    col(Revision.body),
    col(Revision.content_hash),
    col(Revision.created_at),
    col(Revision.prev_hash),
    col(Revision.hash),
)


def _interaction_row(row: Sequence[Any]) -> InteractionRow:
    return InteractionRow(*row)


def _revision_row(row: Sequence[Any]) -> RevisionRow:
    return RevisionRow(*row)


def _customer_info(session: Session, customer: Customer, *, customer_id: int) -> CustomerInfo:
    handles = session.execute(
        sa.select(col(CustomerHandle.network), col(CustomerHandle.handle))
        .where(col(CustomerHandle.customer_id) == customer_id)
        .order_by(col(CustomerHandle.network), col(CustomerHandle.handle))
    ).all()
    return CustomerInfo(
        id=customer_id,
        customer_id=customer.customer_id,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        language=customer.language,
        plan=customer.plan,
        owner=customer.owner,
        tags=customer.tags,
        created_at=customer.created_at,
        handles=tuple((network, handle) for network, handle in handles),
    )


# -- customer context --------------------------------------------------------------


def customer_context(session: Session, *, customer_id: int, limit: int = 200) -> CustomerContext:
    """The customer, their newest `limit` interactions and the totals, in four round-trips.

    `customer_id` is the database id. Raises LookupError when there is no such customer.
    """
    _check_limit(limit)
    open_items = (
        sa.select(sa.func.count(col(WorkItem.id)))
        .where(col(WorkItem.customer_id) == customer_id, col(WorkItem.status).not_in(DONE_STATUSES))
        .scalar_subquery()
    )
    found = session.execute(sa.select(Customer, open_items).where(col(Customer.id) == customer_id)).first()
    if found is None:
        raise LookupError(f"customer {customer_id} does not exist")
    customer, open_count = found

    # customer_id = ? ORDER BY occurred_at is exactly ix_interaction_customer_time, walked backwards;
    # id breaks ties between messages stamped with the same instant.
    recent = session.execute(
        sa.select(*_INTERACTION_COLUMNS)
        .where(col(Interaction.customer_id) == customer_id)
        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
        .limit(limit)
    ).all()

    # One grouped pass over the customer's rows gives every count and both "last" times.
    groups = session.execute(
        sa.select(
            col(Interaction.channel),
            col(Interaction.direction),
            sa.func.count(),
            sa.func.max(col(Interaction.occurred_at)),
        )
        .where(col(Interaction.customer_id) == customer_id)
        .group_by(col(Interaction.channel), col(Interaction.direction))
    ).all()
    by_channel: dict[str, int] = {}
    by_direction: dict[str, int] = {}
    last: dict[str, datetime] = {}
    for channel, direction, count, newest in groups:
        by_channel[channel] = by_channel.get(channel, 0) + count
        by_direction[direction] = by_direction.get(direction, 0) + count
        if direction not in last or newest > last[direction]:
            last[direction] = newest

    return CustomerContext(
        customer=_customer_info(session, customer, customer_id=customer_id),
        interactions=tuple(_interaction_row(r) for r in recent),
        counts=InteractionCounts(
            total=sum(by_channel.values()),
            by_channel=dict(sorted(by_channel.items())),
            incoming=by_direction.get(Direction.IN.value, 0),
            outgoing=by_direction.get(Direction.OUT.value, 0),
        ),
        open_items=int(open_count),
        last_incoming_at=last.get(Direction.IN.value),
        last_outgoing_at=last.get(Direction.OUT.value),
    )


# -- revisions ---------------------------------------------------------------------


def revisions_page(
    session: Session, *, draft_id: int, before_seq: int | None = None, limit: int = 50
) -> list[RevisionRow]:
    """A draft's revisions newest first; pass the last row's `seq` as `before_seq` for the next page.

    Keyset pagination over the unique (draft_id, seq) index, so a page costs the
    same at the start of a long history as at its end.
    """
    _check_limit(limit)
    stmt = sa.select(*_REVISION_COLUMNS).where(col(Revision.draft_id) == draft_id)
    if before_seq is not None:
        stmt = stmt.where(col(Revision.seq) < before_seq)
    rows = session.execute(stmt.order_by(col(Revision.seq).desc()).limit(limit)).all()
    return [_revision_row(r) for r in rows]


# -- inbox -------------------------------------------------------------------------


def items_page(
    session: Session,
    *,
    status: str | None = None,
    escalated: bool | None = None,
    channel: str | None = None,
    assignee_id: int | None = None,
    search: str | None = None,
    after: ItemCursor | None = None,
    limit: int = 100,
    oldest_first: bool = False,
) -> list[ItemRow]:
    """Work items for the inbox: escalated first, then newest first (or, with `oldest_first`, those waiting
    longest first), `limit` at a time.

    Pass the last row's `cursor` as `after` for the next page; rows added or
    changed meanwhile never shift a page, unlike OFFSET. `search` matches the
    customer's name or the message body, case-insensitively (SQLite folds
    ASCII letters only).
    """
    _check_limit(limit)
    snippet = sa.func.substr(col(Interaction.body), 1, SNIPPET_CHARS + 1)
    stmt = (
        sa.select(
            col(WorkItem.id),
            col(Customer.customer_id),
            col(Customer.name),
            col(WorkItem.channel),
            col(WorkItem.status),
            col(WorkItem.escalated),
            col(WorkItem.frustration),
            col(WorkItem.received_at),
            snippet,
            col(WorkItem.language),
            col(User.name),
        )
        .join(Customer, col(Customer.id) == col(WorkItem.customer_id))
        .join(Interaction, col(Interaction.id) == col(WorkItem.interaction_id))
        .outerjoin(User, col(User.id) == col(WorkItem.assignee_id))
    )
    if status is not None:
        stmt = stmt.where(col(WorkItem.status) == status)
    if escalated is not None:
        stmt = stmt.where(col(WorkItem.escalated) == escalated)
    if channel is not None:
        stmt = stmt.where(col(WorkItem.channel) == channel)
    if assignee_id is not None:
        stmt = stmt.where(col(WorkItem.assignee_id) == assignee_id)
    if search:
        stmt = stmt.where(
            sa.or_(
                col(Customer.name).icontains(search, autoescape=True),
                col(Interaction.body).icontains(search, autoescape=True),
            )
        )
    if after is not None:
        # A row-value comparison is one range on the (escalated, received_at) index on both
        # backends; the literals carry their column types so times are bound as stored.
        after_escalated, after_received, after_id = after
        escalated_then = sa.literal(after_escalated, sa.Boolean())
        then = (sa.literal(after_received, UTCDateTime()), sa.literal(after_id, sa.Integer()))
        if oldest_first:  # escalated still first, then time ascending: two ranges
            stmt = stmt.where(
                sa.or_(
                    col(WorkItem.escalated) < escalated_then,
                    sa.and_(
                        col(WorkItem.escalated) == escalated_then,
                        sa.tuple_(col(WorkItem.received_at), col(WorkItem.id)) > sa.tuple_(*then),
                    ),
                )
            )
        else:
            stmt = stmt.where(
                sa.tuple_(col(WorkItem.escalated), col(WorkItem.received_at), col(WorkItem.id))
                < sa.tuple_(escalated_then, *then)
            )
    when = (
        (col(WorkItem.received_at).asc(), col(WorkItem.id).asc())
        if oldest_first
        else (col(WorkItem.received_at).desc(), col(WorkItem.id).desc())
    )
    stmt = stmt.order_by(col(WorkItem.escalated).desc(), *when).limit(limit)
    return [item_row(row, row[7]) for row in session.execute(stmt).all()]  # UTCDateTime decoded the time


# -- one item ----------------------------------------------------------------------


def _newest_draft(session: Session, *, item_id: int) -> DraftInfo | None:
    # Newest by id, not created_at: on a shared database created_at comes from each
    # writer's own clock, while ids are handed out in the order rows were inserted.
    newer = aliased(Revision, name="newer")
    latest_seq = sa.select(sa.func.max(col(newer.seq))).where(col(newer.draft_id) == col(Draft.id)).scalar_subquery()
    row = session.execute(
        sa.select(
            col(Draft.id),
            col(Draft.status),
            col(Draft.channel),
            col(Draft.language),
            col(Draft.created_at),
            col(Draft.updated_at),
            *_REVISION_COLUMNS,
        )
        .outerjoin(Revision, sa.and_(col(Revision.draft_id) == col(Draft.id), col(Revision.seq) == latest_seq))
        .where(col(Draft.work_item_id) == item_id)
        .order_by(col(Draft.id).desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    draft_id, status, channel, language, created_at, updated_at, *revision = row
    return DraftInfo(
        id=draft_id,
        status=status,
        channel=channel,
        language=language,
        created_at=created_at,
        updated_at=updated_at,
        revision=None if revision[0] is None else _revision_row(revision),
    )


def item_detail(session: Session, *, item_id: int) -> ItemDetail | None:
    """The item, its customer, the message it answers and its newest draft; None if there is no such item."""
    found = session.execute(
        sa.select(WorkItem, Customer, Interaction, col(User.name))
        .join(Customer, col(Customer.id) == col(WorkItem.customer_id))
        .join(Interaction, col(Interaction.id) == col(WorkItem.interaction_id))
        .outerjoin(User, col(User.id) == col(WorkItem.assignee_id))
        .where(col(WorkItem.id) == item_id)
    ).first()
    if found is None:
        return None
    item, customer, incoming, assignee = found
    return ItemDetail(
        item=ItemRow(
            id=item_id,
            customer_id=customer.customer_id,
            customer_name=customer.name,
            channel=item.channel,
            status=item.status,
            escalated=item.escalated,
            frustration=item.frustration,
            received_at=item.received_at,
            snippet=_snippet(incoming.body[: SNIPPET_CHARS + 1]),
            language=item.language,
            assignee=assignee,
        ),
        escalation_reasons=item.escalation_reasons,
        updated_at=item.updated_at,
        customer=_customer_info(session, customer, customer_id=item.customer_id),
        incoming=InteractionRow(
            id=item.interaction_id,
            source_id=incoming.source_id,
            channel=incoming.channel,
            direction=incoming.direction,
            occurred_at=incoming.occurred_at,
            subject=incoming.subject,
            body=incoming.body,
            url=incoming.url,
            author=incoming.author,
        ),
        draft=_newest_draft(session, item_id=item_id),
    )
