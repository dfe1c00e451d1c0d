"""Two processes of four threads each append at once: no lock errors, no lost or duplicated links."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.chain import verify
from storage.database import Database
from storage.models import Customer, Draft
from tests.storage.concurrent_writer import THREADS

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 2
ROUNDS = 60


def _drafts(db: Database, count: int) -> list[int]:
    with db.write() as s:
        customer = Customer(customer_id="c-busy", name="Ana Ruiz")
        s.add(customer)
        s.flush()
        drafts = [Draft(customer_id=int(customer.id or 0), channel="email") for _ in range(count)]
        s.add_all(drafts)
        s.flush()
        return [int(d.id or 0) for d in drafts]


@pytest.mark.slow
def test_processes_and_threads_append_without_errors(db: Database) -> None:
    shared, *own = _drafts(db, 1 + PROCESSES * THREADS)
    start_at = time.time() + 3  # long enough for both interpreters to import everything
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.storage.concurrent_writer",
                db.url,
                f"p{p}",
                str(shared),
                ",".join(str(d) for d in own[p * THREADS : (p + 1) * THREADS]),
                str(start_at),
                str(ROUNDS),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for p in range(PROCESSES)
    ]
    reports = []
    for child in children:
        out, _ = child.communicate(timeout=240)
        assert child.returncode == 0
        reports.append(json.loads(out))

    errors = [e for r in reports for e in r["errors"]]
    assert errors == []
    committed = {t: [i for r in reports for i in r["committed"][t]] for t in ("revision", "auditevent")}
    assert len(committed["revision"]) == PROCESSES * THREADS * ROUNDS
    assert len(committed["auditevent"]) == 2 * PROCESSES * THREADS * ROUNDS
    with db.session() as s:
        for table, ids in committed.items():
            stored = s.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
            assert sorted(stored) == sorted(ids)
        shared_seqs = s.execute(sa.text("SELECT seq FROM revision WHERE draft_id = :d ORDER BY seq"), {"d": shared})
        assert list(shared_seqs.scalars()) == list(range(1, PROCESSES * THREADS * ROUNDS // 2 + 1))
        result = verify(s)
    assert result.ok, result.first
