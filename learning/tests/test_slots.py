"""learning.slots: pure slot generation (no database)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from learning.slots import SlotRules, SlotUnavailable, Window, check_slot, free_slots

PARIS = ZoneInfo("Europe/Paris")
# Monday 2026-03-16 09:00 Paris (UTC+1): "now" for most tests.
NOW = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
WEEKDAYS_9_12 = tuple(Window(d, time(9), time(12)) for d in range(5))


def rules(**kw):
    base = dict(
        duration=timedelta(minutes=60),
        windows=WEEKDAYS_9_12,
        step=timedelta(minutes=60),
        lead_time=timedelta(hours=48),
        horizon=timedelta(days=60),
    )
    base.update(kw)
    return SlotRules(**base)


def starts(slots, tz=PARIS):
    return [s.start.astimezone(tz).strftime("%H:%M") for s in slots]


def test_window_gives_hourly_slots_in_local_time():
    slots = free_slots(rules(), date(2026, 3, 18), busy=[], now=NOW, tz=PARIS)
    assert starts(slots) == ["09:00", "10:00", "11:00"]
    assert slots[0].start == datetime(2026, 3, 18, 8, 0, tzinfo=UTC)  # CET = UTC+1
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)


def test_no_window_on_weekend():
    assert free_slots(rules(), date(2026, 3, 21), busy=[], now=NOW, tz=PARIS) == []


def test_lead_time_hides_slots_too_soon():
    # now = Mon 09:00 local; 48 h lead time → Wednesday 09:00 is the first bookable start.
    assert free_slots(rules(), date(2026, 3, 17), busy=[], now=NOW, tz=PARIS) == []
    assert starts(free_slots(rules(), date(2026, 3, 18), busy=[], now=NOW, tz=PARIS)) == ["09:00", "10:00", "11:00"]
    late_now = NOW + timedelta(hours=1, minutes=30)  # 10:30 Monday → Wed 10:30 earliest
    assert starts(free_slots(rules(), date(2026, 3, 18), busy=[], now=late_now, tz=PARIS)) == ["11:00"]


def test_horizon_hides_slots_too_far():
    r = rules(horizon=timedelta(days=10))
    assert free_slots(r, date(2026, 3, 26), busy=[], now=NOW, tz=PARIS)  # day 10 at 09:00 = exactly now+10d
    assert starts(free_slots(r, date(2026, 3, 26), busy=[], now=NOW, tz=PARIS)) == ["09:00"]
    assert free_slots(r, date(2026, 3, 27), busy=[], now=NOW, tz=PARIS) == []


def test_blackout_dates():
    r = rules(blackout_dates=frozenset({date(2026, 3, 18)}))
    assert free_slots(r, date(2026, 3, 18), busy=[], now=NOW, tz=PARIS) == []
    assert free_slots(r, date(2026, 3, 19), busy=[], now=NOW, tz=PARIS)


def test_existing_bookings_and_holds_block_their_slots():
    busy = [(datetime(2026, 3, 18, 9, 0, tzinfo=UTC), datetime(2026, 3, 18, 10, 0, tzinfo=UTC))]  # 10:00 local
    assert starts(free_slots(rules(), date(2026, 3, 18), busy=busy, now=NOW, tz=PARIS)) == ["09:00", "11:00"]


def test_buffer_keeps_space_around_bookings():
    r = rules(step=timedelta(minutes=30), buffer=timedelta(minutes=15))
    busy = [(datetime(2026, 3, 18, 9, 0, tzinfo=UTC), datetime(2026, 3, 18, 10, 0, tzinfo=UTC))]  # 10:00–11:00
    # 09:00–10:00 would touch the booking without the 15 min buffer; 11:00 starts too soon
    # after it; 11:30–12:30 does not fit in the window ending 12:00.
    assert starts(free_slots(r, date(2026, 3, 18), busy=busy, now=NOW, tz=PARIS)) == []
    wide = dict(step=timedelta(minutes=30), lead_time=timedelta(0), windows=(Window(2, time(8), time(14)),))
    r2 = rules(buffer=timedelta(minutes=15), **wide)
    got = starts(free_slots(r2, date(2026, 3, 18), busy=busy, now=NOW, tz=PARIS))
    assert got == ["08:00", "08:30", "11:30", "12:00", "12:30", "13:00"]
    no_buffer = rules(**wide)
    got = starts(free_slots(no_buffer, date(2026, 3, 18), busy=busy, now=NOW, tz=PARIS))
    assert got == ["08:00", "08:30", "09:00", "11:00", "11:30", "12:00", "12:30", "13:00"]


def test_spring_forward_day_in_paris():
    # Sunday 2026-03-29: 02:00 → 03:00. A window 01:00–04:00 local holds only two real hours.
    r = rules(windows=(Window(6, time(1), time(4)), Window(6, time(9), time(11))))
    slots = free_slots(r, date(2026, 3, 29), busy=[], now=NOW, tz=PARIS)
    assert starts(slots) == ["01:00", "03:00", "09:00", "10:00"]
    assert [s.start.strftime("%H:%M") for s in slots] == ["00:00", "01:00", "07:00", "08:00"]  # UTC
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)
    # The day before, 09:00 local was 08:00 UTC.
    r_sat = rules(windows=(Window(5, time(9), time(10)),))
    assert free_slots(r_sat, date(2026, 3, 28), busy=[], now=NOW, tz=PARIS)[0].start.hour == 8


def test_fall_back_day_in_paris():
    # Sunday 2026-10-25: 03:00 → 02:00. A window 01:00–04:00 local holds four real hours.
    now = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    r = rules(windows=(Window(6, time(1), time(4)),))
    slots = free_slots(r, date(2026, 10, 25), busy=[], now=now, tz=PARIS)
    assert len(slots) == 4
    assert [s.start.strftime("%H:%M") for s in slots] == ["23:00", "00:00", "01:00", "02:00"]
    assert [s.start.astimezone(PARIS).strftime("%H:%M %Z") for s in slots] == [
        "01:00 CEST",
        "02:00 CEST",
        "02:00 CET",
        "03:00 CET",
    ]


@pytest.mark.parametrize(
    "start, reason",
    [
        (datetime(2026, 3, 16, 7, 0, tzinfo=UTC), "past"),
        (datetime(2026, 3, 17, 8, 0, tzinfo=UTC), "lead_time"),
        (datetime(2026, 6, 1, 8, 0, tzinfo=UTC), "horizon"),
        (datetime(2026, 3, 18, 13, 0, tzinfo=UTC), "outside_availability"),  # 14:00 local
        (datetime(2026, 3, 18, 8, 20, tzinfo=UTC), "outside_availability"),  # off the slot grid
        (datetime(2026, 3, 21, 9, 0, tzinfo=UTC), "outside_availability"),  # Saturday
        (datetime(2026, 3, 19, 8, 0, tzinfo=UTC), "blackout"),
        (datetime(2026, 3, 18, 9, 0, tzinfo=UTC), "taken"),
    ],
)
def test_check_slot_reasons(start, reason):
    r = rules(blackout_dates=frozenset({date(2026, 3, 19)}))
    busy = [(datetime(2026, 3, 18, 9, 30, tzinfo=UTC), datetime(2026, 3, 18, 10, 30, tzinfo=UTC))]
    with pytest.raises(SlotUnavailable) as exc:
        check_slot(r, start, busy=busy, now=NOW, tz=PARIS)
    assert exc.value.reason == reason


def test_check_slot_accepts_a_free_slot():
    slot = check_slot(rules(), datetime(2026, 3, 18, 10, 0, tzinfo=UTC), busy=[], now=NOW, tz=PARIS)
    assert slot.end == datetime(2026, 3, 18, 11, 0, tzinfo=UTC)
    assert slot.key_start == "2026-03-18T10:00:00Z"
