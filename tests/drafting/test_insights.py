"""The dashboard on hand-built history: the time-saved estimate, measuring older approvals, the export rows."""

from __future__ import annotations

import pytest
from sqlmodel import select

from drafting.insights import Assumptions, ai_value, export_rows, load_dashboard, measure_unmeasured
from storage.analytics import DraftingTotals
from storage.chain import verify
from storage.database import Database
from storage.models import AuditEvent, EditMetric
from tests.storage.test_analytics import MARCH, build_history


@pytest.fixture
def history(db: Database) -> Database:
    build_history(db)
    return db


def test_time_saved_follows_its_assumptions() -> None:
    totals = DraftingTotals(measured=4, words_ai=180, words_final=202, words_changed=27.0)
    value = ai_value(totals, Assumptions(typing_wpm=40, reading_wpm=230))
    assert value.minutes_from_scratch == pytest.approx(202 / 40)
    assert value.minutes_with_ai == pytest.approx(180 / 230 + 27 / 40)
    assert value.minutes_saved == pytest.approx(202 / 40 - 180 / 230 - 27 / 40)
    assert value.minutes_saved_per_draft == pytest.approx(value.minutes_saved / 4)
    slower = ai_value(totals, Assumptions(typing_wpm=20, reading_wpm=230))
    assert slower.minutes_saved > value.minutes_saved
    # Heavy rewrites of long drafts cost more than they save, and the estimate says so.
    rewrites = ai_value(DraftingTotals(1, 300, 50, 300.0), Assumptions())
    assert rewrites.minutes_saved < 0
    assert ai_value(DraftingTotals(0, 0, 0, 0.0), Assumptions()).minutes_saved_per_draft is None


def test_nonsense_assumptions_are_refused() -> None:
    with pytest.raises(ValueError, match="above 0"):
        Assumptions(typing_wpm=0)


def test_dashboard_gathers_every_aggregate(history: Database) -> None:
    d = load_dashboard(history, MARCH)
    assert d.approvals == 5
    assert d.median_to_approve_s == 1800.0
    assert d.unmeasured == 1
    assert d.acceptance == pytest.approx(2 / 4)
    assert d.escalations.total == 3
    assert d.value.drafts == 4


def test_measuring_older_approvals_records_their_edits(history: Database) -> None:
    assert measure_unmeasured(history, actor="lead") == 1
    assert measure_unmeasured(history, actor="lead") == 0
    d = load_dashboard(history, MARCH)
    assert d.unmeasured == 0
    # The sixth approval's AI draft and final text differ only in trailing space: 0% edited, accepted.
    ben = next(a for a in d.by_agent if a.key == "ben")
    assert (ben.approvals, ben.measured, ben.accepted) == (3, 3, 2)
    with history.session() as s:
        assert len(s.exec(select(EditMetric)).all()) == 6
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "editmetric.measured_later")).one()
        assert verify(s).ok
    assert event.actor == "lead"


def test_export_rows_carry_filter_assumptions_and_every_series(history: Database) -> None:
    rows = list(export_rows(load_dashboard(history, MARCH, Assumptions(typing_wpm=50))))
    assert all(len(r) == 4 for r in rows)
    assert ("filter", "date_from", "value", "2026-03-01") in rows
    assert ("assumption", "typing_speed", "words/min", "50") in rows
    assert ("assumption", "reading_speed", "words/min", "230") in rows
    assert ("summary", "median_time_to_approve", "seconds", "1800") in rows
    assert [r[3] for r in rows if r[0] == "approvals_per_day"] == ["0", "2", "2", "0", "1", "0", "0"]
    assert ("acceptance_by_agent", "ben", "accepted", "1") in rows
    assert ("edit_intensity", "90-100", "approvals", "1") in rows
    assert ("top_findings", "too_long", "overridden", "2") in rows
    assert ("top_overrides", "commitment/ana", "count", "1") in rows
    assert ("empathy_added", "name", "approvals", "2") in rows
    assert ("escalations", "median_to_approval", "seconds", "11100") in rows
    assert ("escalation_handling_time", "waiting", "items", "1") in rows
    saved = next(r for r in rows if r[:2] == ("ai_value", "saved"))
    assert float(saved[3]) == pytest.approx(202 / 50 - 180 / 230 - 27 / 50, abs=0.05)
