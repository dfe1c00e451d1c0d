"""Drafting context for a customer with 10,000 interactions, on SQLite.

`build_context` is timed end to end (queries, search, promise finding, token
fitting), each run in a fresh read session as the drafting worker opens one.
The baseline replays the very statements it sent, with the same parameters,
through bare sqlite3: the ratio says what the ORM and the Python assembly cost
on top of the SQL alone.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.harness import Figure
from drafting.context import build_context, lexicon_lines
from storage.database import Database
from storage.hashing import Scalar, chain_hash, content_hash
from storage.models import GENESIS_HASH

REPEAT = 20
CUSTOMERS = 50
HEAVY = 1
HEAVY_INTERACTIONS = 10_000
OTHER_INTERACTIONS = 30_000
APPROVED_REPLIES = 500
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
CHANNELS = ("email", "comment", "dm", "call", "ticket", "chat", "note")

# Everyday support words in both languages, ranked after each language's stopwords and followed by a long
# tail of rarer words (product names, places, codes). Words are drawn with Zipf's law, as in real text:
# stopwords in every message, support words in some, the tail in few. A flat draw from a small vocabulary
# would put every word in every message, which no real history does.
SUPPORT_ES = [
    "pedido",
    "envío",
    "factura",
    "problema",
    "cuenta",
    "cambio",
    "llegó",
    "roto",
    "semana",
    "reembolso",
    "devolución",
    "café",
    "molido",
    "grano",
    "suscripción",
    "cargo",
    "tarjeta",
    "dirección",
    "tueste",
    "bolsa",
    "molinillo",
    "cafetera",
    "entrega",
    "retraso",
    "transportista",
    "seguimiento",
    "precio",
    "plan",
    "mensual",
    "descuento",
    "regalo",
    "cliente",
    "tienda",
    "pago",
    "duplicado",
    "correo",
    "llamada",
    "ayer",
    "mañana",
]
SUPPORT_EN = [
    "order",
    "shipping",
    "invoice",
    "issue",
    "account",
    "change",
    "arrived",
    "broken",
    "week",
    "refund",
    "return",
    "coffee",
    "ground",
    "beans",
    "subscription",
    "charge",
    "card",
    "address",
    "roast",
    "bag",
    "grinder",
    "machine",
    "delivery",
    "delay",
    "courier",
    "tracking",
    "price",
    "plan",
    "monthly",
    "discount",
    "gift",
    "customer",
    "store",
    "payment",
    "duplicate",
    "email",
    "call",
    "yesterday",
    "tomorrow",
]
SYLLABLES = ("ka", "lo", "mi", "ten", "sor", "ba", "ri", "que", "dul", "pan", "ver", "go", "na", "til", "ro", "es")
TAIL_WORDS = 3000
ZIPF_S = 1.07


def _vocabulary(lang: str, rng: random.Random) -> tuple[list[str], list[float]]:
    """Words ranked by how common they are, and cumulative Zipf weights for `random.choices`."""
    support = SUPPORT_ES if lang == "es" else SUPPORT_EN
    tail = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(TAIL_WORDS)]
    words = [*lexicon_lines("stopwords", lang), *support, *tail]
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank**ZIPF_S
        cumulative.append(total)
    return words, cumulative


PROMISES = (
    "We'll refund the duplicate charge within 5 business days.",
    "Te escribo en cuanto sepa algo.",
    "I'll send you the tracking number tomorrow.",
    "Hemos tramitado la devolución; la verás en unos cinco días hábiles.",
)


def _stamp(value: datetime) -> str:
    """How SQLAlchemy's SQLite dialect stores a UTC instant (naive, microseconds)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _text(rng: random.Random, words: int, *, spanish: bool) -> str:
    vocabulary, weights = VOCABULARY["es" if spanish else "en"]
    body = " ".join(rng.choices(vocabulary, cum_weights=weights, k=words))
    return f"{body} A-{rng.randint(10000, 99999)}."


def _interactions(rng: random.Random) -> Iterator[tuple[object, ...]]:
    """Two years of history, in time order; the heavy customer's newest rows reach the last few minutes."""
    span = int(timedelta(days=730).total_seconds())
    per_other = OTHER_INTERACTIONS // (CUSTOMERS - 1)
    arrivals = sorted(
        (rng.randrange(300, span), customer)
        for customer, count in [(HEAVY, HEAVY_INTERACTIONS - 1)] + [(c, per_other) for c in range(2, CUSTOMERS + 1)]
        for _ in range(count)
    )
    arrivals.reverse()  # oldest first
    for n, (ago, customer) in enumerate(arrivals, start=1):
        spanish = customer % 2 == 1
        direction = "out" if rng.random() < 0.4 else "in"
        body = _text(rng, rng.randrange(10, 60), spanish=spanish)
        if direction == "out" and rng.random() < 0.1:
            body += " " + rng.choice(PROMISES)
        when = _stamp(NOW - timedelta(seconds=ago))
        yield (
            n,
            f"src-{n}",
            customer,
            CHANNELS[rng.randrange(len(CHANNELS))],
            direction,
            when,
            "" if rng.random() < 0.5 else _text(rng, 4, spanish=spanish),
            body,
            when,
        )


def _approved(rng: random.Random, stamp: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Drafts with one valid chained revision each, for the approved replies to point at."""
    drafts, revisions = [], []
    for n in range(1, APPROVED_REPLIES + 1):
        spanish = n % 2 == 1
        subject, body = "", _text(rng, 40, spanish=spanish)
        fields: dict[str, Scalar] = {
            "id": n,
            "draft_id": n,
            "seq": 1,
            "author_kind": "human",
            "kind": "human_edit",
            "author": "marta",
            "subject": subject,
            "body": body,
            "content_hash": content_hash(subject, body),
            "created_at": NOW - timedelta(days=1, seconds=n),
            "prev_hash": GENESIS_HASH,
        }
        link = chain_hash(GENESIS_HASH, fields)
        fields["created_at"] = _stamp(NOW - timedelta(days=1, seconds=n))
        drafts.append((n, n % CUSTOMERS + 1, "es" if spanish else "en", stamp, stamp))
        revisions.append((*fields.values(), link))
    return drafts, revisions


VOCABULARY = {lang: _vocabulary(lang, random.Random(lang)) for lang in ("es", "en")}


def _build(path: Path) -> tuple[float, int]:
    """The database; returns (seconds, the work item to draft for)."""
    start = time.perf_counter()
    db = Database(f"sqlite:///{path}")
    db.upgrade(backup=False)
    db.dispose()
    rng = random.Random(11)
    stamp = _stamp(NOW)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA synchronous=OFF")  # a throwaway build
        conn.executemany(
            "INSERT INTO customer (id, customer_id, name, email, phone, language, plan, owner, tags, created_at,"
            " imported_at) VALUES (?, ?, ?, ?, '', ?, 'Pro', 'marta', '', ?, ?)",
            [
                (
                    c,
                    f"C-{c}",
                    f"Customer {c}",
                    f"c{c}@example.com",
                    "es" if c % 2 else "en",
                    _stamp(NOW - timedelta(days=800)),
                    stamp,
                )
                for c in range(1, CUSTOMERS + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO customerhandle (customer_id, network, handle) VALUES (?, ?, ?)",
            [(c, net, f"@c{c}-{net}") for c in range(1, CUSTOMERS + 1) for net in ("instagram", "x")],
        )
        conn.executemany(
            "INSERT INTO interaction (id, source_id, customer_id, channel, direction, occurred_at, subject, body,"
            " url, author, message_id, in_reply_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', ?)",
            _interactions(rng),
        )
        # The message being answered: an email from the heavy customer a few minutes ago.
        incoming_id = HEAVY_INTERACTIONS + OTHER_INTERACTIONS + 1
        conn.execute(
            "INSERT INTO interaction (id, source_id, customer_id, channel, direction, occurred_at, subject, body,"
            " url, author, message_id, in_reply_to, created_at) VALUES (?, 'incoming', ?, 'email', 'in', ?,"
            " 'Cargo duplicado', ?, '', '', '', '', ?)",
            (
                incoming_id,
                HEAVY,
                _stamp(NOW - timedelta(minutes=3)),
                "Hola, el cargo de la suscripción está duplicado en la tarjeta y el pedido llegó roto. "
                "¿Podéis revisar la factura y el reembolso?",
                stamp,
            ),
        )
        conn.execute(
            "INSERT INTO workitem (customer_id, interaction_id, channel, status, escalated, frustration,"
            " escalation_reasons, language, received_at, updated_at) VALUES (?, ?, 'email', 'new', 0, 0.5, '',"
            " 'es', ?, ?)",
            (HEAVY, incoming_id, _stamp(NOW - timedelta(minutes=3)), stamp),
        )
        item_id = int(conn.execute("SELECT id FROM workitem WHERE interaction_id = ?", (incoming_id,)).fetchone()[0])
        conn.executemany(
            "INSERT INTO workitem (customer_id, interaction_id, channel, status, escalated, frustration,"
            " escalation_reasons, language, received_at, updated_at)"
            " SELECT customer_id, id, channel, 'new', 0, 0, '', 'es', occurred_at, ? FROM interaction"
            " WHERE customer_id = ? AND direction = 'in' AND channel != 'note' AND id != ?"
            " ORDER BY occurred_at DESC LIMIT 3",
            [(stamp, HEAVY, incoming_id)],
        )
        drafts, revisions = _approved(rng, stamp)
        conn.executemany(
            "INSERT INTO draft (id, customer_id, channel, language, status, provider, model, created_at, updated_at)"
            " VALUES (?, ?, 'email', ?, 'sent', '', '', ?, ?)",
            drafts,
        )
        conn.executemany(
            "INSERT INTO revision (id, draft_id, seq, author_kind, kind, author, subject, body, content_hash,"
            " created_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            revisions,
        )
        conn.executemany(
            "INSERT INTO approvedreply (draft_id, revision_id, customer_id, channel, language, incoming, body,"
            " approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    n,
                    n,
                    n % CUSTOMERS + 1,
                    rng.choice(("email", "comment", "dm")),
                    "es" if n % 2 else "en",
                    _text(rng, 20, spanish=n % 2 == 1),
                    revisions[n - 1][7],
                    _stamp(NOW - timedelta(days=n % 200)),
                )
                for n in range(1, APPROVED_REPLIES + 1)
            ],
        )
        for lang in ("es", "en"):
            guide = conn.execute(
                "INSERT INTO voiceguide (language, tone, words_use, words_avoid, signature_email, signature_comment,"
                " comment_limit, updated_at) VALUES (?, 'Warm and plain.', 'your coffee', 'dear customer',"
                " 'Warmly,\nThe team', '', 280, ?)",
                (lang, stamp),
            ).lastrowid
            conn.executemany(
                "INSERT INTO voiceexample (guide_id, channel, incoming, reply, created_at) VALUES (?, ?, ?, ?, ?)",
                [
                    (guide, ch, _text(rng, 12, spanish=lang == "es"), _text(rng, 30, spanish=lang == "es"), stamp)
                    for ch in ("comment", "comment", "dm", "email", "email", "email")
                ],
            )
        conn.executemany(
            "INSERT INTO feedbacknote (customer_id, author, tags, body, created_at) VALUES (?, 'lucia', '', ?, ?)",
            [(HEAVY, _text(rng, 25, spanish=True), _stamp(NOW - timedelta(days=d))) for d in (2, 20, 40)],
        )
    return time.perf_counter() - start, item_id


def _runs(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def run() -> list[Figure]:
    """Build the database in a temp dir, time build_context and the raw SQL it sends, remove the file."""
    with tempfile.TemporaryDirectory(prefix="latido-bench-context-") as tmp:
        path = Path(tmp) / "context.sqlite3"
        built, item_id = _build(path)
        db = Database(f"sqlite:///{path}")
        statements: list[tuple[str, Any]] = []

        def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                statements.append((statement, parameters))

        try:

            def context() -> None:
                with db.session() as s:
                    ctx = build_context(s, item_id=item_id, now=NOW)
                assert ctx.incoming is not None and ctx.recent and ctx.promises and ctx.similar_replies

            context()  # warm: lexicons, statement cache, pages
            sa.event.listen(db.engine, "before_cursor_execute", record)
            context()
            sa.event.remove(db.engine, "before_cursor_execute", record)
            ours = _runs(context, REPEAT)
        finally:
            db.dispose()

        def raw_sql(conn: sqlite3.Connection) -> None:
            for statement, parameters in statements:
                conn.execute(statement, parameters).fetchall()

        with closing(sqlite3.connect(path)) as raw:
            raw_sql(raw)
            baseline = _runs(lambda: raw_sql(raw), REPEAT)

    median, best = statistics.median(ours), min(ours)
    raw_median = statistics.median(baseline)
    return [
        Figure("build: 40k interactions, 500 approved replies (SQLite)", built, "s", "informative", True),
        Figure(
            "build_context, customer with 10k interactions (median)", median * 1000, "ms", "<=30 ms", median <= 0.030
        ),
        Figure("  best of 20 warm runs", best * 1000, "ms", "informative", True),
        Figure(
            f"  the same {len(statements)} SELECTs through raw sqlite3 (median)",
            raw_median * 1000,
            "ms",
            "informative",
            True,
        ),
        Figure("  ratio to the raw SQL alone", median / raw_median, "x", "informative", True),
    ]
