"""The hash chains over the append-only tables: appending links and verifying them.

Revisions and reviews are chained per draft (ordered by `seq`); audit events
form one global chain (ordered by `id`). A link's hash covers every column of
the row but `hash` itself, so changing any stored field breaks the chain.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

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

_CHAIN_LOCK_KEY = 0x4C6174696

ChainRow = Revision | Review | AuditEvent


def _content(row: SQLModel) -> dict[str, Scalar]:
    """Every column of a chained row except its own hash."""
    table = row.__table__  # type: ignore[attr-defined]  # SQLModel table classes have __table__
    return {c.name: getattr(row, c.name) for c in table.columns if c.name != "hash"}


def _table_name(model: type[SQLModel]) -> str:
    """A table class's name (SQLModel types `__tablename__` loosely: a str or a callable)."""
    name = model.__tablename__
    if not isinstance(name, str):
        raise TypeError(f"{model.__name__} has no table name")
    return name


def link_hash(row: ChainRow) -> str:
    """The hash a chained row must carry, computed from its content."""
    return chain_hash(row.prev_hash, _content(row))


def _next_id(session: Session, table: type[SQLModel]) -> int:
    """Allocate the row id before insert, since the id is part of the hash."""
    name = _table_name(table)
    if session.get_bind().dialect.name == "postgresql":
        stmt = sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id'))")
        return int(session.execute(stmt, {"t": name}).scalar_one())
    # SQLite writes run under BEGIN IMMEDIATE, so max(id) cannot move under us.
    value = session.execute(sa.text(f"SELECT coalesce(max(id), 0) + 1 FROM {name}")).scalar_one()  # noqa: S608  # name is a model's table name, never user input
    return int(value)


def _lock_chains(session: Session) -> None:
    """On PostgreSQL, one transaction at a time appends to any chain.

    Every append takes the same advisory lock first, so a transaction that
    adds a revision and an audit event can never deadlock with one that adds
    them in the other order. (On SQLite, BEGIN IMMEDIATE already serializes writers.)
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_KEY})


def _lock_draft(session: Session, draft_id: int) -> None:
    """Serialize appends to one draft's chains and check the draft exists."""
    _lock_chains(session)
    stmt = select(Draft.id).where(Draft.id == draft_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    if session.exec(stmt).first() is None:
        raise LookupError(f"draft {draft_id} does not exist")


def _tail(session: Session, model: type[Revision] | type[Review], draft_id: int) -> tuple[int, str]:
    row = session.exec(
        select(model.seq, model.hash)
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
        _lock_chains(session)
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
    try:
        if row.prev_hash != expected_prev:
            return Break(table, int(row.id or 0), chain, "prev_hash does not match the hash of the link before it")
        if isinstance(row, Revision) and row.content_hash != content_hash(row.subject, row.body):
            return Break(table, int(row.id or 0), chain, "subject or body differ from the recorded content hash")
        if link_hash(row) != row.hash:
            return Break(table, int(row.id or 0), chain, "stored hash does not match the row's content")
    except (TypeError, ValueError) as exc:
        # SQLite stores any type in any column: a blob or number where text belongs cannot be
        # hashed, and that row is the broken link (PostgreSQL's column types rule this out).
        return Break(table, int(row.id or 0), chain, f"a stored value has the wrong type ({exc})")
    return None


@contextmanager
def _rows(session: Session, model: type[ChainRow], order: Any) -> Iterator[Iterator[ChainRow]]:
    """The rows in chain order, streamed; closed on exit even when a walk stops early.

    On PostgreSQL `yield_per` streams through a server-side cursor, which an
    abandoned result would leave open until garbage collection.
    """
    result = session.exec(select(model).order_by(*order).execution_options(yield_per=2000))
    try:
        yield cast(Iterator[ChainRow], iter(result))
    finally:
        result.close()


def _first_unreadable(session: Session, model: type[ChainRow]) -> tuple[int, Break | None]:
    """When a table cannot even be read back, name the lowest id whose stored values do not parse.

    Only SQLite can hold such a row (text that is no timestamp, say): it keeps
    whatever it is given. Reading row by row is slow, but runs only after a
    walk has already failed.
    """
    table = model.__table__  # type: ignore[union-attr]  # SQLModel table classes have __table__
    ids = session.execute(sa.select(table.c.id).order_by(table.c.id)).scalars().all()
    for row_id in ids:
        try:
            tuple(session.execute(sa.select(*table.columns).where(table.c.id == row_id)).one())
        except (TypeError, ValueError) as exc:
            return len(ids), Break(table.name, int(row_id), table.name, f"a stored value cannot be read ({exc})")
    return len(ids), None


def _verify_per_draft(session: Session, model: type[Revision] | type[Review]) -> tuple[int, Break | None]:
    table = _table_name(model)
    count = 0
    first: Break | None = None
    current_draft: int | None = None
    expected_prev, expected_seq, broken_draft = GENESIS_HASH, 1, False
    with _rows(session, model, (model.draft_id, model.seq, model.id)) as rows:
        for row in rows:
            count += 1
            if row.draft_id != current_draft:  # type: ignore[union-attr]  # Revision and Review both have draft_id
                current_draft, expected_prev, expected_seq, broken_draft = row.draft_id, GENESIS_HASH, 1, False  # type: ignore[union-attr]  # as above
            if broken_draft:
                continue
            chain = f"draft {current_draft}"
            problem: Break | None
            if row.seq != expected_seq:  # type: ignore[union-attr]  # as above
                moved = f"seq {row.seq} where {expected_seq} was expected (a link is missing or moved)"  # type: ignore[union-attr]  # as above
                problem = Break(table, int(row.id or 0), chain, moved)
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
    with _rows(session, AuditEvent, (AuditEvent.id,)) as rows:
        for row in rows:
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
    walks: tuple[tuple[type[ChainRow], Callable[[], tuple[int, Break | None]]], ...] = (
        (Revision, lambda: _verify_per_draft(session, Revision)),
        (Review, lambda: _verify_per_draft(session, Review)),
        (AuditEvent, lambda: _verify_audit(session)),
    )
    for model, walk in walks:
        name = _table_name(model)
        try:
            count, problem = walk()
        except (TypeError, ValueError):
            # A stored value that does not parse (SQLite only) stops the walk; name that row.
            count, problem = _first_unreadable(session, model)
            if problem is None:  # not a row that fails to read: never report such a walk as intact
                raise
        checked[name] = count
        if problem is not None:
            breaks.append(problem)
    return Verification(checked=checked, breaks=breaks)
