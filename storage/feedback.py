"""Frontline feedback: tagged notes agents attach to items, and what leads read from them.

Tags are kept lower-case, trimmed and unique, stored comma-separated in
`FeedbackNote.tags` with no spaces around the commas, so one tag can be matched
as `,tag,` inside `,` + tags + `,`. Notes are never edited; adding one records
an audit event.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col

from storage.chain import record_event
from storage.database import Database
from storage.models import Customer, FeedbackNote, User, WorkItem, utcnow

MAX_TAGS = 8
MAX_TAG_CHARS = 40
MAX_BODY_CHARS = 4000
TAGS_COLUMN_CHARS = 500
"""`FeedbackNote.tags` holds at most this many characters (commas included)."""

Bucket = Literal["day", "week", "month"]
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")

_SPACES = re.compile(r"\s+")
_LIKE_SPECIAL = re.compile(r"([\\%_])")


class FeedbackError(ValueError):
    """A note that cannot be kept as given; the message is one line a person can act on."""


@dataclass(frozen=True)
class Note:
    """One feedback note as the UI shows it."""

    id: int
    author: str
    body: str
    tags: tuple[str, ...]
    created_at: datetime
    work_item_id: int | None
    customer_id: int | None
    customer_name: str

    @property
    def cursor(self) -> NoteCursor:
        return NoteCursor(self.created_at, self.id)


@dataclass(frozen=True)
class NoteCursor:
    """Where a page of notes ended (newest first): the next page starts strictly after it."""

    created_at: datetime
    id: int


@dataclass(frozen=True)
class TagSeries:
    """How many notes carried each tag in each period, oldest period first."""

    bucket: Bucket
    periods: tuple[datetime, ...]
    """The start of each period, in UTC."""
    counts: dict[str, tuple[int, ...]]
    """Per tag, one count per period; tags ordered by their total, largest first."""

    def total(self, tag: str) -> int:
        return sum(self.counts.get(tag, ()))


# -- tags ------------------------------------------------------------------------------------------


def normalise_tags(tags: str | Iterable[str]) -> tuple[str, ...]:
    """Tags lower-cased, trimmed, inner spaces collapsed, in the order given, each once.

    A string is split on commas. Raises FeedbackError for a tag that is too
    long, too many tags, or none at all.
    """
    items = tags.split(",") if isinstance(tags, str) else [p for t in tags for p in str(t).split(",")]
    seen: dict[str, None] = {}
    for raw in items:
        tag = _SPACES.sub(" ", raw.strip().lstrip("#")).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise FeedbackError(f"tag {tag[:20]!r}… is longer than {MAX_TAG_CHARS} characters")
        seen.setdefault(tag, None)
    if not seen:
        raise FeedbackError("a note needs at least one tag")
    if len(seen) > MAX_TAGS:
        raise FeedbackError(f"a note takes at most {MAX_TAGS} tags, not {len(seen)}")
    result = tuple(seen)
    if len(",".join(result)) > TAGS_COLUMN_CHARS:
        raise FeedbackError(f"the tags together are longer than {TAGS_COLUMN_CHARS} characters")
    return result


def split_tags(stored: str) -> tuple[str, ...]:
    """The tags of a stored note (older rows may have spaces after the commas)."""
    return tuple(t for t in (p.strip().lower() for p in stored.split(",")) if t)


# -- writing ---------------------------------------------------------------------------------------


def _note(row: FeedbackNote, customer_name: str) -> Note:
    return Note(
        id=int(row.id or 0),
        author=row.author,
        body=row.body,
        tags=split_tags(row.tags),
        created_at=row.created_at,
        work_item_id=row.work_item_id,
        customer_id=row.customer_id,
        customer_name=customer_name,
    )


def add_note(
    db: Database,
    *,
    author: str,
    body: str,
    tags: str | Iterable[str],
    work_item_id: int | None = None,
    customer_id: int | None = None,
    now: datetime | None = None,
) -> Note:
    """Keep a tagged note (about an item, a customer, or the team's work in general) and audit it.

    `customer_id` is the database id; with only an item, the note is about
    the item's customer too. Raises FeedbackError with a one-line reason.
    """
    text = body.strip()
    if not text:
        raise FeedbackError("the note is empty")
    if len(text) > MAX_BODY_CHARS:
        raise FeedbackError(f"the note is {len(text)} characters long; the most is {MAX_BODY_CHARS}")
    clean_tags = normalise_tags(tags)
    moment = now or utcnow()
    with db.write() as session:
        if session.execute(sa.select(col(User.id)).where(col(User.name) == author)).first() is None:
            raise FeedbackError(f"unknown user {author!r}")
        if work_item_id is not None:
            item = session.get(WorkItem, work_item_id)
            if item is None:
                raise FeedbackError(f"no work item {work_item_id}")
            if customer_id is None:
                customer_id = item.customer_id
        customer = session.get(Customer, customer_id) if customer_id is not None else None
        if customer_id is not None and customer is None:
            raise FeedbackError(f"no customer {customer_id}")
        row = FeedbackNote(
            work_item_id=work_item_id,
            customer_id=customer_id,
            author=author,
            tags=",".join(clean_tags),
            body=text,
            created_at=moment,
        )
        session.add(row)
        session.flush()
        record_event(
            session,
            action="feedback.added",
            actor=author,
            entity="feedbacknote",
            entity_id=int(row.id or 0),
            details={"tags": list(clean_tags), "work_item_id": work_item_id, "customer_id": customer_id},
            occurred_at=moment,
        )
        return _note(row, customer.name if customer is not None else "")


# -- reading ---------------------------------------------------------------------------------------


def _tag_match(tag: str) -> sa.ColumnElement[bool]:
    """Rows whose tags hold exactly `tag` (not a longer tag that contains it)."""
    escaped = _LIKE_SPECIAL.sub(r"\\\1", tag)
    padded = sa.literal(",") + sa.func.replace(col(FeedbackNote.tags), ", ", ",") + sa.literal(",")
    return padded.like(f"%,{escaped},%", escape="\\")


def notes_page(
    session: Session,
    *,
    tag: str | None = None,
    author: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    after: NoteCursor | None = None,
) -> list[Note]:
    """Notes newest first, optionally of one tag or author and since a time; `after` continues a page."""
    if limit < 0:  # SQLite reads a negative LIMIT as "no limit"
        raise ValueError(f"limit must be 0 or more, not {limit}")
    stmt = (
        sa.select(FeedbackNote, col(Customer.name))
        .outerjoin(Customer, col(Customer.id) == col(FeedbackNote.customer_id))
        .order_by(col(FeedbackNote.created_at).desc(), col(FeedbackNote.id).desc())
        .limit(limit)
    )
    if tag:
        stmt = stmt.where(_tag_match(normalise_tags(tag)[0]))
    if author:
        stmt = stmt.where(col(FeedbackNote.author) == author)
    if since is not None:
        stmt = stmt.where(col(FeedbackNote.created_at) >= since)
    if after is not None:
        stmt = stmt.where(
            sa.or_(
                col(FeedbackNote.created_at) < after.created_at,
                sa.and_(col(FeedbackNote.created_at) == after.created_at, col(FeedbackNote.id) < after.id),
            )
        )
    return [_note(row, name or "") for row, name in session.execute(stmt).all()]


def known_tags(session: Session, *, limit: int = 200) -> list[str]:
    """Every tag in use, most used first (ties alphabetical): what tag entry completes from."""
    counts: Counter[str] = Counter()
    result = session.execute(sa.select(col(FeedbackNote.tags)).execution_options(yield_per=2000))
    for (stored,) in result:
        counts.update(split_tags(stored))
    return [tag for tag, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def period_start(moment: datetime, bucket: Bucket, tz: tzinfo = UTC) -> datetime:
    """The start (midnight in `tz`) of the day, ISO week (Monday) or month holding `moment`, in `tz`'s calendar."""
    day = moment.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    if bucket == "day":
        return day
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")


def _next_period(start: datetime, bucket: Bucket) -> datetime:
    if bucket == "day":
        return start + timedelta(days=1)
    if bucket == "week":
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)


def periods_between(since: datetime, until: datetime, bucket: Bucket, tz: tzinfo = UTC) -> tuple[datetime, ...]:
    """The starts of every period from the one holding `since` to the one holding `until`, in `tz`'s calendar."""
    start, last = period_start(since, bucket, tz), period_start(until, bucket, tz)
    found = []
    while start <= last:
        found.append(start)
        start = _next_period(start, bucket)
    return tuple(found)


def tag_counts_over_time(
    session: Session,
    *,
    since: datetime,
    until: datetime | None = None,
    bucket: Bucket = "week",
    tags: Sequence[str] | None = None,
    tz: tzinfo = UTC,
) -> TagSeries:
    """Notes per tag per period from `since` to `until` (default: now); `tags` limits which tags count.

    Periods are days, weeks or months of `tz`'s calendar (the team's: a note at 00:30 there is that day's)."""
    end = until or utcnow()
    periods = periods_between(since, end, bucket, tz)
    index = {p: i for i, p in enumerate(periods)}
    wanted = {normalise_tags(t)[0] for t in tags} if tags else None
    counts: dict[str, list[int]] = {}
    stmt: Any = sa.select(col(FeedbackNote.tags), col(FeedbackNote.created_at)).where(
        col(FeedbackNote.created_at) >= since, col(FeedbackNote.created_at) <= end
    )
    for stored, created_at in session.execute(stmt):
        slot = index[period_start(created_at, bucket, tz)]
        for tag in split_tags(stored):
            if wanted is None or tag in wanted:
                counts.setdefault(tag, [0] * len(periods))[slot] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return TagSeries(bucket=bucket, periods=periods, counts={tag: tuple(c) for tag, c in ordered})
