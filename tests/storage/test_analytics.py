"""The lead's aggregates on hand-built history whose figures are worked out by hand, on both backends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from storage import analytics
from storage.analytics import Acceptance, Bucket, DayCount, FindingCount, InsightFilter, OverrideCount
from storage.chain import append_review, append_revision
from storage.database import Database
from storage.models import (
    AuthorKind,
    Customer,
    Decision,
    Draft,
    EditMetric,
    Interaction,
    OutboxMessage,
    OutboxState,
    RevisionKind,
    User,
    WorkItem,
)

MARCH = InsightFilter(date(2026, 3, 1), date(2026, 3, 7))
SAME_TEXT = "Hello there, thanks for writing to us."


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@dataclass
class Approved:
    """One approved draft: who wrote it, when it started and was approved, and its edit metric (None: unmeasured)."""

    author: str
    channel: str
    first_at: datetime
    approved_at: datetime
    reviewer: str = "lead"
    edit_pct: float | None = 0.0
    words: tuple[int, int] = (10, 10)
    empathy: str = ""
    resolved: str = ""
    overridden: str = ""
    item: str | None = None


APPROVED = [
    # 1: ana, 10 minutes, barely edited
    Approved(
        "ana", "email", at(2, 9), at(2, 9, 10), edit_pct=5.0, words=(100, 100), resolved="robotic_phrase", item="E1"
    ),
    # 2: ana, 30 minutes, a quarter rewritten, empathy added, a finding approved over
    Approved(
        "ana",
        "comment",
        at(2, 10),
        at(2, 10, 30),
        edit_pct=25.0,
        words=(20, 40),
        empathy="acknowledgement,name",
        overridden="too_long",
    ),
    # 3: ben, started late on the 2nd, approved by ana early on the 3rd (2 hours); untouched
    Approved(
        "ben",
        "email",
        at(2, 23),
        at(3, 1),
        reviewer="ana",
        edit_pct=0.0,
        words=(50, 50),
        overridden="commitment,too_long",
        item="E2",
    ),
    # 4: ben, 5 minutes, rewritten completely (100 belongs to the last band)
    Approved(
        "ben",
        "comment",
        at(5, 8),
        at(5, 8, 5),
        edit_pct=100.0,
        words=(10, 12),
        empathy="name",
        resolved="generic_greeting,robotic_phrase",
    ),
    # 5: after the range
    Approved("ana", "email", at(9, 9), at(9, 9, 30), edit_pct=0.0),
    # 6: ben, one hour, approved before metrics were kept
    Approved("ben", "email", at(3, 12), at(3, 13), edit_pct=None),
]


def _user(session: Session, name: str) -> int:
    return int(session.exec(select(User.id).where(User.name == name)).one())


def build_history(db: Database) -> None:
    """Users, one customer, the approvals above, a rejection, and escalated work items E1..E5."""
    with db.write() as s:
        for name in ("ana", "ben", "lead"):
            s.add(User(name=name, role="lead" if name == "lead" else "agent"))
        customer = Customer(customer_id="c-1", name="Ana Cliente", language="en", email="c1@example.com")
        s.add(customer)
        s.flush()
        items: dict[str, WorkItem] = {}
        for n, (key, received, escalated, assignee, channel) in enumerate(
            [
                ("E1", at(2, 8), True, "ana", "email"),
                ("E2", at(2, 20), True, "ben", "email"),
                ("E3", at(5, 10), True, "ben", "comment"),
                ("E4", at(2, 8), False, "ana", "email"),
                ("E5", datetime(2026, 2, 20, 9, tzinfo=UTC), True, "ana", "email"),
            ]
        ):
            message = Interaction(
                source_id=f"in-{n}",
                customer_id=int(customer.id or 0),
                channel=channel,
                direction="in",
                occurred_at=received,
                body="Where is my order?",
            )
            s.add(message)
            s.flush()
            item = WorkItem(
                customer_id=int(customer.id or 0),
                interaction_id=int(message.id or 0),
                channel=channel,
                escalated=escalated,
                assignee_id=_user(s, assignee),
                received_at=received,
            )
            s.add(item)
            s.flush()
            items[key] = item
        for spec in APPROVED:
            draft = Draft(
                customer_id=int(customer.id or 0),
                channel=spec.channel,
                language="en",
                author_id=_user(s, spec.author),
                work_item_id=items[spec.item].id if spec.item else None,
                created_at=spec.first_at,
            )
            s.add(draft)
            s.flush()
            draft_id = int(draft.id or 0)
            ai = append_revision(
                s,
                draft_id=draft_id,
                author_kind=AuthorKind.AI.value,
                kind=RevisionKind.AI_DRAFT.value,
                author="",
                subject="",
                body=SAME_TEXT,
                created_at=spec.first_at,
            )
            final = append_revision(
                s,
                draft_id=draft_id,
                author_kind=AuthorKind.HUMAN.value,
                kind=RevisionKind.HUMAN_EDIT.value,
                author=spec.author,
                subject="",
                body=SAME_TEXT + " ",
                created_at=spec.first_at + timedelta(minutes=1),
            )
            review = append_review(
                s,
                draft_id=draft_id,
                revision_id=int(final.id or 0),
                reviewer=spec.reviewer,
                decision=Decision.APPROVE,
                created_at=spec.approved_at,
            )
            if spec.edit_pct is not None:
                s.add(
                    EditMetric(
                        review_id=int(review.id or 0),
                        draft_id=draft_id,
                        ai_revision_id=ai.id,
                        final_revision_id=int(final.id or 0),
                        words_ai=spec.words[0],
                        words_final=spec.words[1],
                        edit_pct=spec.edit_pct,
                        empathy_added=spec.empathy,
                        findings_resolved=spec.resolved,
                        findings_overridden=spec.overridden,
                    )
                )
            if spec.item == "E1":
                s.add(
                    OutboxMessage(
                        draft_id=draft_id,
                        review_id=int(review.id or 0),
                        channel=spec.channel,
                        body=final.body,
                        content_hash=final.content_hash,
                        state=OutboxState.SENT.value,
                        sent_at=at(2, 9, 40),
                    )
                )
            if spec.item == "E2":
                s.add(
                    OutboxMessage(
                        draft_id=draft_id,
                        review_id=int(review.id or 0),
                        channel=spec.channel,
                        body=final.body,
                        content_hash=final.content_hash,
                        state=OutboxState.QUEUED.value,
                    )
                )
        # A rejection inside the range is not an approval.
        rejected = Draft(customer_id=int(customer.id or 0), channel="email", author_id=_user(s, "ana"))
        s.add(rejected)
        s.flush()
        rev = append_revision(
            s,
            draft_id=int(rejected.id or 0),
            author_kind="ai",
            kind="ai_draft",
            author="",
            subject="",
            body="No.",
            created_at=at(3, 9),
        )
        append_review(
            s,
            draft_id=int(rejected.id or 0),
            revision_id=int(rev.id or 0),
            reviewer="lead",
            decision=Decision.REJECT,
            reason="wrong",
            created_at=at(3, 10),
        )


@pytest.fixture
def history(db: Database) -> Database:
    build_history(db)
    return db


def test_approvals_per_day_counts_every_day_of_the_range(history: Database) -> None:
    with history.session() as s:
        days = analytics.approvals_per_day(s, f=MARCH)
        bens = analytics.approvals_per_day(s, f=InsightFilter(MARCH.date_from, MARCH.date_to, agent="ben"))
    assert [d.day for d in days] == [date(2026, 3, d) for d in range(1, 8)]
    assert [d.approvals for d in days] == [0, 2, 2, 0, 1, 0, 0]
    assert [d.approvals for d in bens] == [0, 0, 2, 0, 1, 0, 0]
    assert DayCount(date(2026, 3, 3), 2) in days


def test_median_time_to_approve_runs_from_the_first_revision(history: Database) -> None:
    with history.session() as s:
        durations = sorted(analytics.approval_durations(s, f=MARCH))
        median = analytics.median_time_to_approve(s, f=MARCH)
        empty = analytics.median_time_to_approve(s, f=InsightFilter(date(2025, 1, 1), date(2025, 1, 2)))
    assert durations == [300.0, 600.0, 1800.0, 3600.0, 7200.0]
    assert median == 1800.0
    assert empty is None


def test_acceptance_per_agent_and_channel(history: Database) -> None:
    with history.session() as s:
        by_agent = analytics.acceptance_by_agent(s, f=MARCH)
        by_channel = analytics.acceptance_by_channel(s, f=MARCH)
        ana_email = analytics.acceptance_by_channel(
            s, f=InsightFilter(MARCH.date_from, MARCH.date_to, agent="ana", channel="email")
        )
    assert by_agent == [Acceptance("ben", 3, 2, 1), Acceptance("ana", 2, 2, 1)]
    assert by_channel == [Acceptance("email", 3, 2, 2), Acceptance("comment", 2, 2, 0)]
    assert by_channel[0].share == 1.0 and by_channel[1].share == 0.0
    assert ana_email == [Acceptance("email", 1, 1, 1)]


def test_edit_intensity_histogram(history: Database) -> None:
    with history.session() as s:
        buckets = analytics.edit_intensity(s, f=MARCH)
    assert [(b.low, b.high) for b in buckets] == [(float(i), float(i + 10)) for i in range(0, 100, 10)]
    assert [b.count for b in buckets] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    assert buckets[-1] == Bucket(90.0, 100.0, 1)


def test_top_findings_and_overrides(history: Database) -> None:
    with history.session() as s:
        findings = analytics.top_findings(s, f=MARCH)
        overrides = analytics.top_overrides(s, f=MARCH)
        top_one = analytics.top_findings(s, f=MARCH, limit=1)
    assert findings == [
        FindingCount("robotic_phrase", 2, 0),
        FindingCount("too_long", 0, 2),
        FindingCount("commitment", 0, 1),
        FindingCount("generic_greeting", 1, 0),
    ]
    assert top_one == findings[:1]
    assert overrides == [
        OverrideCount("commitment", "ana", 1),
        OverrideCount("too_long", "ana", 1),
        OverrideCount("too_long", "lead", 1),
    ]


def test_empathy_added_by_humans(history: Database) -> None:
    with history.session() as s:
        empathy = analytics.empathy_added(s, f=MARCH)
        comments = analytics.empathy_added(s, f=InsightFilter(MARCH.date_from, MARCH.date_to, channel="comment"))
    assert (empathy.measured, empathy.added) == (4, 2)
    assert empathy.share == 0.5
    assert empathy.by_kind == (("name", 2), ("acknowledgement", 1))
    assert comments.share == 1.0


def test_escalations_and_their_handling_time(history: Database) -> None:
    with history.session() as s:
        esc = analytics.escalations(s, f=MARCH)
        bens = analytics.escalations(s, f=InsightFilter(MARCH.date_from, MARCH.date_to, agent="ben"))
    # E1: received 08:00, approved 09:10 (4,200 s), sent 09:40 (6,000 s); E2: received 20:00, approved 01:00
    # (18,000 s), still queued; E3 waits; E4 is not escalated; E5 is before the range.
    assert (esc.total, esc.approved, esc.sent, esc.waiting) == (3, 2, 1, 1)
    assert esc.median_to_approval_s == pytest.approx(11_100.0)
    assert esc.median_to_sent_s == pytest.approx(6_000.0)
    assert esc.buckets == (0, 1, 1, 0, 0)
    assert (bens.total, bens.approved, bens.sent) == (2, 1, 0)


def test_drafting_totals_for_the_time_saved_estimate(history: Database) -> None:
    with history.session() as s:
        totals = analytics.drafting_totals(s, f=MARCH)
    assert (totals.measured, totals.words_ai, totals.words_final) == (4, 180, 202)
    # 5% of 100 + 25% of 40 + 0% of 50 + 100% of 12
    assert totals.words_changed == pytest.approx(27.0)


def test_unmeasured_approvals_are_found(history: Database) -> None:
    with history.session() as s:
        missing = analytics.unmeasured_approvals(s)
    assert len(missing) == 1


def test_an_unknown_agent_selects_nothing(history: Database) -> None:
    with history.session() as s:
        f = InsightFilter(MARCH.date_from, MARCH.date_to, agent="nobody")
        assert sum(d.approvals for d in analytics.approvals_per_day(s, f=f)) == 0
        assert analytics.acceptance_by_agent(s, f=f) == []


def test_a_backwards_range_is_refused() -> None:
    with pytest.raises(ValueError, match="starts"):
        InsightFilter(date(2026, 3, 7), date(2026, 3, 1))


def test_the_side_by_side_dashboard_equals_one_session(history: Database) -> None:
    for f in (MARCH, InsightFilter(MARCH.date_from, MARCH.date_to, agent="ben")):
        with history.session() as s:
            expected = (analytics.approval_figures(s, f=f), analytics.escalations(s, f=f))
        assert analytics.dashboard(history, f=f) == expected


def test_days_are_the_teams_calendar_days(history: Database) -> None:
    """Three hours behind UTC, approval 3 (01:00 UTC on the 3rd) was given on the evening of the 2nd."""
    behind = timedelta(hours=-3)
    with history.session() as s:
        days = analytics.approvals_per_day(s, f=InsightFilter(MARCH.date_from, MARCH.date_to, utc_offset=behind))
        third = analytics.approvals_per_day(s, f=InsightFilter(date(2026, 3, 3), date(2026, 3, 3), utc_offset=behind))
        ahead = analytics.approvals_per_day(
            s, f=InsightFilter(MARCH.date_from, MARCH.date_to, utc_offset=timedelta(hours=2))
        )
    assert [d.approvals for d in days] == [0, 3, 1, 0, 1, 0, 0]
    assert third == [DayCount(date(2026, 3, 3), 1)]  # only approval 6 (13:00 UTC, 10:00 there)
    assert [d.approvals for d in ahead] == [0, 2, 2, 0, 1, 0, 0]


def test_an_offset_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="offset"):
        InsightFilter(MARCH.date_from, MARCH.date_to, utc_offset=timedelta(hours=20))
    with pytest.raises(ValueError, match="offset"):
        InsightFilter(MARCH.date_from, MARCH.date_to, utc_offset=timedelta(seconds=30))
