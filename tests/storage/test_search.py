"""Search finds similar messages on both backends, ranks the best first, and obeys no query syntax."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.chain import append_revision
from storage.database import Database
from storage.models import ApprovedReply, Customer, Draft, Interaction
from storage.search import MAX_TERMS, SearchKind, query_terms, search

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)

MESSAGES = [
    # (customer index, subject, body)
    (0, "Pedido roto", "Hola, mi pedido llegó roto y la caja estaba abierta. ¿Me pueden enviar otro?"),
    (0, "Factura", "Necesito la factura de la suscripción anual, por favor."),
    (1, "Refund request", "My order arrived damaged and I would like a refund for the broken lamp."),
    (1, "", "Love the new colours! When is the next drop?"),
    (2, "Shipping delay", "Where is my order? The tracking has not moved for a week."),
    (2, "Canción del anuncio", "¿Cómo se llama la canción del anuncio de televisión?"),
    (1, "Password", "I cannot log in and the reset email never arrives."),
]

REPLIES = [
    # (customer index, incoming, approved reply)
    (0, "El pedido llegó roto", "Siento mucho que el pedido llegara roto. Te enviamos uno nuevo hoy mismo."),
    (1, "The order arrived damaged", "So sorry the lamp arrived broken: a replacement ships today."),
    (2, "When will my order ship?", "Your order left our warehouse this morning."),
]


@dataclass
class Seeded:
    db: Database
    customers: list[int]
    interactions: list[int]
    replies: list[int]


@pytest.fixture
def seeded(db: Database) -> Seeded:
    return _seed(db)


def _seed(db: Database) -> Seeded:
    with db.write() as s:
        customers = [Customer(customer_id=f"c-{n}", name=f"Customer {n}") for n in range(3)]
        s.add_all(customers)
        s.flush()
        cids = [int(c.id or 0) for c in customers]
        interactions = [
            Interaction(
                source_id=f"i-{n}",
                customer_id=cids[who],
                channel="email",
                direction="in",
                occurred_at=T0 + timedelta(hours=n),
                subject=subject,
                body=body,
            )
            for n, (who, subject, body) in enumerate(MESSAGES)
        ]
        s.add_all(interactions)
        s.flush()
        replies: list[int] = []
        for who, incoming, body in REPLIES:
            draft = Draft(customer_id=cids[who], channel="email")
            s.add(draft)
            s.flush()
            assert draft.id is not None
            rev = append_revision(
                s, draft_id=draft.id, author_kind="human", kind="human_edit", author="marta", subject="", body=body
            )
            reply = ApprovedReply(
                draft_id=draft.id,
                revision_id=int(rev.id or 0),
                customer_id=cids[who],
                channel="email",
                incoming=incoming,
                body=body,
            )
            s.add(reply)
            s.flush()
            replies.append(int(reply.id or 0))
        return Seeded(db, cids, [int(i.id or 0) for i in interactions], replies)


def _ids(seeded: Seeded, query: str, *, kind: SearchKind = "interaction", customer_id: int | None = None) -> list[int]:
    with seeded.db.session() as s:
        return [hit.id for hit in search(s, query=query, kind=kind, customer_id=customer_id)]


def test_english_best_match_first(seeded: Seeded) -> None:
    ids = _ids(seeded, "my order arrived broken, I want a refund")
    assert ids[0] == seeded.interactions[2]
    # OR semantics: a message sharing only "order" is still similar, just ranked lower.
    assert seeded.interactions[4] in ids
    assert seeded.interactions[5] not in ids


def test_spanish_best_match_first(seeded: Seeded) -> None:
    ids = _ids(seeded, "El pedido me llegó roto")
    assert ids[0] == seeded.interactions[0]


def test_subject_words_are_searched_too(seeded: Seeded) -> None:
    assert _ids(seeded, "shipping") == [seeded.interactions[4]]


def test_case_is_ignored(seeded: Seeded) -> None:
    assert _ids(seeded, "FACTURA") == [seeded.interactions[1]]


def test_accents_follow_the_backend(seeded: Seeded) -> None:
    """An exact accent matches everywhere; an accent left out matches only on SQLite (see storage/search.py)."""
    assert _ids(seeded, "canción") == [seeded.interactions[5]]
    without_accent = _ids(seeded, "cancion")
    if seeded.db.dialect == "sqlite":
        assert without_accent == [seeded.interactions[5]]
    else:
        assert without_accent == []


def test_customer_filter(seeded: Seeded) -> None:
    everyone = _ids(seeded, "order")
    assert set(everyone) == {seeded.interactions[2], seeded.interactions[4]}
    assert _ids(seeded, "order", customer_id=seeded.customers[2]) == [seeded.interactions[4]]
    assert _ids(seeded, "order", customer_id=seeded.customers[0]) == []


def test_hit_fields_and_plain_snippet(seeded: Seeded) -> None:
    with seeded.db.session() as s:
        hits = search(s, query="lamp refund", customer_id=seeded.customers[1])
    assert [h.id for h in hits] == [seeded.interactions[2]]
    hit = hits[0]
    assert hit.customer_id == seeded.customers[1]
    assert hit.score > 0
    assert "refund" in hit.snippet
    assert "<" not in hit.snippet
    assert "[" not in hit.snippet


def test_scores_descend_and_limit_applies(seeded: Seeded) -> None:
    with seeded.db.session() as s:
        hits = search(s, query="order the my a and I", limit=3)
        assert search(s, query="order", limit=0) == []
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_approved_replies_are_searched_by_incoming_and_reply(seeded: Seeded) -> None:
    assert _ids(seeded, "pedido roto", kind="reply")[0] == seeded.replies[0]
    assert _ids(seeded, "replacement lamp", kind="reply") == [seeded.replies[1]]
    assert _ids(seeded, "warehouse", kind="reply", customer_id=seeded.customers[0]) == []
    # The interaction search does not see reply text.
    assert _ids(seeded, "warehouse") == []


@pytest.mark.parametrize("query", ["", "   ", "?!¿¡...", '"""', "---***", "()[]{}<>", "'; --", "_", "\x00\n\t"])
def test_query_without_words_finds_nothing(seeded: Seeded, query: str) -> None:
    assert _ids(seeded, query) == []


@pytest.mark.parametrize(
    "query",
    [
        'order" OR "x',
        "order AND",
        "AND OR NOT",
        "NEAR(order refund, 2)",
        "order*",
        "-order",
        "^order",
        "subject:order",
        "body : refund",
        "order & !refund | <-> lamp",
        "o'brien's order",
        "back\\slash order",
        "{subject body}: order",
        "order:* & refund:A",
        "%order%_",
    ],
)
def test_query_syntax_is_searched_as_words(seeded: Seeded, query: str) -> None:
    """Operators in a customer's text are never obeyed: the words are searched, with OR, as for any text."""
    ids = _ids(seeded, query)
    assert seeded.interactions[2] in ids or seeded.interactions[4] in ids


def test_operator_words_are_plain_words(seeded: Seeded) -> None:
    assert _ids(seeded, "AND") == _ids(seeded, "and")
    assert seeded.interactions[6] in _ids(seeded, "AND")  # "I cannot log in and the reset…"


def test_query_terms_are_distinct_and_bounded() -> None:
    assert query_terms("Order ORDER order, ¿pedido?") == ["order", "pedido"]
    assert len(query_terms(" ".join(f"w{n}" for n in range(500)))) == MAX_TERMS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_any_text_is_a_safe_query(seeded: Seeded, query: str) -> None:
    """Whatever a customer wrote, searching for it returns hits (or none) and never a database error."""
    with seeded.db.session() as s:
        hits = search(s, query=query, limit=5)
    assert len(hits) <= 5
    assert all(h.id in seeded.interactions for h in hits)


@pytest.mark.postgres
def test_postgresql_search_uses_the_gin_index(pg_url: str) -> None:
    """The query repeats the migration's index expression exactly, so the planner can use the index."""
    db = Database(pg_url)
    db.upgrade(backup=False)
    seeded = _seed(db)
    sent: list[tuple[str, object]] = []

    def capture(_conn: object, _cursor: object, statement: str, parameters: object, *_rest: object) -> None:
        sent.append((statement, parameters))

    sa.event.listen(seeded.db.engine, "before_cursor_execute", capture)
    try:
        with seeded.db.session() as s:
            assert search(s, query="order refund")
    finally:
        sa.event.remove(seeded.db.engine, "before_cursor_execute", capture)
    statement, parameters = next((st, p) for st, p in sent if "ts_rank" in st)
    with seeded.db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(str(row[0]) for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))  # type: ignore[arg-type]
    db.dispose()
    assert "ix_interaction_search" in plan, plan
