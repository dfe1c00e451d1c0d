"""The approval history: filters, keyset paging, the export's fields and one draft's trail, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bench.history_data import build_history_db
from storage.database import Database
from storage.demo import seed_demo
from storage.history import (
    EXPORT_FIELDS,
    HistoryFilter,
    HistoryRow,
    export_rows,
    history_count,
    history_page,
    item_trail,
)
from storage.search import query_terms
from tests.history_fixtures import FINAL_TEXT, PROMISE, SNAPSHOT, seed_history

APPROVALS = 240


@pytest.fixture
def big(db_url: str) -> Database:
    """A generated history: 240 decided drafts, 5% rejected, with escalations, commitments and overrides."""
    build_history_db(db_url, approvals=APPROVALS, revisions=APPROVALS * 4, seed=3)
    return Database(db_url)


def _all(db: Database, flt: HistoryFilter, *, limit: int = 37) -> list[HistoryRow]:
    """Every row under `flt`, read in small keyset pages."""
    rows: list[HistoryRow] = []
    with db.session() as s:
        after = None
        while True:
            page = history_page(s, flt=flt, after=after, limit=limit)
            rows += page
            if len(page) < limit:
                return rows
            after = page[-1].cursor


def test_keyset_pages_cover_every_decided_draft_once(big: Database) -> None:
    rows = _all(big, HistoryFilter())
    assert len(rows) == len({r.draft_id for r in rows}) == APPROVALS
    with big.session() as s:
        assert history_count(s) == APPROVALS
        assert [r.review_id for r in history_page(s, limit=500)] == [r.review_id for r in rows]
    keys = [(r.decided_at, r.review_id) for r in rows]
    assert keys == sorted(keys, reverse=True)
    decisions = {r.decision for r in rows}
    assert decisions == {"approve", "reject"}
    # A "request changes" never makes a row of its own: each row is the draft's decision.
    assert all(r.decision in ("approve", "reject") for r in rows)
    big.dispose()


def _filters(rows: list[HistoryRow]) -> list[tuple[HistoryFilter, Callable[[HistoryRow], bool]]]:
    middle = sorted(r.decided_at for r in rows)[len(rows) // 2]
    customer = rows[7].customer_id
    return [
        (HistoryFilter(agent="agent03"), lambda r: r.author == "agent03"),
        (HistoryFilter(approver="lead2"), lambda r: r.approver == "lead2"),
        (HistoryFilter(channel="email"), lambda r: r.channel == "email"),
        (HistoryFilter(customer=customer), lambda r: r.customer_id == customer),
        (HistoryFilter(customer="sofía"), lambda r: "sofía" in r.customer_name.casefold()),
        (HistoryFilter(date_from=middle), lambda r: r.decided_at >= middle),
        (
            HistoryFilter(date_from=middle - timedelta(days=30), date_to=middle),
            lambda r: middle - timedelta(days=30) <= r.decided_at < middle,
        ),
        (HistoryFilter(escalated=True), lambda r: r.escalated),
        (HistoryFilter(escalated=False), lambda r: not r.escalated),
        (HistoryFilter(had_commitments=True), lambda r: r.had_commitments),
        (HistoryFilter(had_commitments=False), lambda r: not r.had_commitments),
        (
            HistoryFilter(escalated=True, had_commitments=True),
            lambda r: r.escalated and r.had_commitments,
        ),
        (
            HistoryFilter(edit_pct_min=10, edit_pct_max=30),
            lambda r: r.edit_pct is not None and 10 <= r.edit_pct <= 30,
        ),
        (HistoryFilter(finding_code="too_long"), lambda r: "too_long" in r.findings_overridden),
        (HistoryFilter(finding_code="too"), lambda r: "too" in r.findings_overridden),
    ]


def test_each_filter_keeps_exactly_the_matching_rows(big: Database) -> None:
    everything = _all(big, HistoryFilter(), limit=1000)
    assert any(r.escalated and r.had_commitments for r in everything)
    assert any(r.findings_overridden for r in everything)
    for flt, keep in _filters(everything):
        expected = [r.review_id for r in everything if keep(r)]
        got = [r.review_id for r in _all(big, flt)]
        assert got == expected, flt
        with big.session() as s:
            assert history_count(s, flt=flt) == len(expected), flt
    assert not [r for r in everything if r.findings_overridden == ("too",)]  # a code matches whole, never a part
    big.dispose()


def test_text_search_needs_every_word_of_the_final_text(big: Database) -> None:
    with big.session() as s:
        finals = {row["draft_id"]: row["final_text"] for row in export_rows(s)}
    for text in ("reembolso lunes", "REFUND monday", "tarjeta plazo", "nothing-like-this"):
        terms = set(query_terms(text))
        expected = {d for d, body in finals.items() if terms <= set(query_terms(body))}
        got = {r.draft_id for r in _all(big, HistoryFilter(text=text))}
        assert got == expected, text
    assert _all(big, HistoryFilter(text="reembolso lunes"))
    # Query syntax in the search box is searched for as words, never obeyed.
    assert _all(big, HistoryFilter(text='"reembolso" OR NEAR(lunes) *')) == _all(
        big, HistoryFilter(text="reembolso or near lunes")
    )
    big.dispose()


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("edit_pct", lambda r: (r.edit_pct if r.edit_pct is not None else -1.0, r.review_id), True),
        ("edit_pct_asc", lambda r: (r.edit_pct if r.edit_pct is not None else -1.0, r.review_id), False),
        ("customer", lambda r: (r.customer_name, r.review_id), False),
        ("approved_at_asc", lambda r: (r.decided_at, r.review_id), False),
    ],
)
def test_sorts_page_in_their_order(
    big: Database, sort: str, key: Callable[[HistoryRow], object], reverse: bool
) -> None:
    rows = _all(big, HistoryFilter(sort=sort, escalated=False), limit=23)  # type: ignore[arg-type]  # a SortKey
    assert len(rows) == len({r.review_id for r in rows})
    assert [key(r) for r in rows] == sorted((key(r) for r in rows), reverse=reverse)  # type: ignore[type-var]  # comparable tuples
    assert len(rows) == len(_all(big, HistoryFilter(escalated=False), limit=1000))
    big.dispose()


def test_bad_arguments_are_refused(db: Database) -> None:
    with db.session() as s:
        with pytest.raises(ValueError, match="limit"):
            history_page(s, limit=-1)
        with pytest.raises(ValueError, match="unknown sort"):
            history_page(s, flt=HistoryFilter(sort="nonsense"))  # type: ignore[arg-type]  # the bad input under test
        with pytest.raises(LookupError):
            item_trail(s, draft_id=999)
        assert history_page(s) == []
        assert list(export_rows(s)) == []


def test_real_approvals_rows_export_and_trail(db: Database) -> None:
    seed_demo(db)
    seeded = seed_history(db)
    with db.session() as s:
        rows = history_page(s, flt=HistoryFilter(escalated=True, had_commitments=True))
        assert [r.draft_id for r in rows] == [seeded.escalated_draft]
        row = rows[0]
        assert (row.author, row.approver, row.decision, row.channel) == ("marta", "lucia", "approve", "email")
        assert row.findings_overridden == ("commitment",) and row.delivery_state == "queued"
        assert row.decided_at == seeded.approved_at

        exported = list(export_rows(s))
        assert all(tuple(r) == EXPORT_FIELDS for r in exported)
        by_draft = {r["draft_id"]: r for r in exported}
        assert len(by_draft) == len(exported) == history_count(s)
        first = by_draft[seeded.escalated_draft]
        assert first["final_text"] == FINAL_TEXT
        assert first["ai_text"].startswith("Hola Nayra,\n\nGracias por escribirnos")
        assert first["commitments"] == [PROMISE]
        assert first["findings_overridden"] == ["commitment"]
        assert first["approved_at"] == seeded.approved_at.isoformat()
        assert first["delivery_state"] == "queued" and first["sent_at"] is None
        assert 0 < first["edit_pct"] <= 100
        assert by_draft[seeded.rejected_draft]["delivery_state"] == ""
        assert by_draft[seeded.plain_draft]["approver"] == "lucia"
        # The demo's past replies were sent: they carry their send time.
        assert any(r["delivery_state"] == "sent" and r["sent_at"] for r in exported)
        later = list(export_rows(s, since=seeded.approved_at))
        assert {r["draft_id"] for r in later} == {seeded.escalated_draft, seeded.plain_draft, seeded.rejected_draft}

        plain = history_page(s, flt=HistoryFilter(customer=by_draft[seeded.plain_draft]["customer_id"]))
        assert [r.decision for r in plain if r.draft_id == seeded.plain_draft] == ["approve"]

        trail = item_trail(s, draft_id=seeded.escalated_draft)
        assert (trail.ai_text, trail.final_text) == (first["ai_text"], FINAL_TEXT)
        assert [(r.seq, r.kind, r.author) for r in trail.revisions] == [(1, "ai_draft", ""), (2, "human_edit", "marta")]
        assert trail.snapshots and SNAPSHOT["note"] in trail.snapshots[0]
        assert [(o.code, o.by) for o in trail.overrides] == [("commitment", "lucia")]
        assert trail.commitments == (PROMISE,)
        [review] = trail.reviews
        assert review.decision == "approve" and review.since_first_revision == timedelta(minutes=30)
        assert review.since_received is not None and review.since_received > review.since_first_revision
        [delivery] = trail.deliveries
        assert delivery.message_id == seeded.message_id and delivery.state == "queued"

        sent_back = item_trail(s, draft_id=seeded.plain_draft)
        assert [r.decision for r in sent_back.reviews] == ["request_changes", "approve"]
