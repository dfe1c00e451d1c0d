"""Aggregates for the team lead's insights: approvals, edit intensity, findings, empathy, escalations.

An approval is a `review` with decision `approve`; it belongs to the team's
calendar day it was given on (the filter's offset from UTC), to the draft's author (the agent) and to the draft's channel.
Edit figures come from the approval's `editmetric` row; approvals without one
(given before metrics were kept) are counted as approvals but not as measured.
Escalations belong to the day their work item was received and to its assignee.
Everything is grouped in SQL, and the median time to approve is picked there
from the sorted durations; only the escalations' two medians are taken in
Python, over a few thousand values. A whole dashboard is five statements (see
`approval_figures` and `escalations`).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.database import Database
from storage.models import Decision, Draft, EditMetric, OutboxMessage, OutboxState, Review, Revision, User, WorkItem

ACCEPTED_BELOW_PCT = 10.0
"""An approval whose draft was changed less than this (edit_pct) counts as the AI's draft accepted."""
EDIT_BUCKET_PCT = 10
"""Width of one bar of the edit intensity histogram; the last bar includes 100."""
HANDLING_EDGES_S = (3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600)
"""Upper bounds (exclusive) of the escalation handling-time buckets; one more bucket holds the rest."""
SEPARATOR = ","
"""How EditMetric joins finding codes and empathy kinds."""


@dataclass(frozen=True)
class InsightFilter:
    """Which approvals and escalations to look at: a range of days (both ends included), one agent, one channel.

    The days are the team's calendar days, `utc_offset` ahead of UTC: one offset for the whole range (a range
    across a daylight-saving change counts an hour of its other side into the neighbouring day)."""

    date_from: date
    date_to: date
    agent: str | None = None
    channel: str | None = None
    utc_offset: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError(f"the range starts ({self.date_from}) after it ends ({self.date_to})")
        if self.utc_offset % timedelta(minutes=1) or abs(self.utc_offset) > timedelta(hours=14):
            raise ValueError(f"not an offset from UTC: {self.utc_offset}")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time(), UTC) - self.utc_offset

    @property
    def end(self) -> datetime:
        """The first instant after the range."""
        return datetime.combine(self.date_to + timedelta(days=1), time(), UTC) - self.utc_offset

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


@dataclass(frozen=True)
class DayCount:
    day: date
    approvals: int


@dataclass(frozen=True)
class Acceptance:
    """How often one agent's (or one channel's) approved drafts kept the AI's words."""

    key: str
    """The agent's user name or the channel; empty for drafts with no recorded author."""
    approvals: int
    measured: int
    """Approvals with edit metrics."""
    accepted: int
    """Measured approvals changed less than ACCEPTED_BELOW_PCT."""

    @property
    def share(self) -> float | None:
        """accepted / measured, or None when nothing was measured."""
        return self.accepted / self.measured if self.measured else None


@dataclass(frozen=True)
class Bucket:
    """One bar of a histogram: [low, high) (the last one includes high) and how many fell in it."""

    low: float
    high: float
    count: int


@dataclass(frozen=True)
class FindingCount:
    code: str
    resolved: int
    overridden: int

    @property
    def total(self) -> int:
        return self.resolved + self.overridden


@dataclass(frozen=True)
class OverrideCount:
    """How many times one approver approved over one kind of finding."""

    code: str
    approver: str
    count: int


@dataclass(frozen=True)
class EmpathyAdded:
    measured: int
    added: int
    """Measured approvals where a person added at least one kind of empathy the AI draft lacked."""
    by_kind: tuple[tuple[str, int], ...]
    """(kind, approvals) most frequent first."""

    @property
    def share(self) -> float | None:
        return self.added / self.measured if self.measured else None


@dataclass(frozen=True)
class Escalations:
    """Escalated work items received in the range, and how long they took to be answered."""

    total: int
    approved: int
    sent: int
    median_to_approval_s: float | None
    median_to_sent_s: float | None
    buckets: tuple[int, ...]
    """Items by time to first approval, split at HANDLING_EDGES_S (len(HANDLING_EDGES_S) + 1 counts)."""

    @property
    def waiting(self) -> int:
        """Items with no approval yet."""
        return self.total - self.approved


@dataclass(frozen=True)
class DraftingTotals:
    """The sums the time-saved estimate needs, over measured approvals."""

    measured: int
    words_ai: int
    words_final: int
    words_changed: float
    """Sum over approvals of edit_pct/100 times the longer of the two texts: the words a person had to touch."""


# -- building blocks -----------------------------------------------------------------------------------------


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _day(session: Session, column: Any, utc_offset: timedelta) -> Any:
    """The calendar day of a timestamp column `utc_offset` ahead of UTC, in SQL."""
    minutes = int(utc_offset / timedelta(minutes=1))  # a whole number (InsightFilter checks it)
    if _dialect(session) == "postgresql":
        shifted = sa.func.timezone("UTC", column) + sa.literal_column(f"interval '{minutes} minutes'")
        return sa.cast(shifted, sa.Date)
    # SQLite keeps UTC as naive ISO text ("2026-03-02 09:10:00.000000"): in UTC the day is its first ten
    # characters, which is cheaper than parsing it with datetime().
    if not minutes:
        return sa.func.substr(column, 1, 10)
    return sa.func.substr(sa.func.datetime(column, f"{minutes:+d} minutes"), 1, 10)


def _seconds(session: Session, later: Any, earlier: Any) -> Any:
    """`later - earlier` in seconds, as a float, in SQL (SQLite's julianday() is a double: callers round to the ms)."""
    if _dialect(session) == "postgresql":
        return sa.cast(sa.extract("epoch", later - earlier), sa.Float)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _agent_id(name: str) -> Any:
    return sa.select(col(User.id)).where(col(User.name) == name).scalar_subquery()


def _approvals(stmt: sa.Select[Any], f: InsightFilter) -> sa.Select[Any]:
    """`stmt` limited to the approvals `f` selects; it selects from review, joined to draft when `f` names an agent or channel."""
    stmt = stmt.where(
        col(Review.decision) == Decision.APPROVE.value,
        col(Review.created_at) >= f.start,
        col(Review.created_at) < f.end,
    )
    if f.agent is not None:
        stmt = stmt.where(col(Draft.author_id) == _agent_id(f.agent))
    if f.channel is not None:
        stmt = stmt.where(col(Draft.channel) == f.channel)
    return stmt


def _from_approvals(*columns: Any, metrics: bool = False, outer: bool = True) -> sa.Select[Any]:
    stmt = sa.select(*columns).select_from(Review).join(Draft, col(Draft.id) == col(Review.draft_id))
    if metrics:
        stmt = stmt.join(EditMetric, col(EditMetric.review_id) == col(Review.id), isouter=outer)
    return stmt


def _split_counts(rows: Any) -> Counter[str]:
    """Sum counts of comma-joined codes: ("a,b", 2), ("a", 1) -> {a: 3, b: 2}."""
    counts: Counter[str] = Counter()
    for joined, n in rows:
        for code in str(joined or "").split(SEPARATOR):
            if code.strip():
                counts[code.strip()] += int(n)
    return counts


def _median(values: list[float]) -> float | None:
    return round(float(statistics.median(values)), 3) if values else None


# -- the queries --------------------------------------------------------------------------------------------


def agent_names(session: Session) -> list[str]:
    """Every user who can write a draft, by name, for the agent filter."""
    return list(session.execute(sa.select(col(User.name)).order_by(col(User.name))).scalars())


def _in_range(stmt: sa.Select[Any], f: InsightFilter) -> sa.Select[Any]:
    """`stmt` (selecting from review) limited to `f`; draft is joined only when the filter needs it."""
    if f.agent is not None or f.channel is not None:
        stmt = stmt.join(Draft, col(Draft.id) == col(Review.draft_id))
    return _approvals(stmt, f)


def _per_day(session: Session, f: InsightFilter) -> list[DayCount]:
    day = _day(session, col(Review.created_at), f.utc_offset).label("day")
    stmt = _in_range(sa.select(day, sa.func.count()).select_from(Review), f).group_by(day)
    counts: Counter[date] = Counter()
    for d, n in session.execute(stmt):
        counts[_as_date(d)] += int(n)
    return [DayCount(d, counts.get(d, 0)) for d in (f.date_from + timedelta(days=i) for i in range(f.days))]


def _durations(session: Session, f: InsightFilter) -> tuple[sa.Select[Any], Any]:
    """The statement listing seconds from each approved draft's first revision to its approval, and that column."""
    first = Revision.__table__.alias("first_revision")  # type: ignore[attr-defined]  # SQLModel table
    seconds = _seconds(session, col(Review.created_at), first.c.created_at).label("seconds")
    stmt = (
        sa.select(seconds)
        .select_from(Review)
        .join(first, sa.and_(first.c.draft_id == col(Review.draft_id), first.c.seq == 1))
    )
    return _in_range(stmt, f), seconds


def _median_seconds(session: Session, f: InsightFilter, approvals: int) -> float | None:
    """The median duration, picked in SQL from the sorted column: the middle one, or the mean of the middle two.

    `approvals` is how many approvals `f` selects; every one has a first revision, as it approved one.
    """
    if approvals <= 0:
        return None
    stmt, seconds = _durations(session, f)
    middle = session.execute(stmt.order_by(seconds).offset((approvals - 1) // 2).limit(2 - approvals % 2)).scalars()
    return _median([float(s) for s in middle])


def approvals_per_day(session: Session, *, f: InsightFilter) -> list[DayCount]:
    """Approvals on each day of the range, days without any included as 0."""
    return _per_day(session, f)


def approval_durations(session: Session, *, f: InsightFilter) -> list[float]:
    """Seconds from each approved draft's first revision to its approval."""
    stmt, _ = _durations(session, f)
    return [round(float(s), 3) for s in session.execute(stmt).scalars()]


def median_time_to_approve(session: Session, *, f: InsightFilter) -> float | None:
    """The median of `approval_durations`, in seconds; None when nothing was approved."""
    return _median_seconds(session, f, sum(d.approvals for d in _per_day(session, f)))


@dataclass(frozen=True)
class _Cell:
    """Approvals of one agent, one channel and one edit band (-1: not measured)."""

    author_id: int | None
    channel: str
    band: int
    approvals: int
    accepted: int
    words_ai: int
    words_final: int
    words_changed: float


def _cube(session: Session, f: InsightFilter) -> list[_Cell]:
    """One scan: approvals grouped by agent, channel and edit band, with the sums every edit figure needs."""
    pct = col(EditMetric.edit_pct)
    edges = list(range(EDIT_BUCKET_PCT, 100, EDIT_BUCKET_PCT))
    band = sa.case((pct.is_(None), -1), *((pct < edge, i) for i, edge in enumerate(edges)), else_=len(edges))
    longer = sa.case(
        (col(EditMetric.words_ai) > col(EditMetric.words_final), col(EditMetric.words_ai)),
        else_=col(EditMetric.words_final),
    )
    keys = (col(Draft.author_id), col(Draft.channel), band)
    stmt = _approvals(
        _from_approvals(
            *keys,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((pct < ACCEPTED_BELOW_PCT, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(col(EditMetric.words_ai)), 0),
            sa.func.coalesce(sa.func.sum(col(EditMetric.words_final)), 0),
            sa.func.coalesce(sa.func.sum(pct * longer), 0),
            metrics=True,
        ),
        f,
    ).group_by(*keys)
    return [
        _Cell(a, str(c), int(b), int(n), int(acc), int(wa), int(wf), float(ch) / 100.0)
        for a, c, b, n, acc, wa, wf, ch in session.execute(stmt)
    ]


def _acceptance(cells: list[_Cell], key: Any) -> list[Acceptance]:
    grouped: dict[str, list[int]] = {}
    for cell in cells:
        totals = grouped.setdefault(key(cell), [0, 0, 0])
        totals[0] += cell.approvals
        totals[1] += cell.approvals if cell.band >= 0 else 0
        totals[2] += cell.accepted
    rows = [Acceptance(k, n, m, a) for k, (n, m, a) in grouped.items()]
    return sorted(rows, key=lambda r: (-r.approvals, r.key))


def _names(session: Session) -> dict[int, str]:
    return {int(i): str(n) for i, n in session.execute(sa.select(col(User.id), col(User.name)))}


def _by_agent(session: Session, cells: list[_Cell]) -> list[Acceptance]:
    names = _names(session)
    return _acceptance(cells, lambda c: names.get(c.author_id, "") if c.author_id is not None else "")


def _by_channel(cells: list[_Cell]) -> list[Acceptance]:
    return _acceptance(cells, lambda c: c.channel)


def _intensity(cells: list[_Cell]) -> list[Bucket]:
    lows = list(range(0, 100, EDIT_BUCKET_PCT))
    counts: Counter[int] = Counter()
    for cell in cells:
        if cell.band >= 0:
            counts[cell.band] += cell.approvals
    return [Bucket(float(low), float(min(100, low + EDIT_BUCKET_PCT)), counts[i]) for i, low in enumerate(lows)]


def _totals(cells: list[_Cell]) -> DraftingTotals:
    measured = [c for c in cells if c.band >= 0]
    return DraftingTotals(
        sum(c.approvals for c in measured),
        sum(c.words_ai for c in measured),
        sum(c.words_final for c in measured),
        sum(c.words_changed for c in measured),
    )


def acceptance_by_agent(session: Session, *, f: InsightFilter) -> list[Acceptance]:
    """Per agent (draft author): approvals, measured ones, and those changed less than ACCEPTED_BELOW_PCT."""
    return _by_agent(session, _cube(session, f))


def acceptance_by_channel(session: Session, *, f: InsightFilter) -> list[Acceptance]:
    """Per channel: approvals, measured ones, and those changed less than ACCEPTED_BELOW_PCT."""
    return _by_channel(_cube(session, f))


def edit_intensity(session: Session, *, f: InsightFilter) -> list[Bucket]:
    """How many measured approvals fell in each EDIT_BUCKET_PCT-wide band of edit_pct, 0 to 100."""
    return _intensity(_cube(session, f))


def drafting_totals(session: Session, *, f: InsightFilter) -> DraftingTotals:
    """Word sums over measured approvals, for the time-saved estimate."""
    return _totals(_cube(session, f))


def _texts(session: Session, f: InsightFilter) -> list[tuple[str, str, str, str, int]]:
    """One scan: measured approvals grouped by (empathy added, findings resolved, findings overridden, approver)."""
    keys = (
        col(EditMetric.empathy_added),
        col(EditMetric.findings_resolved),
        col(EditMetric.findings_overridden),
        col(Review.reviewer),
    )
    stmt = _approvals(_from_approvals(*keys, sa.func.count(), metrics=True, outer=False), f).group_by(*keys)
    return [(str(e or ""), str(r or ""), str(o or ""), str(who), int(n)) for e, r, o, who, n in session.execute(stmt)]


def _findings(texts: list[tuple[str, str, str, str, int]], limit: int) -> list[FindingCount]:
    resolved = _split_counts((r, n) for _, r, _, _, n in texts)
    overridden = _split_counts((o, n) for _, _, o, _, n in texts)
    found = [FindingCount(code, resolved[code], overridden[code]) for code in resolved.keys() | overridden.keys()]
    return sorted(found, key=lambda c: (-c.total, c.code))[:limit]


def _overrides(texts: list[tuple[str, str, str, str, int]], limit: int) -> list[OverrideCount]:
    counts: Counter[tuple[str, str]] = Counter()
    for _, _, joined, reviewer, n in texts:
        for code, k in _split_counts([(joined, n)]).items():
            counts[(code, reviewer)] += k
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [OverrideCount(code, approver, n) for (code, approver), n in ranked]


def _empathy(texts: list[tuple[str, str, str, str, int]]) -> EmpathyAdded:
    measured = sum(n for *_, n in texts)
    added = sum(n for kinds, *_, n in texts if kinds.strip())
    by_kind = sorted(_split_counts((e, n) for e, *_, n in texts).items(), key=lambda kv: (-kv[1], kv[0]))
    return EmpathyAdded(measured, added, tuple(by_kind))


def top_findings(session: Session, *, f: InsightFilter, limit: int = 10) -> list[FindingCount]:
    """The finding codes met most often on approved drafts: how often a person fixed them, how often approved over them."""
    return _findings(_texts(session, f), limit)


def top_overrides(session: Session, *, f: InsightFilter, limit: int = 10) -> list[OverrideCount]:
    """Who approved over which finding, most often first."""
    return _overrides(_texts(session, f), limit)


def empathy_added(session: Session, *, f: InsightFilter) -> EmpathyAdded:
    """How often a person added acknowledgement, an apology, the name or a personal reference the AI draft lacked."""
    return _empathy(_texts(session, f))


@dataclass(frozen=True)
class ApprovalFigures:
    """Every approval aggregate for one filter."""

    per_day: list[DayCount]
    median_to_approve_s: float | None
    by_agent: list[Acceptance]
    by_channel: list[Acceptance]
    intensity: list[Bucket]
    totals: DraftingTotals
    findings: list[FindingCount]
    overrides: list[OverrideCount]
    empathy: EmpathyAdded


def approval_figures(session: Session, *, f: InsightFilter, limit: int = 10) -> ApprovalFigures:
    """Every approval aggregate for `f` in four statements (the functions above each send one or two)."""
    per_day = _per_day(session, f)
    median = _median_seconds(session, f, sum(d.approvals for d in per_day))
    cells = _cube(session, f)
    texts = _texts(session, f)
    return _figures(session, per_day=per_day, median=median, cells=cells, texts=texts, limit=limit)


_T = TypeVar("_T")


def dashboard(db: Database, *, f: InsightFilter, limit: int = 10) -> tuple[ApprovalFigures, Escalations]:
    """`approval_figures` and `escalations`, their statements run side by side, each on its own connection.

    A refresh is bound by the database (the same statements through raw sqlite3 take as long), and both SQLite
    and the driver release the GIL while a statement runs: on two cores the four groups finish in about half the
    time of one session running them in turn. Each group reads a consistent snapshot of its own; they can differ
    only by what was committed between them, which a dashboard can live with.
    """

    def read(fn: Callable[[Session], _T]) -> _T:
        with db.session() as session:
            return fn(session)

    def days_and_median(session: Session) -> tuple[list[DayCount], float | None]:
        per_day = _per_day(session, f)
        return per_day, _median_seconds(session, f, sum(d.approvals for d in per_day))

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="latido-insights") as pool:
        timing = pool.submit(read, days_and_median)
        cells = pool.submit(read, lambda session: _cube(session, f))
        texts = pool.submit(read, lambda session: _texts(session, f))
        escalated = pool.submit(read, lambda session: escalations(session, f=f))
        per_day, median = timing.result()
        with db.session() as session:  # the agents' names: one small lookup
            figures = _figures(
                session, per_day=per_day, median=median, cells=cells.result(), texts=texts.result(), limit=limit
            )
        return figures, escalated.result()


def _figures(
    session: Session,
    *,
    per_day: list[DayCount],
    median: float | None,
    cells: list[_Cell],
    texts: list[tuple[str, str, str, str, int]],
    limit: int,
) -> ApprovalFigures:
    return ApprovalFigures(
        per_day=per_day,
        median_to_approve_s=median,
        by_agent=_by_agent(session, cells),
        by_channel=_by_channel(cells),
        intensity=_intensity(cells),
        totals=_totals(cells),
        findings=_findings(texts, limit),
        overrides=_overrides(texts, limit),
        empathy=_empathy(texts),
    )


def escalations(session: Session, *, f: InsightFilter) -> Escalations:
    """Escalated items received in the range: how many were approved and sent, and how fast."""
    approved_at = sa.func.min(col(Review.created_at))
    sent_at = sa.func.min(col(OutboxMessage.sent_at))
    stmt = (
        sa.select(col(WorkItem.received_at), approved_at, sent_at)
        .select_from(WorkItem)
        .join(Draft, col(Draft.work_item_id) == col(WorkItem.id), isouter=True)
        .join(
            Review,
            sa.and_(col(Review.draft_id) == col(Draft.id), col(Review.decision) == Decision.APPROVE.value),
            isouter=True,
        )
        .join(
            OutboxMessage,
            sa.and_(col(OutboxMessage.review_id) == col(Review.id), col(OutboxMessage.state) == OutboxState.SENT.value),
            isouter=True,
        )
        .where(
            col(WorkItem.escalated).is_(True),
            col(WorkItem.received_at) >= f.start,
            col(WorkItem.received_at) < f.end,
        )
        .group_by(col(WorkItem.id), col(WorkItem.received_at))
    )
    if f.agent is not None:
        stmt = stmt.where(col(WorkItem.assignee_id) == _agent_id(f.agent))
    if f.channel is not None:
        stmt = stmt.where(col(WorkItem.channel) == f.channel)
    to_approval: list[float] = []
    to_sent: list[float] = []
    total = 0
    for received, approved, sent in session.execute(stmt):
        total += 1
        if approved is not None:
            to_approval.append(max(0.0, (approved - received).total_seconds()))
        if sent is not None:
            to_sent.append(max(0.0, (sent - received).total_seconds()))
    buckets = [0] * (len(HANDLING_EDGES_S) + 1)
    for seconds in to_approval:
        buckets[next((i for i, edge in enumerate(HANDLING_EDGES_S) if seconds < edge), len(HANDLING_EDGES_S))] += 1
    return Escalations(total, len(to_approval), len(to_sent), _median(to_approval), _median(to_sent), tuple(buckets))


def unmeasured_approvals(session: Session, *, limit: int = 1000) -> list[int]:
    """Ids of approvals that have no edit metrics (given before metrics were kept), oldest first."""
    stmt = (
        sa.select(col(Review.id))
        .outerjoin(EditMetric, col(EditMetric.review_id) == col(Review.id))
        .where(col(Review.decision) == Decision.APPROVE.value, col(EditMetric.id).is_(None))
        .order_by(col(Review.id))
        .limit(limit)
    )
    return [int(i) for i in session.execute(stmt).scalars()]
