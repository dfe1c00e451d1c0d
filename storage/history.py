"""The team lead's approval history: every approved or rejected draft, filtered, paged, exported, traced.

A history row is one draft and its latest decisive review (approve or
reject); a "request changes" is part of the trail, not a row. Pages are
keyset-paged like the inbox (`HistoryRow.cursor`), so the millionth row costs
what the first does. Full-text search covers the final text: approved
replies through the FTS5 table / GIN index the app already keeps for them,
rejected drafts (few) by a plain substring match of every word.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.models import (
    ApprovedReply,
    AuthorKind,
    ContextSnapshot,
    Customer,
    Decision,
    DeliveryAttempt,
    Draft,
    EditMetric,
    Interaction,
    OutboxMessage,
    Review,
    Revision,
    User,
    UTCDateTime,
    WorkItem,
)
from storage.search import query_terms

SortKey = Literal["approved_at", "approved_at_asc", "edit_pct", "edit_pct_asc", "customer"]
SORT_KEYS: tuple[SortKey, ...] = ("approved_at", "approved_at_asc", "edit_pct", "edit_pct_asc", "customer")
HistoryCursor = tuple[Any, int]
"""(the sort column's value, review id) of the last row of a page."""

DECISIVE = (Decision.APPROVE.value, Decision.REJECT.value)
EXPORT_FIELDS = (
    "draft_id",
    "item_id",
    "customer_id",
    "channel",
    "author",
    "approver",
    "approved_at",
    "ai_text",
    "final_text",
    "edit_pct",
    "hash",
    "findings_overridden",
    "commitments",
    "delivery_state",
    "sent_at",
)
"""DESIGN.md "History export", in order."""
EXPORT_CHUNK = 20000
DRIVE_LIMIT = 2000
"""Up to this many matching drafts, a filter's index drives the query; beyond, the time order does."""
CUSTOMER_SPAN = 64
"""Customers in the first range of names read for the customer sort."""
"""Up to this many matching drafts, a filter's index drives the query; beyond, the time order does."""


@dataclass(frozen=True)
class HistoryFilter:
    """What the lead narrows the history to; None (or empty) means "any"."""

    agent: str | None = None
    """The draft's author (user name)."""
    approver: str | None = None
    channel: str | None = None
    customer: str | None = None
    """A customer_id exactly, or part of the customer's name."""
    date_from: datetime | None = None
    """Decided at or after this instant."""
    date_to: datetime | None = None
    """Decided before this instant."""
    escalated: bool | None = None
    had_commitments: bool | None = None
    edit_pct_min: float | None = None
    edit_pct_max: float | None = None
    finding_code: str | None = None
    """A finding code the approver overrode."""
    text: str | None = None
    """Words that must all appear in the final text."""
    sort: SortKey = "approved_at"


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history: a draft and the decision that closed it."""

    draft_id: int
    review_id: int
    item_id: int | None
    customer_id: str
    customer_name: str
    channel: str
    author: str
    approver: str
    decision: str
    decided_at: datetime
    edit_pct: float | None
    escalated: bool
    findings_overridden: tuple[str, ...]
    had_commitments: bool
    delivery_state: str
    sent_at: datetime | None
    cursor: HistoryCursor = field(compare=False)


@dataclass(frozen=True)
class TrailRevision:
    id: int
    seq: int
    author_kind: str
    kind: str
    author: str
    subject: str
    body: str
    created_at: datetime
    content_hash: str
    hash: str


@dataclass(frozen=True)
class TrailReview:
    seq: int
    reviewer: str
    decision: str
    reason: str
    revision_seq: int
    content_hash: str
    created_at: datetime
    since_first_revision: timedelta
    since_received: timedelta | None
    acknowledged: tuple[str, ...]


@dataclass(frozen=True)
class TrailOverride:
    code: str
    by: str
    at: datetime


@dataclass(frozen=True)
class TrailAttempt:
    attempt: int
    outcome: str
    detail: str
    actor: str
    created_at: datetime


@dataclass(frozen=True)
class TrailDelivery:
    outbox_id: int
    review_id: int
    transport: str
    recipients: str
    message_id: str
    state: str
    attempts: int
    last_error: str
    sent_at: datetime | None
    sent_by: str
    tries: tuple[TrailAttempt, ...]


@dataclass(frozen=True)
class Trail:
    """Everything that happened to one draft, for the lead's review and the PDF."""

    draft_id: int
    item_id: int | None
    customer_id: str
    customer_name: str
    channel: str
    author: str
    escalated: bool
    received_at: datetime | None
    incoming: str
    ai_subject: str
    ai_text: str
    final_subject: str
    final_text: str
    revisions: tuple[TrailRevision, ...]
    reviews: tuple[TrailReview, ...]
    snapshots: tuple[str, ...]
    """The context JSON each generation was given, oldest first."""
    overrides: tuple[TrailOverride, ...]
    commitments: tuple[str, ...]
    deliveries: tuple[TrailDelivery, ...]


# -- the query ---------------------------------------------------------------------


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def _json_list(value: str | None) -> list[str]:
    if not value or value == "[]":
        return []
    try:
        loaded = json.loads(value)
    except ValueError:
        return [value]
    return [str(v) for v in loaded] if isinstance(loaded, list) else [str(loaded)]


_EMPTY_LIST = ("", "[]")


def _decisive() -> Any:
    """Reviews that approve or reject, with no later approve or reject of the same draft."""
    later = aliased(Review, name="later")
    newer = (
        sa.select(sa.literal(1))
        .where(
            col(later.draft_id) == col(Review.draft_id),
            col(later.seq) > col(Review.seq),
            col(later.decision).in_(DECISIVE),
        )
        .exists()
    )
    return sa.and_(col(Review.decision).in_(DECISIVE), ~newer)


def _sort_column(sort: SortKey) -> tuple[Any, bool]:
    """(expression, descending) for a sort key."""
    if sort in ("approved_at", "approved_at_asc"):
        return col(Review.created_at), sort == "approved_at"
    if sort in ("edit_pct", "edit_pct_asc"):
        # Rejections have no edit metric; they sort as -1, below an untouched draft.
        return sa.func.coalesce(col(EditMetric.edit_pct), -1.0), sort == "edit_pct"
    if sort == "customer":
        return col(Customer.name), False
    raise ValueError(f"unknown sort {sort!r}: use one of {', '.join(SORT_KEYS)}")


def _cursor_literal(sort: SortKey, value: Any) -> Any:
    if sort in ("approved_at", "approved_at_asc"):
        return sa.literal(value, UTCDateTime())
    if sort in ("edit_pct", "edit_pct_asc"):
        return sa.literal(value, sa.Float())
    return sa.literal(value, sa.String())


def _had_commitments() -> Any:
    return sa.or_(
        col(Review.acknowledged).not_in(_EMPTY_LIST),
        sa.and_(col(EditMetric.id).is_not(None), col(EditMetric.commitments_added).not_in(_EMPTY_LIST)),
    )


def _text_clause(session: Session, text: str, *, per_row: bool = True) -> Any | None:
    """Rows whose final text holds every word of `text`; None when `text` has no words."""
    terms = query_terms(text)
    if not terms:
        return None
    if session.get_bind().dialect.name == "postgresql":
        tsquery = " & ".join(f"'{term}'" for term in terms)  # terms hold no quotes: see storage.search
        query = sa.func.to_tsquery("simple", tsquery)
        # The first match is the GIN index's expression (so the index is used); the second keeps the body only.
        document = sa.func.to_tsvector(
            "simple", col(ApprovedReply.incoming).op("||")(" ").op("||")(col(ApprovedReply.body))
        )
        approved = sa.select(col(ApprovedReply.revision_id)).where(
            document.op("@@")(query), sa.func.to_tsvector("simple", col(ApprovedReply.body)).op("@@")(query)
        )
    else:
        # A column filter keeps the match to the reply's body; quoted terms cannot be read as syntax.
        match = "body : (" + " AND ".join(f'"{term}"' for term in terms) + ")"
        hits = sa.text("SELECT rowid FROM approvedreply_fts WHERE approvedreply_fts MATCH :match").bindparams(
            match=match
        )
        approved = sa.select(col(ApprovedReply.revision_id)).where(col(ApprovedReply.id).in_(hits))
        # Per row, through approvedreply's revision_id index: the hits are listed once, as ids, and a page
        # walks the time order until it is full instead of looking up every hit's revision first.
        hit: Any = (
            sa.select(sa.literal(1))
            .where(col(ApprovedReply.revision_id) == col(Review.revision_id), col(ApprovedReply.id).in_(hits))
            .exists()
        )
    final = aliased(Revision, name="final")
    rejected_match = (
        sa.select(sa.literal(1))
        .where(
            col(final.id) == col(Review.revision_id),
            *(col(final.body).icontains(term, autoescape=True) for term in terms),
        )
        .exists()
    )
    if session.get_bind().dialect.name == "postgresql" or not per_row:
        # A count visits every row anyway: then one list of the hits' revisions serves them all.
        hit = col(Review.revision_id).in_(approved)
    return sa.or_(
        sa.and_(col(Review.decision) == Decision.APPROVE.value, hit),
        sa.and_(col(Review.decision) == Decision.REJECT.value, rejected_match),
    )


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _unindexed(session: Session, expr: Any) -> Any:
    """`expr` (a numeric column) in a form SQLite will not look up through its index.

    SQLite plans without statistics: given an index on a filter column it
    drives the query from it and sorts every match, even when the filter
    keeps thousands of rows and walking the time index would stop after a
    page. PostgreSQL has statistics and chooses for itself.
    """
    return expr + 0 if _sqlite(session) else expr


def _few(session: Session, condition: Any) -> bool:
    """Whether at most DRIVE_LIMIT drafts meet `condition` (counted through its index, stopping early)."""
    sample = sa.select(sa.literal(1)).select_from(Draft).where(condition).limit(DRIVE_LIMIT + 1).subquery()
    return int(session.execute(sa.select(sa.func.count()).select_from(sample)).scalar_one()) <= DRIVE_LIMIT


@dataclass(frozen=True)
class _Plan:
    """A filter resolved against the database: conditions, and the tables they read."""

    where: tuple[Any, ...]
    metric: bool
    """Some condition reads EditMetric."""
    item: bool
    """Some condition reads WorkItem."""
    draft: bool
    """Some condition reads Draft."""
    empty: bool
    """No row can match (an unknown agent, no such customer)."""


def _plan(session: Session, flt: HistoryFilter, *, count: bool = False) -> _Plan:  # noqa: PLR0912  # one branch per filter field
    where: list[Any] = [_decisive()]
    draft = item = metric = empty = False
    if flt.agent:
        # The name resolved first: drafts are then read through their author index, or not (see _unindexed).
        author_id = session.execute(sa.select(col(User.id)).where(col(User.name) == flt.agent)).scalar()
        if author_id is None:
            empty = True
        else:
            by_author = col(Draft.author_id) == author_id
            where.append(
                by_author if _few(session, by_author) else _unindexed(session, col(Draft.author_id)) == author_id
            )
            draft = True
    if flt.approver:
        where.append(col(Review.reviewer) == flt.approver)
    if flt.channel:
        where.append(col(Draft.channel) == flt.channel)
        draft = True
    if flt.customer:
        # Customers are few next to drafts: name them first, then choose how to find their drafts.
        matching = sa.select(col(Customer.id)).where(
            sa.or_(
                col(Customer.customer_id) == flt.customer,
                col(Customer.name).icontains(flt.customer, autoescape=True),
            )
        )
        ids = list(session.execute(matching.limit(DRIVE_LIMIT + 1)).scalars())
        if not ids:
            empty = True
        elif len(ids) <= DRIVE_LIMIT and _few(session, col(Draft.customer_id).in_(ids)):
            where.append(col(Draft.customer_id).in_(ids))
        else:
            where.append(_unindexed(session, col(Draft.customer_id)).in_(matching))
        draft = True
    if flt.date_from is not None:
        where.append(col(Review.created_at) >= sa.literal(flt.date_from, UTCDateTime()))
    if flt.date_to is not None:
        where.append(col(Review.created_at) < sa.literal(flt.date_to, UTCDateTime()))
    if flt.escalated is not None:
        where.append(sa.func.coalesce(col(WorkItem.escalated), sa.false()) == flt.escalated)
        draft = item = True
    if flt.had_commitments is not None:
        where.append(_had_commitments() if flt.had_commitments else ~_had_commitments())
        metric = True
    if flt.edit_pct_min is not None:
        where.append(_unindexed(session, col(EditMetric.edit_pct)) >= flt.edit_pct_min)
        metric = True
    if flt.edit_pct_max is not None:
        where.append(_unindexed(session, col(EditMetric.edit_pct)) <= flt.edit_pct_max)
        metric = True
    if flt.finding_code:
        codes = sa.literal(",").op("||")(col(EditMetric.findings_overridden)).op("||")(sa.literal(","))
        where.append(codes.contains(f",{flt.finding_code},", autoescape=True))
        metric = True
    if flt.text:
        clause = _text_clause(session, flt.text, per_row=not count)
        if clause is not None:
            where.append(clause)
    return _Plan(tuple(where), metric, item, draft, empty)


def _filtered(
    session: Session, plan: _Plan, columns: Sequence[Any], *, full: bool = True, measured: bool = False
) -> tuple[Any, Any]:
    """The history's joins and `plan`'s conditions; also returns the author alias for its name column.

    `full` joins every table a row shows; otherwise only those the conditions read (a count needs no more:
    every join is to at most one row, and Draft and Customer always exist).
    """
    author = aliased(User, name="author")
    stmt = sa.select(*columns).select_from(Review)
    if full or plan.draft or plan.item:
        stmt = stmt.join(Draft, col(Draft.id) == col(Review.draft_id))
    if full or plan.item:
        stmt = stmt.outerjoin(WorkItem, col(WorkItem.id) == col(Draft.work_item_id))
    if measured:
        # An inner join lets the planner start from the edit % index.
        stmt = stmt.join(EditMetric, col(EditMetric.review_id) == col(Review.id))
    elif full or plan.metric:
        stmt = stmt.outerjoin(EditMetric, col(EditMetric.review_id) == col(Review.id))
    if full:
        stmt = (
            stmt.outerjoin(author, col(author.id) == col(Draft.author_id))
            .join(Customer, col(Customer.id) == col(Draft.customer_id))
            .outerjoin(OutboxMessage, col(OutboxMessage.review_id) == col(Review.id))
        )
    return stmt.where(*plan.where), author


def _page_stmt(session: Session, plan: _Plan, flt: HistoryFilter, *, measured: bool = False) -> tuple[Any, Any]:
    """The row columns under `plan`, plus the sort key as the last column."""
    key, _ = _sort_column(flt.sort)
    stmt, author = _filtered(session, plan, (), measured=measured)
    stmt = stmt.with_only_columns(
        col(Review.draft_id),
        col(Review.id),
        col(Draft.work_item_id),
        col(Customer.customer_id),
        col(Customer.name),
        col(Draft.channel),
        col(author.name),
        col(Review.reviewer),
        col(Review.decision),
        col(Review.created_at),
        col(EditMetric.edit_pct),
        col(WorkItem.escalated),
        col(EditMetric.findings_overridden),
        _had_commitments(),
        col(OutboxMessage.state),
        col(OutboxMessage.sent_at),
        key,
        maintain_column_froms=True,
    )
    return stmt, key


def _after(key: Any, tiebreak: Any, value: Any, review_id: int, *, descending: bool) -> Any:
    here = sa.tuple_(key, tiebreak)
    there = sa.tuple_(value, sa.literal(review_id, sa.Integer()))
    return here < there if descending else here > there


def _keyed_rows(session: Session, stmt: Any, key: Any, tiebreak: Any, *, descending: bool, limit: int) -> list[Any]:
    order = (key.desc(), tiebreak.desc()) if descending else (key.asc(), tiebreak.asc())
    return list(session.execute(stmt.order_by(*order).limit(limit)).all())


def _edit_rows(session: Session, plan: _Plan, flt: HistoryFilter, after: HistoryCursor | None, limit: int) -> list[Any]:
    """Rows in edit % order, read as two runs so the measured ones come through ix_editmetric_edit_pct.

    Edit % is never negative (drafting.metrics), so rows without a metric (rejections, unmeasured
    approvals), whose key is -1, all sort below the measured ones, among themselves by review id.
    """
    descending = flt.sort == "edit_pct"
    stmt, _ = _page_stmt(session, plan, flt)
    pct, metric_review = col(EditMetric.edit_pct), col(EditMetric.review_id)
    measured, _ = _page_stmt(session, plan, flt, measured=True)
    unmeasured = stmt.where(col(EditMetric.id).is_(None))
    in_measured = after is not None and after[0] > -1

    def measured_run(n: int) -> list[Any]:
        run = measured
        if in_measured and after is not None:
            run = run.where(
                _after(pct, metric_review, sa.literal(after[0], sa.Float()), after[1], descending=descending)
            )
        return _keyed_rows(session, run, pct, metric_review, descending=descending, limit=n)

    def unmeasured_run(n: int) -> list[Any]:
        run = unmeasured
        if after is not None and not in_measured:
            run = run.where(col(Review.id) < after[1] if descending else col(Review.id) > after[1])
        by_id = col(Review.id)
        return list(session.execute(run.order_by(by_id.desc() if descending else by_id.asc()).limit(n)).all())

    if descending:
        rows = measured_run(limit) if after is None or in_measured else []
        return rows + unmeasured_run(limit - len(rows)) if len(rows) < limit else rows
    rows = [] if in_measured else unmeasured_run(limit)
    return rows + measured_run(limit - len(rows)) if len(rows) < limit else rows


def _customer_rows(
    session: Session, plan: _Plan, flt: HistoryFilter, after: HistoryCursor | None, limit: int
) -> list[Any]:
    """Rows in customer-name order, read a growing range of names at a time.

    A range of names makes every database walk the customer name index and each customer's drafts,
    instead of sorting the whole history to keep a page; every customer of the range's last name is in it.
    """
    stmt, key = _page_stmt(session, plan, flt)
    rows: list[Any] = []
    low: str | None = None
    span = CUSTOMER_SPAN
    while len(rows) < limit:
        names = sa.select(col(Customer.name)).order_by(col(Customer.name)).offset(span - 1).limit(1)
        run = stmt
        if low is not None:
            names = names.where(col(Customer.name) > low)
            run = run.where(col(Customer.name) > low)
        elif after is not None:
            names = names.where(col(Customer.name) >= after[0])
            run = run.where(
                col(Customer.name) >= after[0],
                _after(key, col(Review.id), _cursor_literal(flt.sort, after[0]), after[1], descending=False),
            )
        else:
            # A lower bound too, or SQLite would rather walk every decision than the name index.
            run = run.where(col(Customer.name) >= session.execute(sa.select(sa.func.min(col(Customer.name)))).scalar())
        high = session.execute(names).scalar()
        if high is not None:
            run = run.where(col(Customer.name) <= high)
        rows += _keyed_rows(session, run, key, col(Review.id), descending=False, limit=limit - len(rows))
        if high is None:
            break
        low, span = high, span * 4
    return rows


def history_page(
    session: Session, *, flt: HistoryFilter | None = None, after: HistoryCursor | None = None, limit: int = 200
) -> list[HistoryRow]:
    """One page of the history in `flt.sort` order; pass the last row's `cursor` as `after` for the next."""
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    flt = flt or HistoryFilter()
    key, descending = _sort_column(flt.sort)
    plan = _plan(session, flt)
    if plan.empty or limit == 0:
        return []
    if flt.sort in ("edit_pct", "edit_pct_asc"):
        rows = _edit_rows(session, plan, flt, after, limit)
    elif flt.sort == "customer":
        rows = _customer_rows(session, plan, flt, after, limit)
    else:
        stmt, key = _page_stmt(session, plan, flt)
        if after is not None:
            stmt = stmt.where(
                _after(key, col(Review.id), _cursor_literal(flt.sort, after[0]), after[1], descending=descending)
            )
        rows = _keyed_rows(session, stmt, key, col(Review.id), descending=descending, limit=limit)
    return [
        HistoryRow(
            draft_id=int(r[0]),
            review_id=int(r[1]),
            item_id=r[2],
            customer_id=r[3],
            customer_name=r[4],
            channel=r[5],
            author=r[6] or "",
            approver=r[7],
            decision=r[8],
            decided_at=r[9],
            edit_pct=None if r[10] is None else float(r[10]),
            escalated=bool(r[11]),
            findings_overridden=_split(r[12]),
            had_commitments=bool(r[13]),
            delivery_state=r[14] or "",
            sent_at=r[15],
            cursor=(r[16], int(r[1])),
        )
        for r in rows
    ]


def history_count(session: Session, *, flt: HistoryFilter | None = None) -> int:
    """How many rows the history holds under `flt`."""
    flt = flt or HistoryFilter()
    plan = _plan(session, flt, count=True)
    if plan.empty:
        return 0
    if len(plan.where) == 1:
        # Unfiltered: every decisive review, less those a later one replaced. Only a review after the
        # first can replace another, so the per-row check runs on those few, not on every decision.
        decisive = col(Review.decision).in_(DECISIVE)
        earlier = aliased(Review, name="earlier")
        replacing = (
            sa.select(sa.literal(1))
            .where(
                col(earlier.draft_id) == col(Review.draft_id),
                col(earlier.seq) < col(Review.seq),
                col(earlier.decision).in_(DECISIVE),
            )
            .exists()
        )
        total = session.execute(sa.select(sa.func.count()).select_from(Review).where(decisive)).scalar_one()
        replaced = session.execute(
            sa.select(sa.func.count()).select_from(Review).where(decisive, col(Review.seq) > 1, replacing)
        ).scalar_one()
        return int(total) - int(replaced)
    stmt, _ = _filtered(session, plan, (sa.func.count(),), full=False)
    return int(session.execute(stmt).scalar_one())


# -- export ------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _commitments(acknowledged: str, added: str | None, final_text: str) -> list[str]:
    """The commitments a person stood behind: acknowledged spans read back from the text, then those they added."""
    found: dict[str, None] = {}
    for token in _json_list(acknowledged):
        code, _, span = token.partition("@")
        start, _, end = span.partition("-")
        if code == "commitment" and start.isdigit() and end.isdigit():
            found.setdefault(" ".join(final_text[int(start) : int(end)].split()) or token, None)
        else:
            found.setdefault(token, None)
    for sentence in _json_list(added):
        found.setdefault(sentence, None)
    return list(found)


def export_rows(
    session: Session, *, since: datetime | None = None, flt: HistoryFilter | None = None
) -> Iterator[dict[str, Any]]:
    """DESIGN.md's "History export" rows, oldest decision first, read EXPORT_CHUNK at a time.

    Values are JSON-ready: times as ISO 8601 strings, lists as lists.
    """
    base = flt or HistoryFilter()
    if since is not None and (base.date_from is None or since > base.date_from):
        base = HistoryFilter(**{**base.__dict__, "date_from": since})
    base = HistoryFilter(**{**base.__dict__, "sort": "approved_at_asc"})
    final = aliased(Revision, name="final_rev")
    ai = aliased(Revision, name="ai_rev")
    ai_body = (
        sa.select(col(ai.body))
        .where(col(ai.draft_id) == col(Review.draft_id), col(ai.author_kind) == AuthorKind.AI.value)
        .order_by(col(ai.seq))
        .limit(1)
        .scalar_subquery()
    )
    after: HistoryCursor | None = None
    plan = _plan(session, base)
    if plan.empty:
        return
    while True:
        stmt, author = _filtered(session, plan, ())
        stmt = stmt.join(final, col(final.id) == col(Review.revision_id)).with_only_columns(
            col(Review.draft_id),
            col(Draft.work_item_id),
            col(Customer.customer_id),
            col(Draft.channel),
            col(author.name),
            col(Review.reviewer),
            col(Review.created_at),
            ai_body,
            col(final.body),
            col(EditMetric.edit_pct),
            col(Review.content_hash),
            col(EditMetric.findings_overridden),
            col(Review.acknowledged),
            col(EditMetric.commitments_added),
            col(OutboxMessage.state),
            col(OutboxMessage.sent_at),
            col(Review.id),
            maintain_column_froms=True,
        )
        if after is not None:
            stmt = stmt.where(
                sa.tuple_(col(Review.created_at), col(Review.id))
                > sa.tuple_(sa.literal(after[0], UTCDateTime()), sa.literal(after[1], sa.Integer()))
            )
        rows = session.execute(stmt.order_by(col(Review.created_at), col(Review.id)).limit(EXPORT_CHUNK)).all()
        for r in rows:
            final_text = r[8]
            yield {
                "draft_id": int(r[0]),
                "item_id": r[1],
                "customer_id": r[2],
                "channel": r[3],
                "author": r[4] or "",
                "approver": r[5],
                "approved_at": _iso(r[6]),
                "ai_text": r[7] if r[7] is not None else "",
                "final_text": final_text,
                "edit_pct": None if r[9] is None else float(r[9]),
                "hash": r[10],
                "findings_overridden": list(_split(r[11])),
                "commitments": _commitments(r[12], r[13], final_text),
                "delivery_state": r[14] or "",
                "sent_at": _iso(r[15]),
            }
        if len(rows) < EXPORT_CHUNK:
            return
        after = (rows[-1][6], int(rows[-1][16]))


# -- one item's trail --------------------------------------------------------------


def item_trail(session: Session, *, draft_id: int) -> Trail:
    """The whole story of one draft; raises LookupError when there is no such draft."""
    found = session.execute(
        sa.select(Draft, Customer, col(User.name))
        .join(Customer, col(Customer.id) == col(Draft.customer_id))
        .outerjoin(User, col(User.id) == col(Draft.author_id))
        .where(col(Draft.id) == draft_id)
    ).first()
    if found is None:
        raise LookupError(f"draft {draft_id} does not exist")
    draft, customer, author = found
    item = session.get(WorkItem, draft.work_item_id) if draft.work_item_id is not None else None
    incoming = ""
    if item is not None:
        message = session.get(Interaction, item.interaction_id)
        incoming = message.body if message is not None else ""

    revisions = tuple(
        TrailRevision(
            id=int(r.id or 0),
            seq=r.seq,
            author_kind=r.author_kind,
            kind=r.kind,
            author=r.author,
            subject=r.subject,
            body=r.body,
            created_at=r.created_at,
            content_hash=r.content_hash,
            hash=r.hash,
        )
        for r in session.execute(
            sa.select(Revision).where(col(Revision.draft_id) == draft_id).order_by(col(Revision.seq))
        ).scalars()
    )
    by_id = {r.id: r for r in revisions}
    ai = next((r for r in revisions if r.author_kind == AuthorKind.AI.value), revisions[0] if revisions else None)
    first_at = revisions[0].created_at if revisions else draft.created_at

    review_rows = list(
        session.execute(sa.select(Review).where(col(Review.draft_id) == draft_id).order_by(col(Review.seq))).scalars()
    )
    reviews = tuple(
        TrailReview(
            seq=r.seq,
            reviewer=r.reviewer,
            decision=r.decision,
            reason=r.reason,
            revision_seq=by_id[r.revision_id].seq if r.revision_id in by_id else 0,
            content_hash=r.content_hash,
            created_at=r.created_at,
            since_first_revision=r.created_at - first_at,
            since_received=(r.created_at - item.received_at) if item is not None else None,
            acknowledged=tuple(_json_list(r.acknowledged)),
        )
        for r in review_rows
    )
    decisive = [r for r in review_rows if r.decision in DECISIVE]
    final_rev = by_id.get(decisive[-1].revision_id) if decisive else (revisions[-1] if revisions else None)

    metrics = session.execute(
        sa.select(EditMetric, col(Review.reviewer))
        .join(Review, col(Review.id) == col(EditMetric.review_id))
        .where(col(EditMetric.draft_id) == draft_id)
        .order_by(col(EditMetric.id))
    ).all()
    overrides = tuple(
        TrailOverride(code=code, by=reviewer, at=metric.created_at)
        for metric, reviewer in metrics
        for code in _split(metric.findings_overridden)
    )
    commitments: dict[str, None] = {}
    for r in review_rows:
        text = by_id[r.revision_id].body if r.revision_id in by_id else ""
        metric_added = next((m.commitments_added for m, _ in metrics if m.review_id == r.id), None)
        for c in _commitments(r.acknowledged, metric_added, text):
            commitments.setdefault(c, None)

    snapshots = tuple(
        session.execute(
            sa.select(col(ContextSnapshot.data))
            .where(col(ContextSnapshot.draft_id) == draft_id)
            .order_by(col(ContextSnapshot.id))
        ).scalars()
    )
    outbox = list(
        session.execute(
            sa.select(OutboxMessage).where(col(OutboxMessage.draft_id) == draft_id).order_by(col(OutboxMessage.id))
        ).scalars()
    )
    tries: dict[int, list[TrailAttempt]] = {}
    if outbox:
        for a in session.execute(
            sa.select(DeliveryAttempt)
            .where(col(DeliveryAttempt.outbox_id).in_([o.id for o in outbox]))
            .order_by(col(DeliveryAttempt.id))
        ).scalars():
            tries.setdefault(a.outbox_id, []).append(
                TrailAttempt(a.attempt, a.outcome, a.detail, a.actor, a.created_at)
            )
    deliveries = tuple(
        TrailDelivery(
            outbox_id=int(o.id or 0),
            review_id=o.review_id,
            transport=o.transport,
            recipients=o.recipients,
            message_id=o.message_id,
            state=o.state,
            attempts=o.attempts,
            last_error=o.last_error,
            sent_at=o.sent_at,
            sent_by=o.sent_by,
            tries=tuple(tries.get(int(o.id or 0), ())),
        )
        for o in outbox
    )
    return Trail(
        draft_id=draft_id,
        item_id=draft.work_item_id,
        customer_id=customer.customer_id,
        customer_name=customer.name,
        channel=draft.channel,
        author=author or "",
        escalated=bool(item.escalated) if item is not None else False,
        received_at=item.received_at if item is not None else None,
        incoming=incoming,
        ai_subject=ai.subject if ai is not None else "",
        ai_text=ai.body if ai is not None else "",
        final_subject=final_rev.subject if final_rev is not None else "",
        final_text=final_rev.body if final_rev is not None else "",
        revisions=revisions,
        reviews=reviews,
        snapshots=snapshots,
        overrides=overrides,
        commitments=tuple(commitments),
        deliveries=deliveries,
    )
