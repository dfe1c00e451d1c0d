"""The inbox's first page read with sqlite3 alone is the page `items_page` returns, and anything unusual is None."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from storage.database import Database
from storage.demo import seed_demo
from storage.first_page import first_inbox_page
from storage.models import Customer, Interaction, User, WorkItem
from storage.rows import SNIPPET_CHARS
from storage.timeline import items_page

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def _ordinary(db: Database, limit: int) -> list[object]:
    with db.session() as session:
        return list(items_page(session, limit=limit))


def _migrated(url: str) -> Database:
    db = Database(url)
    db.upgrade(backup=False)
    return db


def test_the_demo_workspace_gives_the_same_page_both_ways(sqlite_url: str) -> None:
    db = _migrated(sqlite_url)
    try:
        seed_demo(db)
        for limit in (200, 7, 1):
            quick = first_inbox_page(sqlite_url, limit=limit)
            assert quick, "the quick path fell back on an up-to-date demo workspace"
            assert quick == _ordinary(db, limit)
    finally:
        db.dispose()


def test_escalated_frustrated_assigned_and_tied_items_give_the_same_page_both_ways(sqlite_url: str) -> None:
    db = _migrated(sqlite_url)
    try:
        with db.write() as s:
            marta = User(name="marta", display_name="Marta", role="agent")
            s.add(marta)
            s.flush()
            for n in range(12):
                customer = Customer(customer_id=f"c-{n}", name=f"Cliente {n}")
                s.add(customer)
                s.flush()
                body = ("palabra  larga\n" * 40) if n % 3 == 0 else f"mensaje\t{n}"
                # Pairs share an instant (the id breaks the tie); one time is given in another offset.
                at = T0 + timedelta(hours=n // 2)
                if n == 5:
                    at = at.astimezone(timezone(timedelta(hours=-5)))
                message = Interaction(
                    source_id=f"s-{n}",
                    customer_id=customer.id,
                    channel="email",
                    direction="in",
                    occurred_at=at,
                    body=body,
                )
                s.add(message)
                s.flush()
                s.add(
                    WorkItem(
                        customer_id=customer.id,
                        interaction_id=message.id,
                        channel=("email", "dm", "comment")[n % 3],
                        status=("new", "drafting", "sent", "closed")[n % 4],
                        escalated=n in (2, 9),
                        frustration=(0.0, 0.55, 0.95, 0.3)[n % 4],
                        language="es" if n % 2 else "en",
                        received_at=at,
                        assignee_id=marta.id if n % 4 == 1 else None,
                    )
                )
        ordinary = _ordinary(db, 200)
        assert [r.escalated for r in ordinary[:2]] == [True, True]
        assert {r.assignee for r in ordinary} == {"marta", None}
        assert any(r.snippet.endswith("…") and len(r.snippet) <= SNIPPET_CHARS + 1 for r in ordinary)  # cut
        for limit in (200, 5):
            assert first_inbox_page(sqlite_url, limit=limit) == _ordinary(db, limit)
    finally:
        db.dispose()


def test_an_empty_workspace_gives_an_empty_page(sqlite_url: str) -> None:
    _migrated(sqlite_url).dispose()
    assert first_inbox_page(sqlite_url, limit=200) == []


def test_anything_unusual_leaves_it_to_the_ordinary_path(sqlite_url: str, tmp_path: Path) -> None:
    assert first_inbox_page(f"sqlite:///{tmp_path / 'missing.sqlite3'}", limit=200) is None
    assert first_inbox_page("postgresql+psycopg://latido@localhost/latido", limit=200) is None
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert first_inbox_page(f"sqlite:///{garbage}", limit=200) is None
    bare = tmp_path / "bare.sqlite3"
    sqlite3.connect(bare).close()  # a file with no schema yet: it needs migrating
    assert first_inbox_page(f"sqlite:///{bare}", limit=200) is None

    _migrated(sqlite_url).dispose()
    assert first_inbox_page(f"{sqlite_url}?timeout=5", limit=200) is None
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")  # an older schema: it needs migrating
    finally:
        conn.close()
    assert first_inbox_page(sqlite_url, limit=200) is None


def test_the_quick_page_imports_no_sqlalchemy(sqlite_url: str) -> None:
    _migrated(sqlite_url).dispose()
    script = (
        "import sys\nfrom storage.first_page import first_inbox_page\n"
        "print(first_inbox_page(sys.argv[1], limit=5), 'sqlalchemy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, sqlite_url], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["[]", "False"]
