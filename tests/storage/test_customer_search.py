"""Searching one customer's history finds exactly that customer's share of a search over everyone, on both backends."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from storage.database import Database
from storage.importers import import_customers, import_interactions
from storage.models import Customer, Interaction
from storage.search import search

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
WORDS = [
    "pedido",
    "roto",
    "factura",
    "envío",
    "order",
    "refund",
    "lamp",
    "broken",
    "tracking",
    "week",
    "invoice",
    "late",
]


def _seed(db: Database, *, customers: int = 4, per_customer: int = 12) -> list[int]:
    """Customers whose messages mix the same words in different amounts, so ranks differ and overlap."""
    with db.write() as s:
        people = [Customer(customer_id=f"c-{n}", name=f"Customer {n}") for n in range(customers)]
        s.add_all(people)
        s.flush()
        ids = [int(p.id or 0) for p in people]
        n = 0
        for who, cid in enumerate(ids):
            for k in range(per_customer):
                words = [WORDS[(who + k * j) % len(WORDS)] for j in range(1, 3 + k % 5)]
                s.add(
                    Interaction(
                        source_id=f"i-{n}",
                        customer_id=cid,
                        channel="email",
                        direction="in",
                        occurred_at=T0 + timedelta(hours=n),
                        subject=WORDS[k % len(WORDS)] if k % 3 == 0 else "",
                        body=" ".join(words) + f" message {n}",
                    )
                )
                n += 1
    return ids


@pytest.mark.parametrize("query", ["pedido roto", "order refund lamp", "tracking week late invoice", "factura"])
def test_one_customer_is_their_share_of_everyone(db: Database, query: str) -> None:
    ids = _seed(db)
    with db.session() as s:
        everyone = search(s, query=query, limit=1000)
        assert len({h.customer_id for h in everyone}) > 1
        for cid in ids:
            mine = search(s, query=query, customer_id=cid, limit=1000)
            theirs = [h for h in everyone if h.customer_id == cid]
            assert [h.id for h in mine] == [h.id for h in theirs]
            assert [h.score for h in mine] == pytest.approx([h.score for h in theirs])
            assert [h.snippet for h in mine] == [h.snippet for h in theirs]
            limited = search(s, query=query, customer_id=cid, limit=3)
            assert [h.id for h in limited] == [h.id for h in theirs[:3]]


def test_a_number_in_the_query_matches_text_not_a_customer_id(db: Database) -> None:
    ids = _seed(db)
    cid = ids[-1]
    with db.session() as s:
        # The customer's own row id as a word: none of their messages says it, so nothing is found.
        own = str(cid)
        texts = s.execute(sa.select(Interaction.subject, Interaction.body).where(Interaction.customer_id == cid)).all()
        assert not any(own in f"{subject} {body}".split() for subject, body in texts)
        assert search(s, query=own, customer_id=cid) == []
        assert all(h.customer_id != cid for h in search(s, query=own, limit=1000))


def test_imported_history_is_searchable_per_customer(db: Database, tmp_path: Path) -> None:
    """The importer's bulk path (FTS triggers dropped, then one indexing statement) indexes the customer too."""
    customers = tmp_path / "customers.json"
    customers.write_text(json.dumps([{"customer_id": "ana", "name": "Ana"}, {"customer_id": "leo", "name": "Leo"}]))
    rows = [
        {
            "interaction_id": f"x-{n}",
            "customer_id": who,
            "channel": "email",
            "direction": "in",
            "occurred_at": (T0 + timedelta(days=n)).isoformat(),
            "body": f"the lamp arrived broken, parcel {n}",
        }
        for n, who in enumerate(["ana", "leo", "ana", "leo", "ana"])
    ]
    interactions = tmp_path / "interactions.json"
    interactions.write_text(json.dumps(rows))
    import_customers(db, customers)
    import_interactions(db, interactions)
    with db.write() as s:
        ana = s.execute(sa.select(Customer.id).where(Customer.customer_id == "ana")).scalar_one()
        found = search(s, query="broken lamp", customer_id=ana)
        assert len(found) == 3
        assert {h.customer_id for h in found} == {ana}
        # After the import the triggers are back: a single new row is found for its customer.
        s.add(
            Interaction(
                source_id="later",
                customer_id=ana,
                channel="note",
                direction="in",
                occurred_at=T0,
                body="zanahoria",
            )
        )
        s.flush()
        assert [h.customer_id for h in search(s, query="zanahoria", customer_id=ana)] == [ana]


def test_migration_reindexes_existing_history_both_ways(tmp_path: Path) -> None:
    """Upgrading a database that already holds messages indexes them by customer; downgrading keeps them searchable."""
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        db.upgrade(backup=False, revision="0004")
        ids = _seed(db, customers=2, per_customer=6)
        with db.session() as s:
            before = [h.id for h in search(s, query="pedido order", limit=1000)]
        assert before
        db.upgrade(backup=False)
        with db.session() as s:
            everyone = search(s, query="pedido order", limit=1000)
            assert sorted(h.id for h in everyone) == sorted(before)
            for cid in ids:
                mine = [h.id for h in search(s, query="pedido order", customer_id=cid, limit=1000)]
                assert mine == [h.id for h in everyone if h.customer_id == cid]
        with db.engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0004")
        with db.session() as s:
            columns = s.execute(sa.text("SELECT * FROM interaction_fts LIMIT 0")).keys()
            assert list(columns) == ["subject", "body"]
            assert sorted(h.id for h in search(s, query="pedido order", limit=1000)) == sorted(before)
    finally:
        db.dispose()
