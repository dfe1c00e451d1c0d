"""The hot-path reads on big SQLite files: a customer's timeline, a draft's history, the inbox.

Each figure is the best of several warm runs, each in a fresh read session as
the app's workers open one. The raw-sqlite3 ratios say how much the ORM layer
costs on top of the same SQL; they are printed, not judged.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlmodel import col, select

from bench.harness import Figure, timed
from storage.chain import link_hash
from storage.database import Database
from storage.hashing import Scalar, chain_hash, content_hash
from storage.models import GENESIS_HASH, Revision
from storage.timeline import customer_context, items_page, revisions_page

REPEAT = 20
CUSTOMERS = 50
HEAVY_INTERACTIONS = 10_000
OTHER_INTERACTIONS = 200_000
WORK_ITEMS = 100_000
DRAFTS = 10_000
REVISIONS_PER_DRAFT = 100  # 1,000,000 in all; 100 per draft lets a `before_seq` page be a full page
T0 = datetime(2024, 1, 1, tzinfo=UTC)
CHANNELS = ("email", "comment", "dm", "call", "ticket", "chat", "note")
STATUSES = ("new", "new", "new", "drafting", "waiting_approval", "sent", "closed")
WORDS = [
    "hola",
    "pedido",
    "envío",
    "factura",
    "gracias",
    "problema",
    "cuenta",
    "cambio",
    "llegó",
    "roto",
    "semana",
    "reembolso",
    "hello",
    "order",
    "shipping",
    "invoice",
    "thanks",
    "issue",
    "account",
    "change",
    "arrived",
    "broken",
    "week",
    "refund",
]


def _stamp(value: datetime) -> str:
    """How SQLAlchemy's SQLite dialect stores a UTC instant (naive, microseconds)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words))


def _migrated(path: Path) -> None:
    db = Database(f"sqlite:///{path}")
    db.upgrade(backup=False)
    db.dispose()


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    # A throwaway build: durability per statement would only slow it down.
    conn.execute("PRAGMA synchronous=OFF")
    return conn


def _customers(conn: sqlite3.Connection, now: str) -> None:
    conn.executemany(
        "INSERT INTO customer (id, customer_id, name, email, phone, language, plan, owner, tags, created_at,"
        " imported_at) VALUES (?, ?, ?, ?, '', ?, 'pro', 'marta', '', ?, ?)",
        [
            (c, f"c-{c}", f"Customer {c}", f"c{c}@example.com", "es" if c % 2 else "en", now, now)
            for c in range(1, CUSTOMERS + 1)
        ],
    )
    conn.executemany(
        "INSERT INTO customerhandle (customer_id, network, handle) VALUES (?, ?, ?)",
        [(c, net, f"@c{c}-{net}") for c in range(1, CUSTOMERS + 1) for net in ("instagram", "x")],
    )


# -- the timeline database ---------------------------------------------------------


def _interactions(rng: random.Random, now: str) -> Iterator[tuple[object, ...]]:
    """Every customer's history spread over the same two years, inserted in time order.

    Ids follow time as they do when messages arrive, so the heavy customer's
    rows are scattered across the table instead of sitting in one block.
    """
    per_other = OTHER_INTERACTIONS // (CUSTOMERS - 1)
    span = int(timedelta(days=730).total_seconds())
    arrivals = sorted(
        (rng.randrange(span), customer)
        for customer, count in [(1, HEAVY_INTERACTIONS)] + [(c, per_other) for c in range(2, CUSTOMERS + 1)]
        for _ in range(count)
    )
    for n, (offset, customer) in enumerate(arrivals, start=1):
        yield (
            n,
            f"src-{n}",
            customer,
            CHANNELS[rng.randrange(len(CHANNELS))],
            "out" if rng.random() < 0.4 else "in",
            _stamp(T0 + timedelta(seconds=offset)),
            "" if rng.random() < 0.5 else _text(rng, 4),
            _text(rng, rng.randrange(10, 60)),
            now,
        )


def _build_timeline(path: Path) -> tuple[float, int]:
    """~210,000 interactions for 50 customers and 100,000 work items; returns (seconds, heavy customer id)."""
    start = time.perf_counter()
    _migrated(path)
    rng = random.Random(7)
    now = _stamp(datetime.now(UTC))
    with closing(_raw(path)) as conn, conn:
        _customers(conn, now)
        conn.executemany(
            "INSERT INTO user (id, name, display_name, role, email, language, signature, created_at)"
            " VALUES (?, ?, '', 'agent', '', 'es', '', ?)",
            [(u, f"agent{u}", now) for u in range(1, 6)],
        )
        conn.executemany(
            "INSERT INTO interaction (id, source_id, customer_id, channel, direction, occurred_at, subject, body,"
            " url, author, message_id, in_reply_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', ?)",
            _interactions(rng, now),
        )
        incoming = conn.execute(
            "SELECT id, customer_id, channel, occurred_at FROM interaction WHERE direction = 'in' ORDER BY id LIMIT ?",
            (WORK_ITEMS,),
        ).fetchall()
        conn.executemany(
            "INSERT INTO workitem (customer_id, interaction_id, channel, status, assignee_id, escalated, frustration,"
            " escalation_reasons, language, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', 'es', ?, ?)",
            [
                (
                    customer,
                    interaction,
                    channel,
                    STATUSES[rng.randrange(len(STATUSES))],
                    rng.choice((None, 1, 2, 3, 4, 5)),
                    rng.random() < 0.05,
                    round(rng.random(), 2),
                    occurred_at,
                    now,
                )
                for interaction, customer, channel, occurred_at in incoming
            ],
        )
    return time.perf_counter() - start, 1


def _raw_context(conn: sqlite3.Connection, customer_id: int, limit: int) -> None:
    """The same four statements customer_context sends, through bare sqlite3."""
    conn.execute(
        "SELECT *, (SELECT count(*) FROM workitem WHERE customer_id = ? AND status NOT IN ('sent', 'closed'))"
        " FROM customer WHERE id = ?",
        (customer_id, customer_id),
    ).fetchall()
    conn.execute(
        "SELECT id, source_id, channel, direction, occurred_at, subject, body, url, author FROM interaction"
        " WHERE customer_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?",
        (customer_id, limit),
    ).fetchall()
    conn.execute(
        "SELECT channel, direction, count(*), max(occurred_at) FROM interaction WHERE customer_id = ?"
        " GROUP BY channel, direction",
        (customer_id,),
    ).fetchall()
    conn.execute(
        "SELECT network, handle FROM customerhandle WHERE customer_id = ? ORDER BY network, handle", (customer_id,)
    ).fetchall()


def _time_reads(path: Path, heavy: int) -> tuple[float, float, float, float]:
    """Best times of customer_context and three inbox pages, each in a fresh session."""
    db = Database(f"sqlite:///{path}")
    try:

        def context() -> None:
            with db.session() as s:
                ctx = customer_context(s, customer_id=heavy, limit=200)
            assert len(ctx.interactions) == 200
            assert ctx.counts.total == HEAVY_INTERACTIONS

        def first_page() -> None:
            with db.session() as s:
                assert len(items_page(s, limit=100)) == 100

        with db.session() as s:
            cursor = items_page(s, limit=100)[-1].cursor

        def next_page() -> None:
            with db.session() as s:
                assert len(items_page(s, after=cursor, limit=100)) == 100

        def new_page() -> None:
            with db.session() as s:
                assert len(items_page(s, status="new", limit=100)) == 100

        fns = (context, first_page, next_page, new_page)
        for fn in fns:
            fn()
        ctx_s, first_s, next_s, new_s = (timed(fn, repeat=REPEAT) for fn in fns)
    finally:
        db.dispose()
    return ctx_s, first_s, next_s, new_s


def _timeline_figures(path: Path) -> list[Figure]:
    built, heavy = _build_timeline(path)
    ours, first, second, new = _time_reads(path, heavy)
    with closing(sqlite3.connect(path)) as raw:
        _raw_context(raw, heavy, 200)
        baseline = timed(partial(_raw_context, raw, heavy, 200), repeat=REPEAT)
    return [
        Figure("build: 210k interactions, 100k work items (SQLite)", built, "s", "informative", True),
        Figure("customer_context(limit=200), 10k interactions", ours * 1000, "ms", "<=20 ms", ours <= 0.020),
        Figure("  ratio to the same SQL through raw sqlite3", ours / baseline, "x", "informative", True),
        Figure("items_page first 100 of 100k work items", first * 1000, "ms", "<=50 ms", first <= 0.050),
        Figure("  second page (keyset cursor)", second * 1000, "ms", "informative", True),
        Figure("items_page first 100, status='new'", new * 1000, "ms", "<=50 ms", new <= 0.050),
    ]


# -- the revisions database --------------------------------------------------------


def _revisions(now: datetime) -> Iterator[tuple[object, ...]]:
    """Valid chains: every hash is what `storage.chain.link_hash` computes for the row."""
    rid = 0
    for draft in range(1, DRAFTS + 1):
        prev = GENESIS_HASH
        subject = f"Re: pedido {draft}"
        for seq in range(1, REVISIONS_PER_DRAFT + 1):
            rid += 1
            human = seq > 1
            body = f"Hola, gracias por escribirnos. Versión {seq} de la respuesta al pedido {draft}."
            created = now + timedelta(milliseconds=rid)
            # Every column but `hash`, in table order, as the chain hashes them.
            fields: dict[str, Scalar] = {
                "id": rid,
                "draft_id": draft,
                "seq": seq,
                "author_kind": "human" if human else "ai",
                "kind": "human_edit" if human else "ai_draft",
                "author": "marta" if human else "",
                "subject": subject,
                "body": body,
                "content_hash": content_hash(subject, body),
                "created_at": created,
                "prev_hash": prev,
            }
            link = chain_hash(prev, fields)
            fields["created_at"] = _stamp(created)
            yield (*fields.values(), link)
            prev = link


def _build_revisions(path: Path) -> float:
    """10,000 drafts with 100 chained revisions each, in one transaction; returns seconds."""
    start = time.perf_counter()
    _migrated(path)
    now = datetime.now(UTC)
    stamp = _stamp(now)
    with closing(_raw(path)) as conn, conn:
        _customers(conn, stamp)
        conn.executemany(
            "INSERT INTO draft (id, customer_id, channel, language, status, provider, model, "
            " created_at, updated_at) VALUES (?, ?, 'email', 'es', 'drafting', '', '', ?, ?)",
            [(d, d % CUSTOMERS + 1, stamp, stamp) for d in range(1, DRAFTS + 1)],
        )
        conn.executemany(
            "INSERT INTO revision (id, draft_id, seq, author_kind, kind, author, subject, body, content_hash,"
            " created_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _revisions(now),
        )
    return time.perf_counter() - start


def _check_chain(db: Database, draft_id: int) -> None:
    """The bench data must be a valid history, or the figures would describe nothing real."""
    with db.session() as s:
        rows = s.exec(select(Revision).where(col(Revision.draft_id) == draft_id).order_by(col(Revision.seq))).all()
    prev = GENESIS_HASH
    for row in rows:
        assert row.prev_hash == prev, f"revision {row.id}: broken prev_hash"
        assert link_hash(row) == row.hash, f"revision {row.id}: hash does not match its content"
        prev = row.hash
    assert len(rows) == REVISIONS_PER_DRAFT


def _raw_revisions(conn: sqlite3.Connection, draft_id: int, before_seq: int | None) -> None:
    sql = (
        "SELECT id, draft_id, seq, author_kind, kind, author, subject, body, content_hash, created_at, prev_hash,"
        " hash FROM revision WHERE draft_id = ?"
    )
    params: tuple[int, ...] = (draft_id,)
    if before_seq is not None:
        sql += " AND seq < ?"
        params += (before_seq,)
    conn.execute(sql + " ORDER BY seq DESC LIMIT 50", params).fetchall()


def _revision_figures(path: Path) -> list[Figure]:
    built = _build_revisions(path)
    figures = [
        Figure(f"build: {DRAFTS * REVISIONS_PER_DRAFT:,} chained revisions (SQLite)", built, "s", "<120 s", built < 120)
    ]
    middle = DRAFTS // 2
    before = REVISIONS_PER_DRAFT // 2 + 1
    db = Database(f"sqlite:///{path}")
    try:
        _check_chain(db, middle)

        def page(before_seq: int | None) -> None:
            with db.session() as s:
                rows = revisions_page(s, draft_id=middle, before_seq=before_seq, limit=50)
            assert len(rows) == 50

        with closing(sqlite3.connect(path)) as raw:
            for label, before_seq in (("newest page", None), (f"before_seq={before}", before)):
                page(before_seq)
                ours = timed(partial(page, before_seq), repeat=REPEAT)
                _raw_revisions(raw, middle, before_seq)
                baseline = timed(partial(_raw_revisions, raw, middle, before_seq), repeat=REPEAT)
                figures += [
                    Figure(
                        f"revisions_page 50 of 1M, middle draft, {label}", ours * 1000, "ms", "<=50 ms", ours <= 0.050
                    ),
                    Figure("  ratio to the same SQL through raw sqlite3", ours / baseline, "x", "informative", True),
                ]
    finally:
        db.dispose()
    return figures


def run() -> list[Figure]:
    """Build both databases in a temp dir, time the queries, and remove the files."""
    with tempfile.TemporaryDirectory(prefix="latido-bench-queries-") as tmp:
        return _timeline_figures(Path(tmp) / "timeline.sqlite3") + _revision_figures(Path(tmp) / "revisions.sqlite3")
