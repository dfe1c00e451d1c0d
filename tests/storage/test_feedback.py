"""Frontline feedback notes: tags kept clean, notes paged newest first, tags counted over time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import select

from storage.chain import verify
from storage.database import Database
from storage.feedback import (
    MAX_TAG_CHARS,
    MAX_TAGS,
    FeedbackError,
    NoteCursor,
    add_note,
    known_tags,
    normalise_tags,
    notes_page,
    period_start,
    tag_counts_over_time,
)
from storage.models import AuditEvent, Customer, FeedbackNote, Interaction, User, WorkItem

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def team(db: Database) -> Database:
    with db.write() as s:
        s.add_all([User(name="marta", role="agent"), User(name="lucia", role="lead")])
        customer = Customer(customer_id="C-1", name="Nayra Santana")
        s.add(customer)
        s.flush()
        message = Interaction(
            source_id="m-1",
            customer_id=customer.id or 0,
            channel="comment",
            direction="in",
            occurred_at=NOW - timedelta(days=1),
            body="¿Envíos a Canarias?",
        )
        s.add(message)
        s.flush()
        s.add(
            WorkItem(
                customer_id=customer.id or 0,
                interaction_id=message.id or 0,
                channel="comment",
                received_at=message.occurred_at,
            )
        )
    return db


def _item_and_customer(db: Database) -> tuple[int, int]:
    with db.session() as s:
        item = s.exec(select(WorkItem)).one()
        return int(item.id or 0), item.customer_id


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(sa.select(sa.func.count()).select_from(FeedbackNote)).scalar_one())


def test_tags_are_lower_cased_trimmed_and_kept_once() -> None:
    assert normalise_tags(["  Shipping ", "#Canarias", "shipping", "Repeat  Issue", ""]) == (
        "shipping",
        "canarias",
        "repeat issue",
    )
    assert normalise_tags("Pricing, pricing ,THEME") == ("pricing", "theme")


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ([], "at least one tag"),
        (" , ,", "at least one tag"),
        (["x" * (MAX_TAG_CHARS + 1)], "longer than"),
        ([f"t{i}" for i in range(MAX_TAGS + 1)], f"at most {MAX_TAGS} tags"),
    ],
)
def test_bad_tags_are_refused_with_one_line(tags: list[str] | str, message: str) -> None:
    with pytest.raises(FeedbackError, match=message) as caught:
        normalise_tags(tags)
    assert "\n" not in str(caught.value)


def test_a_note_on_an_item_is_about_its_customer_and_is_audited(team: Database) -> None:
    item_id, customer_id = _item_and_customer(team)
    note = add_note(
        team,
        author="marta",
        body="  Shipping delays in Canarias again  ",
        tags="Shipping, canarias",
        work_item_id=item_id,
        now=NOW,
    )
    assert (note.body, note.tags, note.customer_id, note.customer_name) == (
        "Shipping delays in Canarias again",
        ("shipping", "canarias"),
        customer_id,
        "Nayra Santana",
    )
    with team.session() as s:
        row = s.get(FeedbackNote, note.id)
        assert row is not None and row.tags == "shipping,canarias" and row.work_item_id == item_id
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "feedback.added")).one()
        assert (event.actor, event.entity, event.entity_id) == ("marta", "feedbacknote", str(note.id))
        assert json.loads(event.details)["tags"] == ["shipping", "canarias"]
        assert verify(s).ok


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"author": "marta", "body": "   ", "tags": "x"}, "the note is empty"),
        ({"author": "marta", "body": "x" * 5000, "tags": "x"}, "the most is"),
        ({"author": "mallory", "body": "hello", "tags": "x"}, "unknown user 'mallory'"),
        ({"author": "marta", "body": "hello", "tags": ""}, "at least one tag"),
        ({"author": "marta", "body": "hello", "tags": "x", "work_item_id": 999}, "no work item 999"),
        ({"author": "marta", "body": "hello", "tags": "x", "customer_id": 999}, "no customer 999"),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_written(team: Database, options: dict[str, object], message: str) -> None:
    with pytest.raises(FeedbackError, match=message) as caught:
        add_note(team, **options)  # type: ignore[arg-type]  # add_note's keyword options
    assert "\n" not in str(caught.value)
    assert _count(team) == 0
    with team.session() as s:
        assert s.exec(select(AuditEvent)).first() is None


def test_notes_page_newest_first_without_gaps_or_repeats(team: Database) -> None:
    # Two notes share a timestamp: the id breaks the tie, so paging neither skips nor repeats one.
    times = [NOW - timedelta(hours=h) for h in (5, 4, 4, 3, 2, 1, 0)]
    for i, moment in enumerate(times):
        add_note(
            team,
            author="marta" if i % 2 else "lucia",
            body=f"note {i}",
            tags=["shipping" if i < 4 else "pricing"],
            now=moment,
        )
    seen: list[str] = []
    cursor: NoteCursor | None = None
    with team.session() as s:
        while True:
            page = notes_page(s, limit=3, after=cursor)
            seen += [n.body for n in page]
            if len(page) < 3:
                break
            cursor = page[-1].cursor
    assert seen == ["note 6", "note 5", "note 4", "note 3", "note 2", "note 1", "note 0"]
    with team.session() as s:
        assert [n.body for n in notes_page(s, tag="Shipping")] == ["note 3", "note 2", "note 1", "note 0"]
        assert [n.body for n in notes_page(s, author="marta")] == ["note 5", "note 3", "note 1"]
        assert [n.body for n in notes_page(s, since=NOW - timedelta(hours=2))] == ["note 6", "note 5", "note 4"]
        assert [n.body for n in notes_page(s, tag="pricing", author="lucia", limit=1)] == ["note 6"]


def test_a_tag_filter_matches_whole_tags_only(team: Database) -> None:
    add_note(team, author="marta", body="a", tags=["repeat_issue"], now=NOW)
    add_note(team, author="marta", body="b", tags=["repeatxissue", "ship"], now=NOW)
    add_note(team, author="marta", body="c", tags=["shipping"], now=NOW)
    with team.session() as s:
        assert [n.body for n in notes_page(s, tag="repeat_issue")] == ["a"]
        assert [n.body for n in notes_page(s, tag="ship")] == ["b"]
        assert [n.body for n in notes_page(s, tag="hipp")] == []
        assert known_tags(s) == ["repeat_issue", "repeatxissue", "ship", "shipping"]


def test_tags_are_counted_per_week(team: Database) -> None:
    this_week = period_start(NOW, "week")
    assert this_week == datetime(2026, 11, 23, tzinfo=UTC)
    add_note(team, author="marta", body="a", tags=["pricing", "theme"], now=NOW)
    add_note(team, author="marta", body="b", tags=["pricing"], now=this_week)  # Monday 00:00 is this week
    add_note(team, author="lucia", body="c", tags=["shipping"], now=this_week - timedelta(seconds=1))
    add_note(team, author="lucia", body="d", tags=["shipping"], now=NOW - timedelta(days=15))
    add_note(team, author="lucia", body="e", tags=["old"], now=NOW - timedelta(days=60))
    with team.session() as s:
        series = tag_counts_over_time(s, since=NOW - timedelta(days=21), until=NOW)
        assert series.periods == tuple(this_week - timedelta(days=7 * k) for k in (3, 2, 1, 0))
        assert series.counts == {"pricing": (0, 0, 0, 2), "shipping": (0, 1, 1, 0), "theme": (0, 0, 0, 1)}
        assert series.total("pricing") == 2 and series.total("old") == 0
        daily = tag_counts_over_time(s, since=NOW - timedelta(days=3), until=NOW, bucket="day", tags=["Shipping"])
        assert len(daily.periods) == 4 and daily.counts == {"shipping": (1, 0, 0, 0)}
    with pytest.raises(ValueError, match="bucket must be one of"):
        period_start(NOW, "year")  # type: ignore[arg-type]  # a wrong bucket on purpose


def test_periods_follow_the_teams_calendar(team: Database) -> None:
    """An hour ahead of UTC, a note at 23:30 UTC on Sunday is Monday's: it opens the new week there."""
    ahead = timezone(timedelta(hours=1))
    sunday_night = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert period_start(sunday_night, "week") == datetime(2026, 11, 16, tzinfo=UTC)
    assert period_start(sunday_night, "week", ahead) == datetime(2026, 11, 23, tzinfo=ahead)
    add_note(team, author="marta", body="late", tags=["shipping"], now=sunday_night)
    with team.session() as s:
        utc = tag_counts_over_time(s, since=NOW - timedelta(days=7), until=NOW)
        local = tag_counts_over_time(s, since=NOW - timedelta(days=7), until=NOW, tz=ahead)
    assert [p.date().isoformat() for p in local.periods] == ["2026-11-16", "2026-11-23"]
    assert utc.counts == {"shipping": (1, 0)} and local.counts == {"shipping": (0, 1)}
