"""History cannot be rewritten quietly: triggers refuse it, and any single-field change is named by verify.

A chain of about 10,000 rows (revisions of many drafts, reviews, audit events) is
built once per backend through the real append functions. The append-only
triggers are then switched off, as an attacker with write access to the file or
server could do, and hypothesis changes one field of one row with raw SQL.
Each change runs inside a SAVEPOINT that is rolled back after verification, so
every example starts from the intact chain.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlmodel import Session

from desktop.cli import main
from storage.chain import append_review, append_revision, record_event, verify
from storage.database import Database
from storage.models import CHAINED_TABLES, AuditEvent, Customer, Draft, Review, Revision
from tests.pg_server import PgServer

# (drafts, longest revision chain, reviews per draft with revisions, audit events)
LARGE = (400, 30, 5, 2_500)  # revisions 30/20/10/0 per draft: 6,000 + 1,500 reviews + 2,500 events = 10,000 rows
SMALL = (8, 6, 3, 12)
DRAFTS_PER_TRANSACTION = 100

MODELS: dict[str, type[Revision] | type[Review] | type[AuditEvent]] = {
    "revision": Revision,
    "review": Review,
    "auditevent": AuditEvent,
}
PER_DRAFT = ("revision", "review")

Row = dict[str, Any]


@dataclass
class Chain:
    """The tamperable database and an in-memory copy of every chained row as it was written."""

    db: Database
    rows: dict[str, list[Row]]
    draft_ids: list[int]
    build_seconds: float
    referenced_revisions: set[int] = field(default_factory=set)
    seqs: dict[tuple[str, int], set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for table in PER_DRAFT:
            for row in self.rows[table]:
                self.seqs.setdefault((table, row["draft_id"]), set()).add(row["seq"])
        self.referenced_revisions = {row["revision_id"] for row in self.rows["review"]}


def _revisions_for(index: int, longest: int) -> int:
    """Chains of different lengths, some empty, so rows can move to a draft where their seq is free."""
    return longest - (index % 4) * (longest // 3)


def _build(db: Database, shape: tuple[int, int, int, int]) -> list[int]:
    """A chained history through the real append functions, in a handful of transactions."""
    drafts, longest, reviews, events = shape
    rng = random.Random(20261125)
    with db.write() as s:
        customer = Customer(customer_id="c-tamper", name="Ana Ruiz")
        s.add(customer)
        s.flush()
        rows = [Draft(customer_id=int(customer.id or 0), channel="email") for _ in range(drafts)]
        s.add_all(rows)
        s.flush()
        draft_ids = [int(d.id or 0) for d in rows]
    for start in range(0, drafts, DRAFTS_PER_TRANSACTION):
        with db.write() as s:
            for index in range(start, min(start + DRAFTS_PER_TRANSACTION, drafts)):
                draft_id = draft_ids[index]
                revision_ids = []
                for n in range(_revisions_for(index, longest)):
                    rev = append_revision(
                        s,
                        draft_id=draft_id,
                        author_kind="ai" if n == 0 else "human",
                        kind="ai_draft" if n == 0 else "human_edit",
                        author="" if n == 0 else rng.choice(["marta", "lucía", "joe"]),
                        subject=f"Re: pedido {draft_id}",
                        body=f"Hola Ana,\n\nversión {n} del borrador {draft_id}: ¿llegó bien el pedido?",
                    )
                    revision_ids.append(int(rev.id or 0))
                for _ in range(reviews if revision_ids else 0):
                    append_review(
                        s,
                        draft_id=draft_id,
                        revision_id=rng.choice(revision_ids),
                        reviewer="lucía",
                        decision=rng.choice(["approve", "request_changes", "reject"]),
                        reason="revisado",
                        acknowledged=["commitment"],
                    )
                s.expunge_all()  # a large identity map only slows later flushes down
    for start in range(0, events, 1_000):
        with db.write() as s:
            for n in range(start, min(start + 1_000, events)):
                record_event(
                    s,
                    action="draft.revised",
                    actor="marta",
                    entity="draft",
                    entity_id=draft_ids[n % drafts],
                    details={"n": n},
                )
    return draft_ids


def _snapshot(db: Database) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    with db.session() as s:
        for table, model in MODELS.items():
            columns = model.__table__.columns  # type: ignore[union-attr]  # SQLModel table
            rows[table] = [dict(r._mapping) for r in s.execute(sa.select(*columns).order_by(columns["id"]))]
    return rows


def _disable_append_only(db: Database) -> None:
    """What someone with direct write access can always do; the hash chain is the defence left."""
    with db.engine.begin() as conn:
        for table in CHAINED_TABLES:
            if db.dialect == "sqlite":
                conn.exec_driver_sql(f"DROP TRIGGER {table}_append_only_update")
                conn.exec_driver_sql(f"DROP TRIGGER {table}_append_only_delete")
            else:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def _tamperable(request: pytest.FixtureRequest, tmp: Path, shape: tuple[int, int, int, int]) -> Iterator[Chain]:
    pg: PgServer | None = None
    name = f"latido_tamper_{os.getpid()}_{shape[0]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'latido.sqlite3'}"
    else:
        pg = request.getfixturevalue("pg_server")
        url = pg.create_database(name)
    db = Database(url)
    db.upgrade(backup=False)
    started = time.perf_counter()
    draft_ids = _build(db, shape)
    built = time.perf_counter() - started
    with db.session() as s:
        assert verify(s).ok
    _disable_append_only(db)
    yield Chain(db=db, rows=_snapshot(db), draft_ids=draft_ids, build_seconds=built)
    db.dispose()
    if pg is not None:
        pg.drop_database(name)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=BACKENDS)
def large(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    """About 10,000 chained rows, built once per backend."""
    yield from _tamperable(request, tmp_path_factory.mktemp("large"), LARGE)


@pytest.fixture(scope="module", params=BACKENDS)
def small(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    """A few dozen chained rows: cheap to verify, so every column can be tampered with many times."""
    yield from _tamperable(request, tmp_path_factory.mktemp("small"), SMALL)


def test_the_large_chain_is_built_fast(large: Chain) -> None:
    counts = {table: len(rows) for table, rows in large.rows.items()}
    assert counts == {"revision": 6_000, "review": 1_500, "auditevent": 2_500}
    assert large.build_seconds < 40, f"building 10,000 links took {large.build_seconds:.1f} s on {large.db.dialect}"
    with large.db.session() as s:
        assert verify(s).checked == counts


# -- the oracle ------------------------------------------------------------------------------------


def _order(table: str, row: Row) -> tuple[int, ...]:
    """The order verify walks a chain in: (draft, seq, id) per draft, id for the audit log."""
    if table in PER_DRAFT:
        return (row["draft_id"], row["seq"], row["id"])
    return (row["id"],)


def _chains(table: str, rows: list[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in sorted(rows, key=lambda r: _order(table, r)):
        grouped.setdefault(row["draft_id"] if table in PER_DRAFT else 0, []).append(row)
    return grouped


def expected_first_break(table: str, original: list[Row], changed: list[Row]) -> int:
    """The id of the row verify must name, worked out without any hashing.

    The original chain was intact, and every link's hash covers all of its
    fields and its predecessor's hash, so a link is valid exactly where the row
    in that position is the row that was written there. The first broken link of
    a chain is therefore the first position holding a different row. Per table,
    verify names the lowest such row id over all chains.
    """
    before, after = _chains(table, original), _chains(table, changed)
    firsts: list[int] = []
    for key, rows in after.items():
        written = before.get(key, [])
        for position, row in enumerate(rows):
            if position >= len(written) or row != written[position]:
                firsts.append(row["id"])
                break
    assert firsts, "the change must leave some row out of place"
    return min(firsts)


# -- the changes hypothesis makes ------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
HEX = st.text("0123456789abcdef", min_size=64, max_size=64)


def _new_value(data: st.DataObject, chain: Chain, table: str, row: Row, column: str) -> Any:  # noqa: PLR0911  # one branch per kind of column reads best
    """A value for `column` that differs from the row's and that the schema's constraints accept."""
    old = row[column]
    if column == "id":
        top = max(r["id"] for r in chain.rows[table])
        # Ids are dense, so any value in between collides with the primary key.
        return data.draw(st.one_of(st.integers(-5, 0), st.integers(top + 1, top + 1_000)), label="id")
    if column == "seq":
        taken = chain.seqs[(table, row["draft_id"])]
        return data.draw(st.one_of(st.integers(-3, 0), st.integers(max(taken) + 1, max(taken) + 5)), label="seq")
    if column == "draft_id":
        # Another draft (the foreign key holds) where this seq is still free (the unique key holds).
        free = [d for d in chain.draft_ids if d != old and row["seq"] not in chain.seqs.get((table, d), set())]
        assert free, "every fourth draft has no rows, so some draft always has this seq free"
        return data.draw(st.sampled_from(free), label="draft_id")
    if column == "revision_id":
        others = [r["id"] for r in chain.rows["revision"] if r["id"] != old]
        return data.draw(st.sampled_from(others), label="revision_id")
    if column in ("created_at", "occurred_at"):
        shift = data.draw(st.integers(-(10**12), 10**12).filter(bool), label="microseconds")
        return old + timedelta(microseconds=shift)
    if column in ("prev_hash", "hash", "content_hash"):
        # A prev_hash already in use (the genesis hash, say) is refused by a unique key, not left to verify.
        taken = {r["prev_hash"] for r in chain.rows[table]} if column == "prev_hash" else {old}
        return data.draw(HEX.filter(lambda v: v not in taken), label=column)
    length = MODELS[table].__table__.columns[column].type.length  # type: ignore[union-attr]  # SQLModel table
    return data.draw(TEXT.map(lambda v: v[: length or None]).filter(lambda v: v != old), label=column)


def _bind(db: Database, value: Any) -> Any:
    """SQLite keeps times as naive UTC text; the raw UPDATE writes them the way the app does."""
    if isinstance(value, datetime) and db.dialect == "sqlite":
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


def _change_one_field(chain: Chain, data: st.DataObject, table: str, column: str) -> None:
    """Change `column` of one row with raw SQL; verify must name exactly the row the oracle expects."""
    candidates = chain.rows[table]
    if table == "revision" and column == "id":
        # A reviewed revision's id is held by review.revision_id's foreign key: the database refuses that change.
        candidates = [r for r in candidates if r["id"] not in chain.referenced_revisions]
    row = data.draw(st.sampled_from(candidates), label="row")
    value = _new_value(data, chain, table, row, column)
    changed = [dict(r, **{column: value}) if r["id"] == row["id"] else r for r in chain.rows[table]]
    expected = expected_first_break(table, chain.rows[table], changed)
    note(f"UPDATE {table} SET {column} = {value!r} WHERE id = {row['id']}; expect {table} {expected}")

    with chain.db.engine.connect() as conn:
        outer = conn.begin()
        try:
            savepoint = conn.begin_nested()
            updated = conn.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": _bind(chain.db, value), "id": row["id"]},
            )
            assert updated.rowcount == 1
            with Session(bind=conn) as session:
                result = verify(session)
            savepoint.rollback()
        finally:
            outer.rollback()

    assert not result.ok
    assert [b.table for b in result.breaks] == [table], result.breaks
    assert result.first is not None
    assert result.first.row_id == expected, str(result.first)


def _columns(table: str) -> list[str]:
    return [c.name for c in MODELS[table].__table__.columns]  # type: ignore[union-attr]  # SQLModel table


ALL_FIELDS = [(table, column) for table in sorted(MODELS) for column in _columns(table)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_in_a_large_chain_is_named(large: Chain, data: st.DataObject) -> None:
    table, column = data.draw(st.sampled_from(ALL_FIELDS), label="field")
    _change_one_field(large, data, table, column)


@pytest.mark.parametrize(("table", "column"), ALL_FIELDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_field_change_is_named(small: Chain, table: str, column: str, data: st.DataObject) -> None:
    """Each column of each chained table, including ids, seq, draft_id, hashes and times."""
    _change_one_field(small, data, table, column)


def _assert_as_written(chain: Chain) -> None:
    with chain.db.session() as s:
        assert verify(s).ok
    assert _snapshot(chain.db) == chain.rows


def test_large_chain_intact_after_all_examples(large: Chain) -> None:
    """Every example rolled back its change: the chain is as it was written."""
    _assert_as_written(large)


def test_small_chain_intact_after_all_examples(small: Chain) -> None:
    _assert_as_written(small)


# -- the guards in front of the chain, and the command line ----------------------------------------


@pytest.fixture
def short_history(db: Database) -> Database:
    """A migrated database (triggers on) with a few links in every chain."""
    _build(db, (2, 3, 1, 3))
    return db


@pytest.mark.parametrize("table", CHAINED_TABLES)
@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET hash = :forged WHERE id = 1", "DELETE FROM {table} WHERE id = 1"]
)
def test_triggers_refuse_update_and_delete(short_history: Database, table: str, statement: str) -> None:
    before = _snapshot(short_history)
    with pytest.raises(sa.exc.DBAPIError, match=f"{table} is append-only"), short_history.write() as s:
        s.execute(sa.text(statement.format(table=table)), {"forged": "f" * 64})
    assert _snapshot(short_history) == before


@pytest.mark.postgres
@pytest.mark.parametrize("table", CHAINED_TABLES)
def test_triggers_refuse_truncate_on_postgresql(pg_url: str, table: str) -> None:
    db = Database(pg_url)
    try:
        db.upgrade(backup=False)
        _build(db, (2, 3, 1, 3))
        before = _snapshot(db)
        with pytest.raises(sa.exc.DBAPIError, match=f"{table} is append-only: TRUNCATE refused"), db.write() as s:
            s.execute(sa.text(f"TRUNCATE {table} CASCADE"))
        assert _snapshot(db) == before
    finally:
        db.dispose()


def _sqlite_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _tamper_directly(url: str, statement: str) -> None:
    """What someone with the file and the sqlite3 shell can do: drop the guards, then edit."""
    conn = sqlite3.connect(_sqlite_file(url))
    try:
        for table in CHAINED_TABLES:
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_update")
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_cli_verify_names_the_rewritten_revision(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    _build(db, (2, 3, 1, 3))
    db.dispose()
    assert main(["--database-url", sqlite_url, "audit", "verify"]) == 0
    assert "audit: intact (5 revision, 2 review, 3 auditevent)" in capsys.readouterr().out

    _tamper_directly(sqlite_url, "UPDATE revision SET body = 'Te devolvemos el 100 %' WHERE id = 2")
    assert main(["--database-url", sqlite_url, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "audit: broken link: revision 2 (draft 1): subject or body differ from the recorded content hash"
    )


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE revision SET created_at = 'yesterday' WHERE id = 2", "revision 2"),
        ("UPDATE revision SET created_at = 5 WHERE id = 3", "revision 3"),
        ("UPDATE auditevent SET occurred_at = x'00' WHERE id = 2", "auditevent 2"),
        ("UPDATE revision SET body = x'486f6c61' WHERE id = 1", "revision 1"),
        ("UPDATE review SET reason = x'00' WHERE id = 1", "review 1"),
        ("UPDATE auditevent SET details = 3.5 WHERE id = 3", "auditevent 3"),
    ],
)
def test_values_of_the_wrong_type_are_named_not_a_crash(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], statement: str, named: str
) -> None:
    """SQLite keeps any type in any column; verify names such a row instead of failing with a traceback."""
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    _build(db, (2, 3, 1, 3))
    db.dispose()
    _tamper_directly(sqlite_url, statement)
    assert main(["--database-url", sqlite_url, "audit", "verify"]) == 1
    assert f"audit: broken link: {named} " in capsys.readouterr().err
