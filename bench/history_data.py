"""A big, realistic approval history for benchmarks: drafts, chained revisions and reviews, sends.

`build_history_db` migrates an empty database (SQLite file or PostgreSQL) and
fills it with bulk inserts: one work item, draft and decisive review per
approval (about 5% of them rejections, some after a "request changes"), the
revisions in between (every chain hash is what `storage.chain` computes),
edit metrics, approved replies, outbox rows with their delivery attempts,
context snapshots and one audit event per decision. Times spread over the
year before the build; edits, commitments and overridden findings are mixed
in at plausible rates, so filters select realistic fractions.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from storage.database import Database
from storage.hashing import Scalar, chain_hash, content_hash
from storage.models import GENESIS_HASH

CHUNK = 5_000
"""Drafts generated and written per batch: keeps memory flat whatever the size."""

AGENTS = 24
LEADS = 4
TRAINEES = 6
"""The first TRAINEES agents are trainees."""
REJECT_RATE = 0.05
CHANGES_REQUESTED_RATE = 0.08
ESCALATED_RATE = 0.08
COMMITMENT_RATE = 0.15
OVERRIDE_RATE = 0.2
CHANNELS = ("email", "email", "comment", "comment", "comment", "dm")
OUTBOX_STATES = ("sent",) * 18 + ("queued", "failed")
FINDINGS = ("robotic_phrase", "generic_greeting", "too_long", "commitment", "unacknowledged_frustration")
FIRST = ("Ana", "Luis", "Marta", "Jorge", "Lucía", "Pablo", "Emma", "Oliver", "Sofía", "Liam", "Carmen", "Noah")
LAST = ("García", "López", "Martín", "Smith", "Jones", "Pérez", "Brown", "Sánchez", "Taylor", "Ruiz")
WORDS_ES = [
    "hola",
    "gracias",
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
    "tienda",
    "talla",
    "devolución",
    "cliente",
    "ayuda",
    "rápido",
    "paquete",
    "precio",
    "nuevo",
    "correo",
    "tarjeta",
    "plazo",
]
WORDS_EN = [
    "hello",
    "thanks",
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
    "store",
    "size",
    "return",
    "customer",
    "help",
    "quick",
    "parcel",
    "price",
    "new",
    "email",
    "card",
    "deadline",
]
COMMITMENT = {
    "es": "Te enviaremos el reembolso antes del lunes.",
    "en": "We will send your refund before Monday.",
}
GREETING = {"es": "Hola {name},", "en": "Hi {name},"}


def _sqlite_stamp(value: datetime) -> str:
    """How SQLAlchemy's SQLite dialect stores a UTC instant (naive, microseconds)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _aware(value: datetime) -> datetime:
    return value


@dataclass
class _Batch:
    """Rows for every table, in column order, for one chunk of drafts."""

    rows: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[object, ...]) -> None:
        self.rows.setdefault(table, []).append(row)


COLUMNS: dict[str, tuple[str, ...]] = {
    "user": ("id", "name", "display_name", "role", "email", "language", "signature", "created_at"),
    "customer": (
        "id",
        "customer_id",
        "name",
        "email",
        "phone",
        "language",
        "plan",
        "owner",
        "tags",
        "timezone",
        "created_at",
        "imported_at",
    ),
    "interaction": (
        "id",
        "source_id",
        "customer_id",
        "channel",
        "direction",
        "occurred_at",
        "subject",
        "body",
        "url",
        "author",
        "message_id",
        "in_reply_to",
        "created_at",
    ),
    "workitem": (
        "id",
        "customer_id",
        "interaction_id",
        "channel",
        "status",
        "assignee_id",
        "escalated",
        "frustration",
        "escalation_reasons",
        "language",
        "received_at",
        "updated_at",
    ),
    "draft": (
        "id",
        "work_item_id",
        "customer_id",
        "channel",
        "language",
        "author_id",
        "status",
        "provider",
        "model",
        "created_at",
        "updated_at",
    ),
    "contextsnapshot": ("id", "draft_id", "data", "sha256", "created_at"),
    "revision": (
        "id",
        "draft_id",
        "seq",
        "author_kind",
        "kind",
        "author",
        "subject",
        "body",
        "content_hash",
        "created_at",
        "prev_hash",
        "hash",
    ),
    "review": (
        "id",
        "draft_id",
        "seq",
        "revision_id",
        "reviewer",
        "decision",
        "content_hash",
        "reason",
        "acknowledged",
        "created_at",
        "prev_hash",
        "hash",
    ),
    "editmetric": (
        "id",
        "review_id",
        "draft_id",
        "ai_revision_id",
        "final_revision_id",
        "words_ai",
        "words_final",
        "edit_pct",
        "empathy_added",
        "commitments_added",
        "commitments_removed",
        "findings_resolved",
        "findings_overridden",
        "created_at",
    ),
    "approvedreply": (
        "id",
        "draft_id",
        "revision_id",
        "customer_id",
        "channel",
        "language",
        "incoming",
        "body",
        "approved_at",
    ),
    "outboxmessage": (
        "id",
        "draft_id",
        "review_id",
        "channel",
        "transport",
        "recipients",
        "subject",
        "body",
        "content_hash",
        "message_id",
        "in_reply_to",
        "idempotency_key",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "claimed_by",
        "refused",
        "sent_by",
        "created_at",
        "updated_at",
        "sent_at",
    ),
    "deliveryattempt": ("id", "outbox_id", "attempt", "outcome", "detail", "actor", "created_at"),
    "auditevent": ("id", "occurred_at", "actor", "action", "entity", "entity_id", "details", "prev_hash", "hash"),
}
ORDER = tuple(COLUMNS)
"""Insert order: every foreign key points at a table written before it."""


class _Ids:
    """Next id per table, handed out before insert because ids are part of the chain hashes."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value


def _revision_counts(rng: random.Random, drafts: int, revisions: int) -> list[int]:
    """How many revisions each draft gets: varied, at least one each, summing to exactly `revisions`."""
    base, extra = divmod(revisions, drafts)
    counts = [base + (1 if i < extra else 0) for i in range(drafts)]
    for i in range(0, drafts - 1, 2):
        low = min(counts[i], counts[i + 1]) - 1
        if low > 0:
            shift = rng.randint(-low, low)
            counts[i] += shift
            counts[i + 1] -= shift
    rng.shuffle(counts)
    return counts


class _Generator:
    """Makes the rows; `ts` turns an aware datetime into what the backend's driver takes."""

    def __init__(self, *, rng: random.Random, now: datetime, approvals: int, ts: Callable[[datetime], object]) -> None:
        self.rng = rng
        self.now = now
        self.ts = ts
        self.ids = _Ids()
        self.customers = max(10, approvals // 40)
        self.audit_prev = GENESIS_HASH
        self.span = int(timedelta(days=365).total_seconds())
        self.step = self.span / max(approvals, 1)
        self.drafted = 0

    # -- people --------------------------------------------------------------------

    def people(self) -> _Batch:
        batch = _Batch()
        created = self.ts(self.now - timedelta(days=400))
        for n in range(1, AGENTS + 1):
            role = "trainee" if n <= TRAINEES else "agent"
            batch.add("user", (self.ids("user"), f"agent{n:02d}", f"Agent {n}", role, "", "es", "", created))
        for n in range(1, LEADS + 1):
            batch.add("user", (self.ids("user"), f"lead{n}", f"Lead {n}", "lead", "", "es", "", created))
        for n in range(1, self.customers + 1):
            lang = "es" if n % 3 else "en"
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"
            batch.add(
                "customer",
                (
                    self.ids("customer"),
                    f"c-{n:06d}",
                    name,
                    f"c{n}@example.com",
                    "",
                    lang,
                    "pro" if n % 4 else "basic",
                    "",
                    "",
                    "",
                    created,
                    created,
                ),
            )
        return batch

    # -- one draft's whole life ----------------------------------------------------

    def _words(self, lang: str, count: int) -> list[str]:
        return self.rng.choices(WORDS_ES if lang == "es" else WORDS_EN, k=count)

    def _audit(self, batch: _Batch, *, at: datetime, actor: str, action: str, draft_id: int, details: Any) -> None:
        event_id = self.ids("auditevent")
        text = json.dumps(details, sort_keys=True, ensure_ascii=False)
        fields: dict[str, Scalar] = {
            "id": event_id,
            "occurred_at": at,
            "actor": actor,
            "action": action,
            "entity": "draft",
            "entity_id": str(draft_id),
            "details": text,
            "prev_hash": self.audit_prev,
        }
        link = chain_hash(self.audit_prev, fields)
        batch.add(
            "auditevent", (event_id, self.ts(at), actor, action, "draft", str(draft_id), text, self.audit_prev, link)
        )
        self.audit_prev = link

    def draft(self, batch: _Batch, n_revisions: int) -> None:  # noqa: PLR0915  # one draft's life reads best top to bottom
        rng, ts = self.rng, self.ts
        customer = rng.randint(1, self.customers)
        lang = "es" if customer % 3 else "en"
        channel = rng.choice(CHANNELS)
        agent_id = rng.randint(1, AGENTS)
        agent = f"agent{agent_id:02d}"
        lead = f"lead{rng.randint(1, LEADS)}"
        # Messages arrive in id order, as they do in a live database, a few minutes apart on average.
        self.drafted += 1
        received = self.now - timedelta(
            seconds=self.span - self.drafted * self.step + rng.random() * self.step + 86_400
        )
        escalated = rng.random() < ESCALATED_RATE
        rejected = rng.random() < REJECT_RATE
        with_commitment = rng.random() < COMMITMENT_RATE

        interaction_id = self.ids("interaction")
        incoming = " ".join(self._words(lang, rng.randint(8, 40)))
        subject = "Re: " + " ".join(self._words(lang, 3)) if channel == "email" else ""
        batch.add(
            "interaction",
            (
                interaction_id,
                f"bench-in-{interaction_id}",
                customer,
                channel,
                "in",
                ts(received),
                subject[4:],
                incoming,
                "",
                f"@c{customer}" if channel != "email" else f"c{customer}@example.com",
                f"<in-{interaction_id}@example.com>" if channel == "email" else "",
                "",
                ts(received),
            ),
        )
        item_id = self.ids("workitem")
        draft_id = self.ids("draft")
        drafted = received + timedelta(seconds=rng.randint(60, 4 * 3600))

        # The AI's draft, then people's edits: each replaces a few words of the one before.
        name = FIRST[customer % len(FIRST)]
        ai_words = self._words(lang, rng.randint(15, 80))
        body = GREETING[lang].format(name=name) + "\n\n" + " ".join(ai_words)
        bodies = [body]
        changed = 0
        current = list(ai_words)
        for _ in range(n_revisions - 1):
            k = rng.randint(1, max(1, len(current) // 8))
            for _ in range(k):
                current[rng.randrange(len(current))] = rng.choice(WORDS_ES if lang == "es" else WORDS_EN)
            changed += k
            bodies.append(GREETING[lang].format(name=name) + "\n\n" + " ".join(current))
        if with_commitment:
            bodies[-1] += "\n\n" + COMMITMENT[lang]
        edit_pct = round(min(100.0, 100.0 * changed / max(len(ai_words), 1)), 1) if n_revisions > 1 else 0.0

        when = drafted
        prev = GENESIS_HASH
        revision_ids: list[int] = []
        hashes: list[str] = []
        times: list[datetime] = []
        for seq, text in enumerate(bodies, start=1):
            rev_id = self.ids("revision")
            human = seq > 1
            c_hash = content_hash(subject, text)
            fields: dict[str, Scalar] = {
                "id": rev_id,
                "draft_id": draft_id,
                "seq": seq,
                "author_kind": "human" if human else "ai",
                "kind": ("approver_edit" if seq == len(bodies) and rng.random() < 0.05 else "human_edit")
                if human
                else "ai_draft",
                "author": agent if human else "",
                "subject": subject,
                "body": text,
                "content_hash": c_hash,
                "created_at": when,
                "prev_hash": prev,
            }
            link = chain_hash(prev, fields)
            row = (*fields.values(), link)
            batch.add("revision", (*row[:9], ts(when), prev, link))
            revision_ids.append(rev_id)
            hashes.append(c_hash)
            times.append(when)
            prev = link
            when += timedelta(seconds=rng.randint(20, 900))

        # Reviews: sometimes "request changes" on an earlier revision first, then the decision on the last.
        decided = when + timedelta(seconds=rng.randint(60, 6 * 3600))
        reviews: list[tuple[int, str, str, list[str], datetime]] = []
        if len(bodies) > 1 and rng.random() < CHANGES_REQUESTED_RATE:
            asked = times[-1] - timedelta(seconds=10)
            reviews.append((len(bodies) - 2, "request_changes", "más cercano, por favor", [], asked))
        acknowledged: list[str] = []
        if with_commitment and not rejected:
            start = len(bodies[-1]) - len(COMMITMENT[lang])
            acknowledged = [f"commitment@{start}-{len(bodies[-1])}"]
        reviews.append(
            (
                len(bodies) - 1,
                "reject" if rejected else "approve",
                "no aplica" if rejected else "",
                acknowledged,
                decided,
            )
        )
        review_prev = GENESIS_HASH
        review_id = 0
        for seq, (index, decision, reason, acks, at) in enumerate(reviews, start=1):
            review_id = self.ids("review")
            ack_text = json.dumps(sorted(acks), ensure_ascii=False)
            fields = {
                "id": review_id,
                "draft_id": draft_id,
                "seq": seq,
                "revision_id": revision_ids[index],
                "reviewer": lead,
                "decision": decision,
                "content_hash": hashes[index],
                "reason": reason,
                "acknowledged": ack_text,
                "created_at": at,
                "prev_hash": review_prev,
            }
            link = chain_hash(review_prev, fields)
            row = (*fields.values(), link)
            batch.add("review", (*row[:9], ts(at), review_prev, link))
            review_prev = link

        snapshot = json.dumps(
            {"customer": {"customer_id": f"c-{customer:06d}", "language": lang}, "incoming": incoming[:120]},
            ensure_ascii=False,
        )
        snapshot_row = (
            self.ids("contextsnapshot"),
            draft_id,
            snapshot,
            hashlib.sha256(snapshot.encode()).hexdigest(),
            ts(drafted),
        )
        final = bodies[-1]
        if rejected:
            item_status, draft_status = "new", "closed"
            self._audit(
                batch,
                at=decided,
                actor=lead,
                action="draft.reject",
                draft_id=draft_id,
                details={"review_id": review_id},
            )
        else:
            state = rng.choice(OUTBOX_STATES)
            item_status = draft_status = "sent" if state == "sent" else "approved"
            overridden = sorted(rng.sample(FINDINGS, rng.randint(1, 2))) if rng.random() < OVERRIDE_RATE else []
            if with_commitment and "commitment" not in overridden:
                overridden = sorted([*overridden, "commitment"])
            batch.add(
                "editmetric",
                (
                    self.ids("editmetric"),
                    review_id,
                    draft_id,
                    revision_ids[0],
                    revision_ids[-1],
                    len(ai_words) + 2,
                    len(final.split()) + 1,
                    edit_pct,
                    "name" if rng.random() < 0.1 else "",
                    json.dumps([COMMITMENT[lang]] if with_commitment else [], ensure_ascii=False),
                    "[]",
                    "",
                    ",".join(overridden),
                    ts(decided),
                ),
            )
            batch.add(
                "approvedreply",
                (
                    self.ids("approvedreply"),
                    draft_id,
                    revision_ids[-1],
                    customer,
                    channel,
                    lang,
                    incoming,
                    final,
                    ts(decided),
                ),
            )
            outbox_id = self.ids("outboxmessage")
            sent_at = decided + timedelta(seconds=rng.randint(2, 120)) if state == "sent" else None
            email = channel == "email"
            batch.add(
                "outboxmessage",
                (
                    outbox_id,
                    draft_id,
                    review_id,
                    channel,
                    "smtp" if email else "manual",
                    f"c{customer}@example.com" if email else f"@c{customer}",
                    subject,
                    final,
                    hashes[-1],
                    f"<bench-{outbox_id}@latido.invalid>" if email else "",
                    f"<in-{interaction_id}@example.com>" if email else "",
                    f"latido-{draft_id}-{review_id}",
                    state,
                    0 if state == "queued" else 1,
                    None,
                    "550 mailbox unavailable" if state == "failed" else "",
                    "",
                    "",
                    "" if email else agent,
                    ts(decided),
                    ts(sent_at or decided),
                    ts(sent_at) if sent_at is not None else None,
                ),
            )
            if state != "queued":
                batch.add(
                    "deliveryattempt",
                    (
                        self.ids("deliveryattempt"),
                        outbox_id,
                        1,
                        state,
                        "250 OK" if state == "sent" else "550 mailbox unavailable",
                        "bench",
                        ts(sent_at or decided),
                    ),
                )
            self._audit(
                batch,
                at=decided,
                actor=lead,
                action="draft.approved",
                draft_id=draft_id,
                details={"review_id": review_id, "hash": hashes[-1], "findings_overridden": overridden},
            )

        batch.add(
            "workitem",
            (
                item_id,
                customer,
                interaction_id,
                channel,
                item_status,
                agent_id,
                escalated,
                round(rng.uniform(0.6, 1.0) if escalated else rng.uniform(0.0, 0.5), 2),
                "anger" if escalated else "",
                lang,
                ts(received),
                ts(decided),
            ),
        )
        batch.add(
            "draft",
            (
                draft_id,
                item_id,
                customer,
                channel,
                lang,
                agent_id,
                draft_status,
                "offline",
                "",
                ts(drafted),
                ts(decided),
            ),
        )
        batch.add("contextsnapshot", snapshot_row)


# -- writers -----------------------------------------------------------------------


def _insert_sql(table: str, placeholder: str) -> str:
    columns = COLUMNS[table]
    quoted = f'"{table}"' if table == "user" else table
    return f"INSERT INTO {quoted} ({', '.join(columns)}) VALUES ({', '.join([placeholder] * len(columns))})"  # names are this module's constants


def _write_sqlite(conn: sqlite3.Connection, batch: _Batch) -> None:
    for table in ORDER:
        rows = batch.rows.get(table)
        if rows:
            conn.executemany(_insert_sql(table, "?"), rows)


def _write_postgresql(cursor: Any, batch: _Batch) -> None:
    for table in ORDER:
        rows = batch.rows.get(table)
        if not rows:
            continue
        quoted = f'"{table}"' if table == "user" else table
        with cursor.copy(f"COPY {quoted} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _batches(gen: _Generator, counts: Sequence[int]) -> Iterator[_Batch]:
    yield gen.people()
    for start in range(0, len(counts), CHUNK):
        batch = _Batch()
        for n in counts[start : start + CHUNK]:
            gen.draft(batch, n)
        yield batch


def build_history_db(url: str, *, approvals: int = 200_000, revisions: int = 1_000_000, seed: int = 1) -> None:
    """Migrate the (empty) database at `url` and fill it with `approvals` decided drafts and `revisions` revisions.

    `approvals` counts history rows: drafts with a decisive review (about 5%
    rejected). Revisions are spread over them, at least one each.
    """
    if approvals < 1 or revisions < approvals:
        raise ValueError("need at least one approval and at least one revision per approval")
    db = Database(url)
    try:
        db.upgrade(backup=False)
        rng = random.Random(seed)
        now = datetime.now(UTC).replace(microsecond=0)
        counts = _revision_counts(rng, approvals, revisions)
        if db.dialect == "sqlite":
            assert db.path is not None
            db.dispose()  # leaving WAL mode needs the only connection to the file
            gen = _Generator(rng=rng, now=now, approvals=approvals, ts=_sqlite_stamp)
            with closing(sqlite3.connect(db.path)) as conn, conn:
                # A throwaway build: per-statement durability would only slow it down.
                conn.execute("PRAGMA synchronous=OFF")
                conn.execute("PRAGMA journal_mode=OFF")
                for batch in _batches(gen, counts):
                    _write_sqlite(conn, batch)
            with closing(sqlite3.connect(db.path)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")  # what the app expects of its file
        else:
            gen = _Generator(rng=rng, now=now, approvals=approvals, ts=_aware)
            with db.engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None
                with raw.cursor() as cursor:
                    for batch in _batches(gen, counts):
                        _write_postgresql(cursor, batch)
                    for table in ORDER:
                        quoted = f'"{table}"' if table == "user" else table
                        cursor.execute(
                            f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), (SELECT max(id) FROM {quoted}))"  # constants
                        )
                    raw.commit()
                    # Autovacuum would gather statistics soon after such a load; do it now.
                    cursor.execute("ANALYZE")
                    raw.commit()
    finally:
        db.dispose()


def _main() -> None:
    import sys
    import time

    url = sys.argv[1]
    approvals = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    revisions = int(sys.argv[3]) if len(sys.argv) > 3 else approvals * 5
    start = time.perf_counter()
    build_history_db(url, approvals=approvals, revisions=revisions)
    print(f"built in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    _main()
