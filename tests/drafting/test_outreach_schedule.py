"""When a batch draft may go out: never before its start, never faster than its rate, never at night locally."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.outreach_schedule import customer_zone, plan_slot

ZONES = ["Europe/Madrid", "Atlantic/Canary", "America/Mexico_City", "Europe/London", "Pacific/Auckland", "UTC"]
instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(
    now=instants,
    delay=st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5))),
    zone=st.sampled_from(ZONES),
    start=st.integers(min_value=0, max_value=22),
    length=st.integers(min_value=1, max_value=12),
    rate=st.integers(min_value=0, max_value=120),
    taken_offsets=st.lists(st.timedeltas(min_value=timedelta(hours=-3), max_value=timedelta(hours=30)), max_size=15),
)
def test_slot_respects_start_rate_and_local_window(
    now: datetime,
    delay: timedelta | None,
    zone: str,
    start: int,
    length: int,
    rate: int,
    taken_offsets: list[timedelta],
) -> None:
    end = min(start + length, 24)
    send_after = now + delay if delay is not None else None
    taken = [now + offset for offset in taken_offsets]
    tz = ZoneInfo(zone)
    slot = plan_slot(now=now, send_after=send_after, zone=tz, window=(start, end), rate_per_hour=rate, taken=taken)
    assert slot >= now and (send_after is None or slot >= send_after)
    assert start <= slot.astimezone(tz).hour < end
    if rate:
        gap = timedelta(hours=1) / rate
        assert all(abs(slot - t) >= gap for t in taken)


def test_never_three_in_the_morning_in_madrid() -> None:
    three_am_madrid = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    slot = plan_slot(
        now=three_am_madrid, send_after=None, zone=ZoneInfo("Europe/Madrid"), window=(9, 20), rate_per_hour=0, taken=[]
    )
    assert slot == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 09:00 in Madrid


def test_rate_spaces_messages_and_unknown_zone_is_utc() -> None:
    now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    first = plan_slot(now=now, send_after=None, zone=UTC, window=(9, 20), rate_per_hour=4, taken=[now])
    assert first == now + timedelta(minutes=15)
    assert customer_zone("") == (UTC, False) and customer_zone("Mars/Olympus") == (UTC, False)
    assert customer_zone("Atlantic/Canary")[1]
