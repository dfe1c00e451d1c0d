"""A sender killed with SIGKILL at random moments loses no approved message and sends none twice."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from storage.database import Database
from storage.models import DeliveryAttempt, OutboxMessage
from tests.drafting.outbox_sender import add_approved, add_users
from tests.servers.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 1_000
KILLS = 4


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    started = SmtpServer().start()
    yield started
    started.stop()


def _sender(url: str, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.drafting.outbox_sender", url, str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_while_sending_loses_nothing_and_duplicates_nothing(sqlite_url: str, server: SmtpServer) -> None:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    add_users(db)
    ids = add_approved(db, MESSAGES)
    rng = random.Random(1729)
    reported: dict[int, str] = {}
    for _ in range(KILLS):
        child = _sender(sqlite_url, server.port)
        assert child.stdout is not None
        try:
            for _ in range(rng.randint(1, MESSAGES // (KILLS + 1))):
                line = child.stdout.readline()
                assert line, f"the sender stopped early with exit code {child.wait()}"
                outbox_id, state = line.split()
                reported[int(outbox_id)] = state
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
    # A last sender, left to finish: it first marks whatever the killed ones left in `sending` as uncertain.
    last = _sender(sqlite_url, server.port)
    out, _ = last.communicate(timeout=120)
    assert last.returncode == 0
    for line in out.splitlines():
        outbox_id, state = line.split()
        reported[int(outbox_id)] = state

    received = Counter(m.message_id for m in server.messages())
    with db.session() as s:
        rows = {int(r.id or 0): r for r in s.exec(select(OutboxMessage)).all()}
        uncertain_attempts = s.exec(select(DeliveryAttempt).where(DeliveryAttempt.outcome == "uncertain")).all()
    db.dispose()
    assert sorted(rows) == ids
    states = Counter(r.state for r in rows.values())
    # Nothing lost: every approved message was sent, or waits for a person as uncertain.
    assert set(states) <= {"sent", "uncertain"}, states
    assert states["uncertain"] <= KILLS
    assert len(uncertain_attempts) == states["uncertain"]
    # Nothing sent twice (no person chose to send anything again here).
    assert max(received.values()) == 1
    for row in rows.values():
        if row.state == "sent":
            assert received[row.message_id] == 1
        else:
            assert received[row.message_id] in (0, 1)
    # What a sender reported as done stayed done.
    assert all(rows[i].state == "sent" for i, state in reported.items() if state == "sent")
