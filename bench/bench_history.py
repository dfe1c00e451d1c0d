"""The lead's approval history on 200,000 decisions and 1,000,000 revisions (SQLite).

Filters: the first page (200 rows) of several filter combinations, best of a
few warm runs, each in a fresh read session. Export: the whole history as CSV.
The ratios compare with raw sqlite3 reading comparable rows (the newest 200
decisions; every decision with its final text, written by the csv module):
they say what the joins, the filters and the ORM cost, and are printed, not judged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
import tempfile
import time
from contextlib import closing
from functools import partial
from pathlib import Path

from bench.harness import Figure, timed
from bench.history_data import build_history_db
from desktop.commands.history import write_csv
from storage.database import Database
from storage.history import HistoryFilter, export_rows, history_count, history_page

APPROVALS = 200_000
REVISIONS = 1_000_000
REPEAT = 5
FILTERS = {
    "no filter": HistoryFilter(),
    "escalated + had commitments": HistoryFilter(escalated=True, had_commitments=True),
    "agent": HistoryFilter(agent="agent03"),
    "approver + channel": HistoryFilter(approver="lead2", channel="email"),
    "customer id": HistoryFilter(customer="c-000042"),
    "edit % 30-60": HistoryFilter(edit_pct_min=30, edit_pct_max=60),
    "finding overridden": HistoryFilter(finding_code="too_long"),
    "full text": HistoryFilter(text="reembolso lunes"),
    "customer name part": HistoryFilter(customer="sofía"),
    "sort by edit %": HistoryFilter(sort="edit_pct"),
    "sort by edit % ascending": HistoryFilter(sort="edit_pct_asc"),
    "sort by customer": HistoryFilter(sort="customer"),
    "escalated, sort by edit %": HistoryFilter(escalated=True, sort="edit_pct"),
    "agent, sort by customer": HistoryFilter(agent="agent03", sort="customer"),
}
CACHE = Path(tempfile.gettempdir()) / "latido-bench-history"
"""Built databases kept between runs, named by what shapes them: the sizes, the generator and the migrations."""


def _raw_page(conn: sqlite3.Connection) -> None:
    conn.execute(
        "SELECT id, draft_id, reviewer, decision, created_at FROM review ORDER BY created_at DESC LIMIT 200"
    ).fetchall()


def _raw_export(conn: sqlite3.Connection) -> int:
    out = io.StringIO()
    writer = csv.writer(out)
    count = 0
    for row in conn.execute(
        "SELECT r.draft_id, r.reviewer, r.created_at, f.body, r.content_hash FROM review r"
        " JOIN revision f ON f.id = r.revision_id WHERE r.decision IN ('approve', 'reject') ORDER BY r.created_at"
    ):
        writer.writerow(row)
        count += 1
    return count


def _cached_db() -> tuple[Path, float | None]:
    """The built database for this generator and schema, built now if missing (then also its build time)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{APPROVALS}/{REVISIONS}".encode())
    for source in [root / "bench" / "history_data.py", *sorted((root / "storage" / "migrations").rglob("*.py"))]:
        digest.update(source.read_bytes())
    path = CACHE / f"history-{digest.hexdigest()[:16]}.sqlite3"
    if path.exists():
        return path, None
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    start = time.perf_counter()
    build_history_db(f"sqlite:///{partial}", approvals=APPROVALS, revisions=REVISIONS)
    built = time.perf_counter() - start
    partial.replace(path)  # WAL was checkpointed when the build closed its last connection
    return path, built


def run() -> list[Figure]:
    path, built = _cached_db()
    figures: list[Figure] = []
    if built is not None:
        figures.append(Figure("build: 200k decisions, 1M chained revisions (SQLite)", built, "s", "informative", True))
    db = Database(f"sqlite:///{path}")
    try:
        with closing(sqlite3.connect(path)) as raw:
            _raw_page(raw)
            baseline = timed(partial(_raw_page, raw), repeat=REPEAT)
            for label, flt in FILTERS.items():

                def page(flt: HistoryFilter = flt) -> None:
                    with db.session() as s:
                        history_page(s, flt=flt, limit=200)

                page()
                ours = timed(page, repeat=REPEAT)
                figures += [
                    Figure(f"history filter, first page: {label}", ours * 1000, "ms", "<=100 ms", ours <= 0.100),
                    Figure("  ratio to raw sqlite3 newest 200 decisions", ours / baseline, "x", "informative", True),
                ]

            def export() -> None:
                with db.session() as s:
                    assert write_csv(export_rows(s), io.StringIO()) == APPROVALS

            start = time.perf_counter()
            export()
            ours = time.perf_counter() - start
            start = time.perf_counter()
            assert _raw_export(raw) == APPROVALS
            raw_s = time.perf_counter() - start

            def count() -> None:
                with db.session() as s:
                    assert history_count(s) == APPROVALS

            count()
            counted = timed(count, repeat=REPEAT)
            figures += [
                Figure("history count, no filter", counted * 1000, "ms", "<=100 ms", counted <= 0.100),
                Figure("  ratio to raw sqlite3 newest 200 decisions", counted / baseline, "x", "informative", True),
            ]
            figures += [
                Figure("CSV export of 200k rows", ours, "s", "<=10 s", ours <= 10.0),
                Figure("  ratio to raw sqlite3 rows + csv module", ours / raw_s, "x", "informative", True),
            ]
    finally:
        db.dispose()
    return figures
