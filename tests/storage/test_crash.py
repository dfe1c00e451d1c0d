"""A writer killed with SIGKILL at any moment loses nothing it reported as committed, and the chain holds."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.chain import verify
from storage.database import Database
from storage.models import Customer, Draft

ROOT = Path(__file__).resolve().parents[2]
APPENDS = 1_000
KILL_POINTS = 3


def _draft(db: Database) -> int:
    with db.write() as s:
        customer = Customer(customer_id="c-crash", name="Ana Ruiz")
        s.add(customer)
        s.flush()
        draft = Draft(customer_id=int(customer.id or 0), channel="email")
        s.add(draft)
        s.flush()
        return int(draft.id or 0)


@pytest.mark.slow
def test_sigkill_loses_no_committed_revision(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    draft_id = _draft(db)
    db.dispose()
    rng = random.Random(1729)
    reported: list[int] = []
    for _ in range(KILL_POINTS):
        # Each writer continues the chain its killed predecessor left behind.
        lines_before_kill = rng.randint(1, APPENDS - 1)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.storage.crash_writer", sqlite_url, str(draft_id), str(APPENDS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        try:
            for _ in range(lines_before_kill):
                line = child.stdout.readline()
                assert line, f"the writer stopped early with exit code {child.wait()}"
                reported.append(int(line))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL

        db = Database(sqlite_url)
        try:
            with db.session() as s:
                present = set(s.execute(sa.text("SELECT id FROM revision")).scalars())
                result = verify(s)
        finally:
            db.dispose()
        assert set(reported) <= present
        assert result.ok, result.first
        # A commit may land just before the kill without being printed, never more than one.
        assert len(reported) <= len(present) <= len(reported) + KILL_POINTS
        assert result.checked["auditevent"] == result.checked["revision"]
