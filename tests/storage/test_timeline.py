"""The hot-path read queries: a customer's timeline, a draft's history, the inbox and one item."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from storage.chain import append_revision
from storage.database import Database
from storage.hashing import content_hash
from storage.models import Customer, CustomerHandle, Draft, Interaction, User, WorkItem
from storage.timeline import (
    SNIPPET_CHARS,
    ItemRow,
    customer_context,
    item_detail,
    items_page,
    revisions_page,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _customer(s: Session, external_id: str, name: str, **fields: Any) -> int:
    c = Customer(customer_id=external_id, name=name, **fields)
    s.add(c)
    s.flush()
    assert c.id is not None
    return c.id


def _interaction(
    s: Session, customer_id: int, source_id: str, *, channel: str, direction: str, at: datetime, body: str = ""
) -> int:
    i = Interaction(
        source_id=source_id,
        customer_id=customer_id,
        channel=channel,
        direction=direction,
        occurred_at=at,
        body=body or f"body of {source_id}",
    )
    s.add(i)
    s.flush()
    assert i.id is not None
    return i.id


def _item(
    s: Session,
    customer_id: int,
    interaction_id: int,
    *,
    at: datetime,
    channel: str = "email",
    status: str = "new",
    escalated: bool = False,
    assignee_id: int | None = None,
) -> int:
    w = WorkItem(
        customer_id=customer_id,
        interaction_id=interaction_id,
        channel=channel,
        status=status,
        escalated=escalated,
        frustration=0.9 if escalated else 0.1,
        language="es",
        received_at=at,
        assignee_id=assignee_id,
    )
    s.add(w)
    s.flush()
    assert w.id is not None
    return w.id


def _is_utc(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() == timedelta(0)


@contextmanager
def _statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement the engine sends while the block runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


# -- customer context --------------------------------------------------------------


@dataclass
class Timeline:
    ana: int
    bruno: int
    empty: int
    ana_rows: list[tuple[int, datetime, str, str]]  # (id, occurred_at, channel, direction)


def _seed_timeline(db: Database) -> Timeline:
    channels = ["email", "comment", "dm"]
    rows: list[tuple[int, datetime, str, str]] = []
    with db.write() as s:
        ana = _customer(s, "c-ana", "Ana Ruiz", email="ana@example.com", language="es", plan="pro", tags="vip")
        bruno = _customer(s, "c-bruno", "Bruno Díaz")
        empty = _customer(s, "c-empty", "Nadie")
        s.add(CustomerHandle(customer_id=ana, network="instagram", handle="@ana"))
        s.add(CustomerHandle(customer_id=ana, network="email", handle="ana@example.com"))
        for n in range(30):
            channel = channels[n % 3]
            direction = "out" if n % 4 == 3 else "in"
            # Two pairs share an instant, so the id has to break the tie.
            at = T0 + timedelta(hours=n - (n in (11, 21)))
            rows.append(
                (_interaction(s, ana, f"a-{n}", channel=channel, direction=direction, at=at), at, channel, direction)
            )
        # Bruno's messages are newer than all of Ana's: they must not leak into her timeline.
        for n in range(5):
            i = _interaction(s, bruno, f"b-{n}", channel="email", direction="in", at=T0 + timedelta(days=30, hours=n))
            _item(s, bruno, i, at=T0 + timedelta(days=30, hours=n))
        for n, status in zip((0, 1, 2, 4), ("new", "drafting", "sent", "closed"), strict=True):
            _item(s, ana, rows[n][0], at=rows[n][1], status=status)
    return Timeline(ana=ana, bruno=bruno, empty=empty, ana_rows=rows)


def test_customer_context_newest_first_with_counts(db: Database) -> None:
    t = _seed_timeline(db)
    with db.session() as s:
        ctx = customer_context(s, customer_id=t.ana, limit=10)

    newest = sorted(t.ana_rows, key=lambda r: (r[1], r[0]), reverse=True)
    assert [i.id for i in ctx.interactions] == [r[0] for r in newest[:10]]
    assert [i.occurred_at for i in ctx.interactions] == [r[1] for r in newest[:10]]
    assert all(_is_utc(i.occurred_at) for i in ctx.interactions)
    assert ctx.interactions[0].source_id == "a-29"
    assert ctx.interactions[0].body == "body of a-29"

    assert ctx.counts.total == 30
    assert ctx.counts.by_channel == {"comment": 10, "dm": 10, "email": 10}
    assert ctx.counts.outgoing == sum(1 for r in t.ana_rows if r[3] == "out") == 7
    assert ctx.counts.incoming == 23
    assert ctx.open_items == 2  # new and drafting; sent and closed are done, Bruno's are his
    assert ctx.last_incoming_at == max(r[1] for r in t.ana_rows if r[3] == "in")
    assert ctx.last_outgoing_at == max(r[1] for r in t.ana_rows if r[3] == "out")
    assert ctx.last_incoming_at is not None
    assert _is_utc(ctx.last_incoming_at)

    c = ctx.customer
    assert (c.id, c.customer_id, c.name, c.email, c.language, c.plan, c.tags) == (
        t.ana,
        "c-ana",
        "Ana Ruiz",
        "ana@example.com",
        "es",
        "pro",
        "vip",
    )
    assert c.handles == (("email", "ana@example.com"), ("instagram", "@ana"))


def test_customer_context_limit_larger_than_history_and_empty_customer(db: Database) -> None:
    t = _seed_timeline(db)
    with db.session() as s:
        everything = customer_context(s, customer_id=t.ana, limit=500)
        nothing = customer_context(s, customer_id=t.empty)
        none_asked = customer_context(s, customer_id=t.ana, limit=0)
    assert sorted(i.id for i in everything.interactions) == sorted(r[0] for r in t.ana_rows)
    assert nothing.interactions == ()
    assert (nothing.counts.total, nothing.counts.incoming, nothing.counts.outgoing) == (0, 0, 0)
    assert nothing.counts.by_channel == {}
    assert (nothing.open_items, nothing.last_incoming_at, nothing.last_outgoing_at) == (0, None, None)
    assert nothing.customer.handles == ()
    assert none_asked.interactions == ()
    assert none_asked.counts.total == 30


def test_customer_context_refuses_unknown_customer_and_negative_limit(db: Database) -> None:
    t = _seed_timeline(db)
    with db.session() as s:
        with pytest.raises(LookupError, match="customer 999999"):
            customer_context(s, customer_id=999_999)
        with pytest.raises(ValueError, match="limit"):
            customer_context(s, customer_id=t.ana, limit=-1)


def test_customer_context_few_round_trips_on_the_customer_time_index(db: Database) -> None:
    t = _seed_timeline(db)
    with _statements(db) as seen, db.session() as s:
        customer_context(s, customer_id=t.ana)
    queries = [(sql, params) for sql, params in seen if sql.lstrip().upper().startswith("SELECT")]
    assert len(queries) <= 4
    [(timeline_sql, params)] = [q for q in queries if "ORDER BY interaction.occurred_at DESC" in q[0]]
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + timeline_sql, params))
            # Walking the index backwards gives the order: no sort step.
            assert "TEMP B-TREE" not in plan
        else:
            # The tables are tiny here, so only forbid the sequential scan the planner would prefer.
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " | ".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + timeline_sql, params))
    assert "ix_interaction_customer_time" in plan


# -- revisions ---------------------------------------------------------------------


def _drafts_with_revisions(db: Database, counts: tuple[int, ...]) -> list[int]:
    ids = []
    with db.write() as s:
        c = _customer(s, "c-1", "Ana Ruiz")
        for n in counts:
            d = Draft(customer_id=c, channel="email")
            s.add(d)
            s.flush()
            assert d.id is not None
            ids.append(d.id)
            for seq in range(1, n + 1):
                append_revision(
                    s,
                    draft_id=d.id,
                    author_kind="human",
                    kind="human_edit",
                    author="marta",
                    subject="Re: pedido",
                    body=f"version {seq} of draft {d.id}",
                )
    return ids


def test_revisions_page_newest_first_without_gaps_or_duplicates(db: Database) -> None:
    long, short = _drafts_with_revisions(db, (75, 3))
    pages: list[list[int]] = []
    before: int | None = None
    with db.session() as s:
        for _ in range(10):  # bounded: a cursor that does not advance fails instead of hanging
            page = revisions_page(s, draft_id=long, before_seq=before, limit=20)
            if not page:
                break
            pages.append([r.seq for r in page])
            assert all(r.draft_id == long for r in page)
            assert all(_is_utc(r.created_at) for r in page)
            before = page[-1].seq
        newest = revisions_page(s, draft_id=long, limit=2)
        other = revisions_page(s, draft_id=short)
    assert [len(p) for p in pages] == [20, 20, 20, 15]
    assert [seq for p in pages for seq in p] == list(range(75, 0, -1))
    assert [r.seq for r in other] == [3, 2, 1]
    # Newest first, each row links to the one after it in the list.
    assert newest[0].prev_hash == newest[1].hash
    assert newest[0].body == f"version 75 of draft {long}"
    assert newest[0].content_hash == content_hash("Re: pedido", newest[0].body)


def test_revisions_page_edges(db: Database) -> None:
    [draft] = _drafts_with_revisions(db, (3,))
    with db.session() as s:
        assert revisions_page(s, draft_id=draft, before_seq=1) == []
        assert [r.seq for r in revisions_page(s, draft_id=draft, before_seq=3)] == [2, 1]
        assert revisions_page(s, draft_id=draft, limit=0) == []
        assert revisions_page(s, draft_id=draft + 1000) == []
        with pytest.raises(ValueError, match="limit"):
            revisions_page(s, draft_id=draft, limit=-5)


# -- inbox -------------------------------------------------------------------------


@dataclass
class Inbox:
    marta: int
    pablo: int
    expected: list[tuple[bool, datetime, int]]  # every item's sort key, in inbox order


LONG_BODY = "Hola,\n\n  el pedido   llegó roto " + "y nadie contesta " * 20


def _seed_inbox(db: Database) -> Inbox:
    keys = []
    with db.write() as s:
        marta = User(name="marta")
        pablo = User(name="pablo")
        s.add_all([marta, pablo])
        s.flush()
        assert marta.id is not None
        assert pablo.id is not None
        ana = _customer(s, "c-ana", "Ana Ruiz")
        bruno = _customer(s, "c-bruno", "Bruno Perez")
        carla = _customer(s, "c-carla", "Carla 100% Gomez")
        customers = [ana, bruno, carla]
        for n in range(25):
            customer = customers[n % 3]
            channel = "comment" if n % 2 else "email"
            # Groups of three share an instant, so pages must split ties by id.
            at = T0 + timedelta(minutes=10 * (n // 3))
            bodies = {0: LONG_BODY, 1: "Quiero un REEMBOLSO ya", 3: "100% de acuerdo", 6: "pedido 1000 perdido"}
            body = bodies.get(n, f"mensaje {n}")
            i = _interaction(s, customer, f"i-{n}", channel=channel, direction="in", at=at, body=body)
            escalated = n % 5 == 0
            item = _item(
                s,
                customer,
                i,
                at=at,
                channel=channel,
                status="new" if n % 3 else "drafting",
                escalated=escalated,
                assignee_id=marta.id if n % 4 == 0 else (pablo.id if n % 4 == 1 else None),
            )
            keys.append((escalated, at, item))
    return Inbox(marta=marta.id, pablo=pablo.id, expected=sorted(keys, reverse=True))


def _all_pages(s: Session, size: int, **filters: Any) -> list[ItemRow]:
    rows: list[ItemRow] = []
    after = None
    # Bounded, so a cursor that fails to advance fails the test instead of hanging it.
    for _ in range(100):
        page = items_page(s, after=after, limit=size, **filters)
        assert len(page) <= size
        if not page:
            return rows
        rows.extend(page)
        after = page[-1].cursor
    pytest.fail("the pages never ran out: the cursor does not advance")


def test_items_page_escalated_first_then_newest(db: Database) -> None:
    inbox = _seed_inbox(db)
    with db.session() as s:
        rows = items_page(s, limit=1000)
    assert [r.cursor for r in rows] == inbox.expected
    assert rows[0].escalated
    assert not rows[-1].escalated
    assert all(_is_utc(r.received_at) for r in rows)


def test_items_page_keyset_pages_have_no_gaps_or_duplicates(db: Database) -> None:
    inbox = _seed_inbox(db)
    with db.session() as s:
        paged = _all_pages(s, 4)
        paged_new = _all_pages(s, 3, status="new")
        every_new = items_page(s, status="new", limit=1000)
    assert [r.id for r in paged] == [key[2] for key in inbox.expected]
    assert len({r.id for r in paged}) == 25
    assert [r.id for r in paged_new] == [r.id for r in every_new]
    assert len(every_new) == 16


def test_items_page_oldest_first_keeps_escalated_on_top_and_pages_cleanly(db: Database) -> None:
    inbox = _seed_inbox(db)
    expected = sorted(inbox.expected, key=lambda key: (not key[0], key[1], key[2]))
    with db.session() as s:
        whole = items_page(s, limit=1000, oldest_first=True)
        paged = _all_pages(s, 4, oldest_first=True)
    assert [r.cursor for r in whole] == expected
    assert [r.id for r in paged] == [r.id for r in whole]
    assert whole[0].escalated and not whole[-1].escalated


def test_items_page_filters(db: Database) -> None:
    inbox = _seed_inbox(db)
    with db.session() as s:
        escalated = items_page(s, escalated=True)
        calm = items_page(s, escalated=False)
        comments = items_page(s, channel="comment")
        drafting = items_page(s, status="drafting")
        martas = items_page(s, assignee_id=inbox.marta)
        by_name = items_page(s, search="bRUNO")
        by_body = items_page(s, search="reembolso")
        literal_percent = items_page(s, search="100%")
        combined = items_page(s, channel="email", escalated=True, assignee_id=inbox.marta)
        nothing = items_page(s, search="no-such-text")
    assert len(escalated) == 5
    assert all(r.escalated for r in escalated)
    assert len(calm) == 20
    assert not any(r.escalated for r in calm)
    assert {r.channel for r in comments} == {"comment"}
    assert len(comments) == 12
    assert {r.status for r in drafting} == {"drafting"}
    assert len(drafting) == 9
    assert {r.assignee for r in martas} == {"marta"}
    assert len(martas) == 7
    assert {r.customer_name for r in by_name} == {"Bruno Perez"}
    assert len(by_name) == 8
    assert [r.snippet for r in by_body] == ["Quiero un REEMBOLSO ya"]
    # "%" is matched as itself: Carla's name and the one body that says "100%", not "pedido 1000".
    assert {r.customer_name for r in literal_percent} == {"Carla 100% Gomez", "Ana Ruiz"}
    assert len(literal_percent) == 9
    assert {(r.channel, r.escalated, r.assignee) for r in combined} == {("email", True, "marta")}
    assert nothing == []


def test_items_page_row_contents(db: Database) -> None:
    _seed_inbox(db)
    with db.session() as s:
        rows = {r.snippet[:5]: r for r in items_page(s, limit=1000)}
    long = rows["Hola,"]
    assert long.snippet.startswith("Hola, el pedido llegó roto y nadie contesta")
    assert long.snippet.endswith("…")
    assert "\n" not in long.snippet
    assert len(long.snippet) <= SNIPPET_CHARS + 1
    assert (long.customer_id, long.customer_name, long.language) == ("c-ana", "Ana Ruiz", "es")
    assert (long.escalated, long.frustration, long.assignee, long.status) == (True, 0.9, "marta", "drafting")
    assert rows["Quier"].snippet == "Quiero un REEMBOLSO ya"
    assert rows["Quier"].assignee == "pablo"
    assert rows["pedid"].assignee is None
    with db.session() as s, pytest.raises(ValueError, match="limit"):
        items_page(s, limit=-1)


# -- one item ----------------------------------------------------------------------


def test_item_detail_without_a_draft(db: Database) -> None:
    _seed_inbox(db)
    with db.session() as s:
        first = items_page(s, limit=1)[0]
        detail = item_detail(s, item_id=first.id)
        missing = item_detail(s, item_id=999_999)
    assert missing is None
    assert detail is not None
    assert detail.item == first  # the same row the inbox shows
    assert detail.draft is None
    assert detail.customer.customer_id == first.customer_id
    assert detail.incoming.direction == "in"
    assert detail.incoming.occurred_at == first.received_at
    assert _is_utc(detail.updated_at)


def test_item_detail_newest_draft_and_its_latest_revision(db: Database) -> None:
    with db.write() as s:
        ana = _customer(s, "c-ana", "Ana Ruiz", language="es")
        s.add(CustomerHandle(customer_id=ana, network="instagram", handle="@ana"))
        i = _interaction(s, ana, "i-1", channel="email", direction="in", at=T0, body=LONG_BODY)
        item = _item(s, ana, i, at=T0, status="waiting_approval")
        drafts = []
        for status, n in (("changes_requested", 2), ("waiting_approval", 3)):
            d = Draft(work_item_id=item, customer_id=ana, channel="email", language="es", status=status)
            s.add(d)
            s.flush()
            assert d.id is not None
            drafts.append(d.id)
            for seq in range(1, n + 1):
                append_revision(
                    s,
                    draft_id=d.id,
                    author_kind="ai" if seq == 1 else "human",
                    kind="ai_draft" if seq == 1 else "human_edit",
                    author="" if seq == 1 else "marta",
                    subject="Re: pedido",
                    body=f"Hola Ana, versión {seq}",
                )
        # A draft for another item must not be picked up.
        other_i = _interaction(s, ana, "i-2", channel="email", direction="in", at=T0 + timedelta(hours=1))
        other_item = _item(s, ana, other_i, at=T0 + timedelta(hours=1))
        s.add(Draft(work_item_id=other_item, customer_id=ana, channel="email", status="drafting"))
    with db.session() as s:
        detail = item_detail(s, item_id=item)
        empty_draft = item_detail(s, item_id=other_item)
    assert detail is not None
    assert detail.item.status == "waiting_approval"
    assert detail.incoming.body == LONG_BODY
    assert detail.customer.handles == (("instagram", "@ana"),)
    assert detail.draft is not None
    assert (detail.draft.id, detail.draft.status, detail.draft.language) == (drafts[1], "waiting_approval", "es")
    rev = detail.draft.revision
    assert rev is not None
    assert (rev.draft_id, rev.seq, rev.kind, rev.author, rev.subject, rev.body) == (
        drafts[1],
        3,
        "human_edit",
        "marta",
        "Re: pedido",
        "Hola Ana, versión 3",
    )
    assert rev.content_hash == content_hash("Re: pedido", "Hola Ana, versión 3")
    assert _is_utc(rev.created_at)
    assert empty_draft is not None
    assert empty_draft.draft is not None
    assert empty_draft.draft.status == "drafting"
    assert empty_draft.draft.revision is None
