"""Drafting a 500-customer outreach batch with the offline composer, against composing the same texts in memory.

The batch pays for reading each customer's history, the snapshot, the chained
revision, provenance and audit event per draft, and the sameness pass at the
end; the baseline composes the same 500 prepared contexts without storage.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Figure
from drafting.context import build_customer_context
from drafting.outreach import Brief, create_batch, draft_batch, outreach_facts, sameness_scores
from drafting.outreach_composer import OutreachRequest, compose_outreach
from storage.database import Database
from storage.models import Customer, Interaction, User
from storage.workitems import refresh_work_items

CUSTOMERS = 500
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BRIEF = (
    "[en]\nFrom January every bag also comes in 500 g.\n[es]\nDesde enero todas las bolsas vienen también de 500 g.\n"
)
PRODUCTS = ("Huila", "Sidamo", "Chemex", "Aeropress", "Yirgacheffe", "Tarrazú", "Cerrado", "Kalita")


def _seed(db: Database) -> list[int]:
    with db.write() as session:
        session.add(User(name="marta", display_name="Marta"))
        customers = [
            Customer(
                customer_id=f"B-{n:05d}",
                name=f"Cliente{n} Apellido{n}",
                email=f"c{n}@example.com",
                language="es" if n % 2 else "en",
                plan=("Basic", "Pro", "Enterprise")[n % 3],
                created_at=NOW - timedelta(days=30 + n),
            )
            for n in range(CUSTOMERS)
        ]
        session.add_all(customers)
        session.flush()
        for n, customer in enumerate(customers):
            product = PRODUCTS[n % len(PRODUCTS)]
            for k in range(6):
                session.add(
                    Interaction(
                        source_id=f"b-{n}-{k}",
                        customer_id=int(customer.id or 0),
                        channel=("email", "dm", "comment")[k % 3],
                        direction="in" if k % 2 == 0 else "out",
                        occurred_at=NOW - timedelta(days=3 * k + n % 20, hours=n % 7),
                        subject=f"Order A-{80000 + n * 10 + k}" if k % 3 == 0 else "",
                        body=f"About my {product} order A-{80000 + n * 10 + k}: message {k} from customer {n}.",
                    )
                )
        session.flush()
        refresh_work_items(session)
        return [int(c.id or 0) for c in customers]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        db.upgrade(backup=False)
        ids = _seed(db)
        with db.session() as session:
            requests = []
            for customer_id in ids:
                ctx = build_customer_context(session, customer_id=customer_id, channel="email", now=NOW)
                requests.append(
                    OutreachRequest(ctx, outreach_facts(session, ctx=ctx, purpose="announcement", brief=BRIEF))
                )
        start = time.perf_counter()
        texts = [compose_outreach(r) for r in requests]
        sameness_scores(texts, brief=BRIEF)
        baseline = time.perf_counter() - start
        batch_id = create_batch(db, author="marta", brief=Brief("announcement", BRIEF), customers=ids)
        start = time.perf_counter()
        result = draft_batch(db, batch_id=batch_id, now=NOW)
        ours = time.perf_counter() - start
        db.dispose()
    assert result.done == CUSTOMERS
    return [
        Figure(f"draft_batch: {CUSTOMERS} drafts, offline composer (SQLite)", ours, "s", "<=30 s", ours <= 30),
        Figure("  in-memory compose + sameness of the same contexts", baseline, "s", "informative", True),
        Figure("  ratio batch / in-memory", ours / baseline, "x", "informative", True),
    ]
