"""Importing 1,000,000 interactions from CSV, against raw `sqlite3.executemany` of the same rows.

Every run inserts into the `interaction` table of its own freshly migrated SQLite file, with the
same pragmas. The importer's time covers everything a user waits for: reading and checking the
CSV, looking up customers and existing ids, inserting, indexing the new rows for full-text search,
creating work items and the audit event. The baselines only insert rows already prepared in memory,
in one transaction, two ways:

- with the FTS5 triggers in place, as the schema has them: every row is indexed as it goes in;
- without the triggers, then one `INSERT INTO interaction_fts … SELECT` of the new rows: the same
  index work the importer does, so the fair comparison.

The search-index statement is timed on its own in both the importer and the second baseline.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.harness import Figure
from storage.database import Database
from storage.importers import import_customers, import_interactions

ROWS = 1_000_000
CUSTOMERS = 10_000
TARGET_ROWS_PER_S = 100_000
TARGET_RATIO = 0.5

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CHANNELS = ("email", "comment", "dm", "ticket", "chat", "call", "note")
WORDS = (  # noqa: SIM905  one string reads better than 44 quoted words
    "hola gracias pedido envío factura cuenta problema ayuda cambio devolución reembolso tarde nunca siempre "
    "hello thanks order shipping invoice account problem help change return refund late never always please "
    "still waiting again urgent tomorrow today week plan renewal discount price support app login password"
).split()
INSERT = (
    "INSERT INTO interaction (source_id, customer_id, channel, direction, occurred_at, subject, body, url, "
    "author, message_id, in_reply_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
FTS_TRIGGERS = ("interaction_fts_insert", "interaction_fts_delete", "interaction_fts_update")
INDEX_NEW = (
    "INSERT INTO interaction_fts(rowid, subject, body, customer_id)"
    " SELECT id, subject, body, customer_id FROM interaction WHERE id > ?"
)


def _write_customers(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["customer_id", "name", "email", "language"])
        for n in range(CUSTOMERS):
            writer.writerow([f"c-{n}", f"Customer {n}", f"c{n}@example.com", "es" if n % 2 else "en"])


def _write_interactions(path: Path, rng: random.Random) -> None:
    """Threads per customer that mostly alternate in/out, so a realistic share stays unanswered."""
    per_customer = ROWS // CUSTOMERS
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["interaction_id", "customer_id", "channel", "direction", "occurred_at", "subject", "body", "url"]
        )
        n = 0
        for c in range(CUSTOMERS):
            channel = CHANNELS[c % len(CHANNELS)]
            for k in range(per_customer):
                when = T0 + timedelta(minutes=c + k * 37)
                direction = "in" if k % 2 == 0 or rng.random() < 0.1 else "out"
                body = " ".join(rng.choices(WORDS, k=rng.randint(6, 24)))
                subject = f"Re: pedido {c}" if channel == "email" else ""
                url = f"https://social.example/p/{c}/{k}" if channel == "comment" else ""
                writer.writerow([f"i-{n:07d}", f"c-{c}", channel, direction, when.isoformat(), subject, body, url])
                n += 1


def _raw_rows(path: Path, customer_pk: dict[str, int]) -> list[tuple[object, ...]]:
    """The same rows the importer stores, prepared in memory the way SQLAlchemy binds them on SQLite."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows: list[tuple[object, ...]] = []
    with path.open(newline="", encoding="utf-8") as src:
        reader = csv.reader(src)
        next(reader)
        for iid, cid, channel, direction, occurred, subject, body, url in reader:
            when = datetime.fromisoformat(occurred).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append((iid, customer_pk[cid], channel, direction, when, subject, body, url, "", "", "", now))
    return rows


@dataclass
class Timing:
    total_s: float
    index_s: float = 0.0  # the deferred full-text index statement, when there is one

    def rate(self) -> float:
        return ROWS / self.total_s


def _raw_insert(db_path: Path, rows: list[tuple[object, ...]], *, triggers: bool) -> Timing:
    """executemany of prepared rows; without the triggers, the new rows are indexed afterwards in one statement."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
        assert all(name in found for name in FTS_TRIGGERS), "the schema's FTS triggers are missing"
        index_s = 0.0
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        if triggers:
            conn.executemany(INSERT, rows)
        else:
            (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM interaction").fetchone()
            for name in FTS_TRIGGERS:
                conn.execute(f"DROP TRIGGER {name}")
            conn.executemany(INSERT, rows)
            index_start = time.perf_counter()
            conn.execute(INDEX_NEW, (before,))
            index_s = time.perf_counter() - index_start
            for name in FTS_TRIGGERS:
                conn.execute(found[name])
        conn.execute("COMMIT")
        return Timing(time.perf_counter() - start, index_s)
    finally:
        conn.close()


def _fresh(root: Path, name: str, customers_csv: Path) -> Database:
    db = Database(f"sqlite:///{root / name}")
    db.upgrade(backup=False)
    import_customers(db, customers_csv)
    return db


def _import(db: Database, path: Path) -> tuple[Timing, int]:
    """The importer end to end, with its full-text index statement timed on the side (by listening, not changing it)."""
    index = {"s": 0.0, "start": 0.0}

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO interaction_fts"):
            index["start"] = time.perf_counter()

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO interaction_fts"):
            index["s"] += time.perf_counter() - index["start"]

    sa.event.listen(db.engine, "before_cursor_execute", before)
    sa.event.listen(db.engine, "after_cursor_execute", after)
    start = time.perf_counter()
    report = import_interactions(db, path)
    total_s = time.perf_counter() - start
    sa.event.remove(db.engine, "before_cursor_execute", before)
    sa.event.remove(db.engine, "after_cursor_execute", after)
    assert report.added == ROWS, report
    return Timing(total_s, index["s"]), report.work_items_created


def _line(name: str, timing: Timing) -> str:
    text = f"  {name:<44} {timing.total_s:6.1f} s  {timing.rate():>9,.0f} rows/s"
    if timing.index_s:
        rest = timing.total_s - timing.index_s
        text += f"  (search index {timing.index_s:.1f} s; without it {ROWS / rest:,.0f} rows/s)"
    return text


def run() -> list[Figure]:
    rng = random.Random(20261101)
    with tempfile.TemporaryDirectory(prefix="latido-bench-import-") as tmp:
        root = Path(tmp)
        customers_csv, interactions_csv = root / "customers.csv", root / "interactions.csv"
        _write_customers(customers_csv)
        _write_interactions(interactions_csv, rng)

        db = _fresh(root, "importer.sqlite3", customers_csv)
        importer, work_items = _import(db, interactions_csv)
        pks = _customer_pks(db)
        db.dispose()

        rows = _raw_rows(interactions_csv, pks)
        baselines = {}
        for name, triggers in (("raw-with-triggers", True), ("raw-deferred-index", False)):
            raw_db = _fresh(root, f"{name}.sqlite3", customers_csv)
            raw_db.dispose()
            baselines[name] = _raw_insert(root / f"{name}.sqlite3", rows, triggers=triggers)
        stored = {name: _fingerprint(root / f"{name}.sqlite3") for name in ("importer", *baselines)}
        assert len(set(stored.values())) == 1, f"the runs stored different rows: {stored}"

    with_triggers, deferred = baselines["raw-with-triggers"], baselines["raw-deferred-index"]
    print(f"  {ROWS:,} rows; importer created {work_items:,} work items", flush=True)
    print(_line("importer (CSV, checks, insert, index, work items)", importer), flush=True)
    print(_line("raw executemany, FTS triggers in place", with_triggers), flush=True)
    print(_line("raw executemany, no triggers + deferred index", deferred), flush=True)
    rate = importer.rate()
    fair = deferred.total_s / importer.total_s
    literal = with_triggers.total_s / importer.total_s
    return [
        Figure(
            "import interactions CSV, rows/s (1M rows, SQLite)",
            rate,
            "rows/s",
            f">= {TARGET_ROWS_PER_S:,}",
            rate >= TARGET_ROWS_PER_S,
        ),
        Figure(
            "import speed / raw executemany (same index work)", fair, "x", f">= {TARGET_RATIO}", fair >= TARGET_RATIO
        ),
        Figure(
            "import speed / raw executemany (FTS triggers on)",
            literal,
            "x",
            f">= {TARGET_RATIO}",
            literal >= TARGET_RATIO,
        ),
    ]


def _fingerprint(db_path: Path) -> tuple[str, int]:
    """A digest of the stored rows (all but ids and created_at) and how many documents the search index holds."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(db_path)
    try:
        for row in conn.execute(
            "SELECT source_id, customer_id, channel, direction, occurred_at, subject, body, url, author, message_id,"
            " in_reply_to FROM interaction ORDER BY id"
        ):
            digest.update(repr(row).encode())
        (indexed,) = conn.execute("SELECT count(*) FROM interaction_fts_docsize").fetchone()
    finally:
        conn.close()
    return digest.hexdigest(), int(indexed)


def _customer_pks(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {str(cid): int(pk) for cid, pk in conn.execute(sa.text("SELECT customer_id, id FROM customer"))}
