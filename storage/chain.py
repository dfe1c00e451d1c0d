"""The hash chains over the append-only tables: appending links and verifying them.

Revisions and reviews are chained per draft (ordered by `seq`); audit events
form one global chain (ordered by `id`). A link's hash covers every column of
the row but `hash` itself, so changing any stored field breaks the chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from storage.hashing import Scalar, chain_hash, content_hash
from storage.models import (
    GENESIS_HASH,
    AuditEvent,
    Decision,
    Draft,
    Review,
    Revision,
    utcnow,
)

_AUDIT_LOCK_KEY = 0x4C6174696

ChainRow = Revision | Review | AuditEvent


def _content(row: SQLModel) -> dict[str, Scalar]:
    """Every column of a chained row except its own hash."""
    table = row.__table__  # type: ignore[attr-defined]  # SQLModel table classes have __table__
    return {c.name: getattr(row, c.name) for c in table.columns if c.name != "hash"}


def link_hash(row: ChainRow) -> str:
    """The hash a chained row must carry, computed from its content."""
    return chain_hash(row.prev_hash, _content(row))


def _next_id(session: Session, table: type[SQLModel]) -> int:
    """Allocate the row id before insert, since the id is part of the hash."""
    name = table.__tablename__  # type: ignore[attr-defined]  # set by SQLModel
    if session.get_bind().dialect.name == "postgresql":
        stmt = sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id'))")
        return int(session.execute(stmt, {"t": name}).scalar_one())
    # SQLite writes run under BEGIN IMMEDIATE, so max(id) cannot move under us.
    value = session.execute(sa.text(f"SELECT coalesce(max(id), 0) + 1 FROM {name}")).scalar_one()
    return int(value)


def _lock_draft(session: Session, draft_id: int) -> None:
    """Serialize appends to one draft's chains (a no-op beyond BEGIN IMMEDIATE on SQLite)."""
    stmt = select(Draft.id).where(Draft.id == draft_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    if session.exec(stmt).first() is None:
        raise LookupError(f"draft {draft_id} does not exist")


def _tail(session: Session, model: type[Revision] | type[Review], draft_id: int) -> tuple[int, str]:
    row = session.exec(
        select(model.seq, model.hash)  # type: ignore[call-overload]  # SQLModel's select overloads miss this pair
        .where(model.draft_id == draft_id)
        .order_by(model.seq.desc())  # type: ignore[attr-defined]  # column expression
        .limit(1)
    ).first()
    return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))


def append_revision(
    session: Session,
    *,
    draft_id: int,
    author_kind: str,
    kind: str,
    author: str,
    subject: str,
    body: str,
    created_at: datetime | None = None,
) -> Revision:
    """Add the next revision of a draft to its chain (the caller commits)."""
    _lock_draft(session, draft_id)
    seq, prev = _tail(session, Revision, draft_id)
    rev = Revision(
        id=_next_id(session, Revision),
        draft_id=draft_id,
        seq=seq + 1,
        author_kind=author_kind,
        kind=kind,
        author=author,
        subject=subject,
        body=body,
        content_hash=content_hash(subject, body),
        created_at=created_at or utcnow(),
        prev_hash=prev,
        hash="",
    )
    rev.hash = link_hash(rev)
    session.add(rev)
    session.flush()
    return rev


def append_review(
    session: Session,
    *,
    draft_id: int,
    revision_id: int,
    reviewer: str,
    decision: Decision | str,
    reason: str = "",
    acknowledged: list[str] | None = None,
    created_at: datetime | None = None,
) -> Review:
    """Record a person's decision on one exact revision (the caller commits)."""
    _lock_draft(session, draft_id)
    revision = session.get(Revision, revision_id)
    if revision is None or revision.draft_id != draft_id:
        raise LookupError(f"revision {revision_id} is not a revision of draft {draft_id}")
    seq, prev = _tail(session, Review, draft_id)
    review = Review(
        id=_next_id(session, Review),
        draft_id=draft_id,
        seq=seq + 1,
        revision_id=revision_id,
        reviewer=reviewer,
        decision=str(Decision(decision)),
        content_hash=revision.content_hash,
        reason=reason,
        acknowledged=json.dumps(sorted(acknowledged or []), ensure_ascii=False),
        created_at=created_at or utcnow(),
        prev_hash=prev,
        hash="",
    )
    review.hash = link_hash(review)
    session.add(review)
    session.flush()
    return review


def record_event(
    session: Session,
    *,
    action: str,
    actor: str = "",
    entity: str = "",
    entity_id: str | int = "",
    details: Mapping[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append an event to the global audit chain (the caller commits)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    last = session.exec(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()  # type: ignore[union-attr]  # id is a column here
    event = AuditEvent(
        id=_next_id(session, AuditEvent),
        occurred_at=occurred_at or utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        details=json.dumps(dict(details or {}), sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=last or GENESIS_HASH,
        hash="",
    )
    event.hash = link_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class Break:
    """The first place a chain no longer holds."""

    table: str
    row_id: int
    chain: str
    problem: str

    def __str__(self) -> str:
        return f"{self.table} {self.row_id} ({self.chain}): {self.problem}"


@dataclass
class Verification:
    checked: dict[str, int]
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None


def _check_link(row: ChainRow, expected_prev: str, table: str, chain: str) -> Break | None:
    if row.prev_hash != expected_prev:
        return Break(table, int(row.id or 0), chain, "prev_hash does not match the hash of the link before it")
    if isinstance(row, Revision) and row.content_hash != content_hash(row.subject, row.body):
        return Break(table, int(row.id or 0), chain, "subject or body differ from the recorded content hash")
    if link_hash(row) != row.hash:
        return Break(table, int(row.id or 0), chain, "stored hash does not match the row's content")
    return None


def _rows(session: Session, model: type[ChainRow], order: Any) -> Iterator[ChainRow]:
    result = session.exec(select(model).order_by(*order).execution_options(yield_per=2000))
    yield from result


def _verify_per_draft(session: Session, model: type[Revision] | type[Review]) -> tuple[int, Break | None]:
    table = model.__tablename__  # type: ignore[attr-defined]  # set by SQLModel
    count = 0
    first: Break | None = None
    current_draft: int | None = None
    expected_prev, expected_seq, broken_draft = GENESIS_HASH, 1, False
    for row in _rows(session, model, (model.draft_id, model.seq, model.id)):
        count += 1
        if row.draft_id != current_draft:  # type: ignore[union-attr]  # Revision and Review both have draft_id
            current_draft, expected_prev, expected_seq, broken_draft = row.draft_id, GENESIS_HASH, 1, False  # type: ignore[union-attr]  # as above
        if broken_draft:
            continue
        chain = f"draft {current_draft}"
        problem: Break | None
        if row.seq != expected_seq:  # type: ignore[union-attr]  # as above
            problem = Break(table, int(row.id or 0), chain, f"seq {row.seq} where {expected_seq} was expected (a link is missing or moved)")  # type: ignore[union-attr]  # as above
        else:
            problem = _check_link(row, expected_prev, table, chain)
        if problem is not None:
            broken_draft = True
            if first is None or problem.row_id < first.row_id:
                first = problem
            continue
        expected_prev, expected_seq = row.hash, expected_seq + 1
    return count, first


def _verify_audit(session: Session) -> tuple[int, Break | None]:
    count = 0
    expected_prev = GENESIS_HASH
    for row in _rows(session, AuditEvent, (AuditEvent.id,)):
        count += 1
        problem = _check_link(row, expected_prev, "auditevent", "audit log")
        if problem is not None:
            return count, problem
        expected_prev = row.hash
    return count, None


def verify(session: Session) -> Verification:
    """Walk every chain; report the first broken link of each table."""
    checked: dict[str, int] = {}
    breaks: list[Break] = []
    for name, (count, problem) in (
        ("revision", _verify_per_draft(session, Revision)),
        ("review", _verify_per_draft(session, Review)),
        ("auditevent", _verify_audit(session)),
    ):
        checked[name] = count
        if problem is not None:
            breaks.append(problem)
    return Verification(checked=checked, breaks=breaks)
