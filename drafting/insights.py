"""The lead's dashboard: every aggregate for one filter, the honest time-saved estimate, and its export rows.

The time-saved estimate compares, per measured approved draft, typing the
final reply from scratch with reading the AI's draft and typing the words the
person changed. It leaves out thinking time (the same either way), drafts
never approved, and approvals without edit metrics; all of this is said in
the assumptions, which travel with the figures into the UI and the export.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from drafting.metrics import record_edit_metric
from storage import analytics
from storage.analytics import (
    Acceptance,
    Bucket,
    DayCount,
    DraftingTotals,
    EmpathyAdded,
    Escalations,
    FindingCount,
    InsightFilter,
    OverrideCount,
)
from storage.chain import record_event
from storage.database import Database

__all__ = [
    "AiValue",
    "Assumptions",
    "Dashboard",
    "ai_value",
    "export_rows",
    "load_dashboard",
    "measure_unmeasured",
]


@dataclass(frozen=True)
class Assumptions:
    """What the time-saved estimate takes for granted; change them and the estimate follows."""

    typing_wpm: float = 40.0
    """Words a person types per minute when writing a reply."""
    reading_wpm: float = 230.0
    """Words a person reads per minute when checking the AI's draft."""

    def __post_init__(self) -> None:
        if self.typing_wpm <= 0 or self.reading_wpm <= 0:
            raise ValueError("typing and reading speeds must be above 0 words per minute")

    def rows(self) -> list[tuple[str, float, str]]:
        """(name, value, unit) of each assumption, for the panel and the export."""
        return [("typing_speed", self.typing_wpm, "words/min"), ("reading_speed", self.reading_wpm, "words/min")]


@dataclass(frozen=True)
class AiValue:
    """The drafting time saved estimate over the measured approved drafts, in minutes."""

    drafts: int
    minutes_from_scratch: float
    """Typing every final word."""
    minutes_with_ai: float
    """Reading the AI's draft plus typing the words the person changed."""
    assumptions: Assumptions

    @property
    def minutes_saved(self) -> float:
        """Negative when editing the drafts cost more than writing them would have."""
        return self.minutes_from_scratch - self.minutes_with_ai

    @property
    def minutes_saved_per_draft(self) -> float | None:
        return self.minutes_saved / self.drafts if self.drafts else None


def ai_value(totals: DraftingTotals, assumptions: Assumptions) -> AiValue:
    """The time-saved estimate for these word sums under these assumptions."""
    scratch = totals.words_final / assumptions.typing_wpm
    with_ai = totals.words_ai / assumptions.reading_wpm + totals.words_changed / assumptions.typing_wpm
    return AiValue(totals.measured, scratch, with_ai, assumptions)


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the insights window for one filter."""

    filter: InsightFilter
    per_day: list[DayCount]
    median_to_approve_s: float | None
    by_agent: list[Acceptance]
    by_channel: list[Acceptance]
    intensity: list[Bucket]
    findings: list[FindingCount]
    overrides: list[OverrideCount]
    empathy: EmpathyAdded
    escalations: Escalations
    totals: DraftingTotals
    assumptions: Assumptions = field(default_factory=Assumptions)

    @property
    def approvals(self) -> int:
        return sum(d.approvals for d in self.per_day)

    @property
    def unmeasured(self) -> int:
        """Approvals in the range that have no edit metrics."""
        return sum(a.approvals - a.measured for a in self.by_channel)

    @property
    def acceptance(self) -> float | None:
        """Share of all measured approvals changed less than ACCEPTED_BELOW_PCT."""
        measured = sum(a.measured for a in self.by_channel)
        return sum(a.accepted for a in self.by_channel) / measured if measured else None

    @property
    def value(self) -> AiValue:
        return ai_value(self.totals, self.assumptions)


def load_dashboard(db: Database, f: InsightFilter, assumptions: Assumptions | None = None) -> Dashboard:
    """Run every aggregate for `f` (five statements, side by side on their own connections)."""
    figures, escalations = analytics.dashboard(db, f=f)
    return Dashboard(
        filter=f,
        per_day=figures.per_day,
        median_to_approve_s=figures.median_to_approve_s,
        by_agent=figures.by_agent,
        by_channel=figures.by_channel,
        intensity=figures.intensity,
        findings=figures.findings,
        overrides=figures.overrides,
        empathy=figures.empathy,
        escalations=escalations,
        totals=figures.totals,
        assumptions=assumptions or Assumptions(),
    )


def measure_unmeasured(db: Database, *, actor: str, limit: int = 1000) -> int:
    """Record edit metrics for approvals given before they were kept, each with an audit event; returns how many.

    The texts are all in the revisions, so the edit figures are exact; which
    findings were overridden at the time is not known, and is left empty.
    """
    with db.session() as session:
        review_ids = analytics.unmeasured_approvals(session, limit=limit)
    for review_id in review_ids:
        with db.write() as session:
            metric = record_edit_metric(session, review_id=review_id)
            record_event(
                session,
                action="editmetric.measured_later",
                actor=actor,
                entity="review",
                entity_id=review_id,
                details={"draft_id": metric.draft_id, "edit_pct": metric.edit_pct},
            )
    return len(review_ids)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def export_rows(d: Dashboard) -> Iterator[tuple[str, str, str, str]]:
    """Every series of the dashboard as (series, category, measure, value) rows, filters and assumptions first."""
    f = d.filter
    yield ("filter", "date_from", "value", f.date_from.isoformat())
    yield ("filter", "date_to", "value", f.date_to.isoformat())
    yield ("filter", "agent", "value", f.agent or "")
    yield ("filter", "channel", "value", f.channel or "")
    for name, value, unit in d.assumptions.rows():
        yield ("assumption", name, unit, f"{value:g}")
    yield ("assumption", "accepted_below_edit_pct", "percent", f"{analytics.ACCEPTED_BELOW_PCT:g}")
    yield ("summary", "approvals", "count", str(d.approvals))
    yield ("summary", "unmeasured_approvals", "count", str(d.unmeasured))
    yield (
        "summary",
        "median_time_to_approve",
        "seconds",
        "" if d.median_to_approve_s is None else f"{d.median_to_approve_s:.0f}",
    )
    yield ("summary", "ai_acceptance", "share", _share(d.acceptance))
    for day in d.per_day:
        yield ("approvals_per_day", day.day.isoformat(), "approvals", str(day.approvals))
    for series, rows in (("acceptance_by_agent", d.by_agent), ("acceptance_by_channel", d.by_channel)):
        for a in rows:
            yield (series, a.key, "approvals", str(a.approvals))
            yield (series, a.key, "measured", str(a.measured))
            yield (series, a.key, "accepted", str(a.accepted))
            yield (series, a.key, "share", _share(a.share))
    for b in d.intensity:
        yield ("edit_intensity", f"{b.low:g}-{b.high:g}", "approvals", str(b.count))
    for c in d.findings:
        yield ("top_findings", c.code, "resolved", str(c.resolved))
        yield ("top_findings", c.code, "overridden", str(c.overridden))
    for o in d.overrides:
        yield ("top_overrides", f"{o.code}/{o.approver}", "count", str(o.count))
    yield ("empathy_added", "any", "approvals", str(d.empathy.added))
    yield ("empathy_added", "any", "share", _share(d.empathy.share))
    for kind, n in d.empathy.by_kind:
        yield ("empathy_added", kind, "approvals", str(n))
    e = d.escalations
    yield ("escalations", "received", "count", str(e.total))
    yield ("escalations", "approved", "count", str(e.approved))
    yield ("escalations", "sent", "count", str(e.sent))
    yield (
        "escalations",
        "median_to_approval",
        "seconds",
        "" if e.median_to_approval_s is None else f"{e.median_to_approval_s:.0f}",
    )
    yield (
        "escalations",
        "median_to_sent",
        "seconds",
        "" if e.median_to_sent_s is None else f"{e.median_to_sent_s:.0f}",
    )
    lows = (0, *analytics.HANDLING_EDGES_S)
    for i, n in enumerate(e.buckets):
        high = str(analytics.HANDLING_EDGES_S[i]) if i < len(analytics.HANDLING_EDGES_S) else ""
        yield ("escalation_handling_time", f"{lows[i]}-{high}s", "items", str(n))
    yield ("escalation_handling_time", "waiting", "items", str(e.waiting))
    v = d.value
    yield ("ai_value", "drafts", "count", str(v.drafts))
    yield ("ai_value", "from_scratch", "minutes", f"{v.minutes_from_scratch:.1f}")
    yield ("ai_value", "with_ai", "minutes", f"{v.minutes_with_ai:.1f}")
    yield ("ai_value", "saved", "minutes", f"{v.minutes_saved:.1f}")
