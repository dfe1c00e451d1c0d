"""When an approved outreach draft may go out: after its batch's start, at its rate, in the customer's daytime.

`plan_slot` is pure: it takes the times already taken and returns the earliest
instant that respects all three rules. `send_slot` reads those from the
database for one draft. The outbox then holds the row until that instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from storage.models import Customer, Draft, OutboxMessage, OutboxState, OutreachBatch

_TAKEN_STATES = (
    OutboxState.QUEUED.value,
    OutboxState.SENDING.value,
    OutboxState.SENT.value,
    OutboxState.UNCERTAIN.value,
)


@dataclass(frozen=True)
class SendPlan:
    """When a batch draft goes out, in which time zone that was judged, and whether that zone was assumed."""

    at: datetime
    timezone: str
    assumed: bool
    """True when the customer's zone is unknown and UTC was used instead."""

    @property
    def note(self) -> str:
        """One line for the person approving: where the time came from."""
        if self.assumed:
            return "the customer's time zone is unknown: their sending window was taken in UTC"
        return f"inside the customer's sending window ({self.timezone})"


def customer_zone(name: str) -> tuple[tzinfo, bool]:
    """The customer's zone and whether it is known; an empty or unknown name gives (UTC, False)."""
    if not name.strip():
        return UTC, False
    try:
        return ZoneInfo(name.strip()), True
    except (ZoneInfoNotFoundError, ValueError):
        return UTC, False


def _in_window(moment: datetime, zone: tzinfo, start_hour: int, end_hour: int) -> datetime:
    """`moment` if it falls in [start_hour, end_hour) local time, else the next local start_hour."""
    local = moment.astimezone(zone)
    if start_hour <= local.hour < end_hour:
        return moment
    day = local.date() if local.hour < start_hour else local.date() + timedelta(days=1)
    opening = datetime(day.year, day.month, day.day, start_hour, tzinfo=zone).astimezone(UTC)
    # A daylight-saving jump can make that wall time land an hour off: step until it is inside.
    while not (start_hour <= opening.astimezone(zone).hour < end_hour):
        opening += timedelta(minutes=30)
    return opening.astimezone(UTC)


def plan_slot(
    *,
    now: datetime,
    send_after: datetime | None,
    zone: tzinfo,
    window: tuple[int, int],
    rate_per_hour: int,
    taken: Sequence[datetime],
) -> datetime:
    """The earliest instant ≥ max(now, send_after) in the local window and at least 1/rate from every taken time."""
    start_hour, end_hour = window
    moment = max(now, send_after) if send_after is not None else now
    moment = moment.astimezone(UTC)
    gap = timedelta(hours=1) / rate_per_hour if rate_per_hour > 0 else timedelta(0)
    ordered = sorted(t.astimezone(UTC) for t in taken)
    # Each pass either returns or moves past one taken time or one closed window: it ends.
    for _ in range(2 * len(ordered) + 800):
        moment = _in_window(moment, zone, start_hour, end_hour)
        clash = next((t for t in ordered if gap and abs(moment - t) < gap), None)
        if clash is None:
            return moment
        moment = clash + gap
    raise ValueError("no sending slot found")


def send_plan(session: Session, *, draft: Draft, now: datetime) -> SendPlan | None:
    """The send plan of a batch draft; None for a draft that is not part of a batch."""
    if draft.batch_id is None:
        return None
    batch = session.get(OutreachBatch, draft.batch_id)
    if batch is None:
        return None
    customer = session.get(Customer, draft.customer_id)
    zone, known = customer_zone(customer.timezone if customer else "")
    rows = session.exec(
        select(OutboxMessage.next_attempt_at, OutboxMessage.sent_at, OutboxMessage.created_at)
        .join(Draft, col(Draft.id) == col(OutboxMessage.draft_id))
        .where(
            Draft.batch_id == batch.id,
            col(OutboxMessage.draft_id) != draft.id,
            col(OutboxMessage.state).in_(_TAKEN_STATES),
        )
    ).all()
    taken = [sent or nxt or created for nxt, sent, created in rows]
    send_after = batch.send_after
    if send_after is not None and send_after.tzinfo is None:
        send_after = send_after.replace(tzinfo=UTC)
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    at = plan_slot(
        now=moment,
        send_after=send_after,
        zone=zone,
        window=(batch.window_start_hour, batch.window_end_hour),
        rate_per_hour=batch.rate_per_hour,
        taken=[t if t.tzinfo else t.replace(tzinfo=UTC) for t in taken],
    )
    return SendPlan(at=at, timezone=str(zone) if known else "UTC", assumed=not known)


def send_slot(session: Session, *, draft: Draft, now: datetime) -> datetime | None:
    """The earliest time a batch draft may be sent; None for a draft that is not part of a batch."""
    plan = send_plan(session, draft=draft, now=now)
    return plan.at if plan is not None else None
