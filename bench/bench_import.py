"""Importing 1,000,000 interactions from CSV, against raw `sqlite3.executemany` of the same rows.

Both runs insert into the `interaction` table of a freshly migrated SQLite file, with the same
pragmas and the same FTS5 triggers in place. The importer's time covers everything a user waits
for: reading and checking the CSV, looking up customers and existing ids, inserting, creating
work items and the audit event. The baseline only inserts rows already prepared in memory.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def _raw_insert(db_path: Path, rows: list[tuple[object, ...]]) -> float:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT, rows)
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


def _fresh(root: Path, name: str, customers_csv: Path) -> Database:
    db = Database(f"sqlite:///{root / name}")
    db.upgrade(backup=False)
    import_customers(db, customers_csv)
    return db


def run() -> list[Figure]:
    rng = random.Random(20261101)
    with tempfile.TemporaryDirectory(prefix="latido-bench-import-") as tmp:
        root = Path(tmp)
        customers_csv, interactions_csv = root / "customers.csv", root / "interactions.csv"
        _write_customers(customers_csv)
        _write_interactions(interactions_csv, rng)

        db = _fresh(root, "importer.sqlite3", customers_csv)
        start = time.perf_counter()
        report = import_interactions(db, interactions_csv)
        importer_s = time.perf_counter() - start
        db.dispose()
        assert report.added == ROWS, report

        raw_db = _fresh(root, "raw.sqlite3", customers_csv)
        pks = _customer_pks(raw_db)
        raw_db.dispose()
        rows = _raw_rows(interactions_csv, pks)
        raw_s = _raw_insert(root / "raw.sqlite3", rows)

    rate = ROWS / importer_s
    ratio = raw_s / importer_s
    print(
        f"importer {importer_s:.1f} s ({report.work_items_created:,} work items), raw executemany {raw_s:.1f} s",
        flush=True,
    )
    return [
        Figure(
            "import interactions CSV, rows/s (1M rows, SQLite)",
            rate,
            "rows/s",
            f">= {TARGET_ROWS_PER_S:,}",
            rate >= TARGET_ROWS_PER_S,
        ),
        Figure("import speed / raw sqlite3.executemany speed", ratio, "x", f">= {TARGET_RATIO}", ratio >= TARGET_RATIO),
    ]


def _customer_pks(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {str(cid): int(pk) for cid, pk in conn.execute(sa.text("SELECT customer_id, id FROM customer"))}
