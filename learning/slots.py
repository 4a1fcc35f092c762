"""Free 1:1 lesson slots, computed by pure functions (no database, no clock: ``now`` is passed in).

A teacher's weekly windows are wall-clock times in the site's time zone (``settings.TIME_ZONE``,
e.g. Europe/Paris). For each calendar day the window is turned into an absolute UTC interval with
:mod:`zoneinfo`, and candidate starts are stepped through in absolute time, so a lesson always
lasts its real duration, including on daylight-saving change days (a window 01:00–04:00 on the
spring-forward night holds only two real hours; on the autumn night it holds four). A window
boundary that falls in a skipped hour is read with ``fold=0`` (PEP 495).

A candidate slot ``[start, start + duration)`` is free when:

- ``start >= now + lead_time`` and ``start <= now + horizon``;
- its local date is not a blackout date, and it lies entirely inside one window of that day;
- it does not come closer than ``buffer`` to any busy interval (existing bookings and live holds).

All datetimes returned are aware and in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Window:
    """A weekly availability window: ``weekday`` 0 = Monday … 6 = Sunday, local wall times."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class SlotRules:
    """Everything that decides which slots exist (from a ``LessonOffer``)."""

    duration: timedelta
    windows: tuple[Window, ...] = ()
    buffer: timedelta = timedelta(0)
    lead_time: timedelta = timedelta(hours=48)
    horizon: timedelta = timedelta(days=60)
    step: timedelta = timedelta(minutes=30)
    blackout_dates: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Slot:
    """A free slot: aware UTC ``start`` and ``end``."""

    start: datetime
    end: datetime

    @property
    def key_start(self) -> str:
        """The start as ISO 8601 UTC (``2026-03-30T07:00:00Z``), the lesson purchasable's key part."""
        return self.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SlotUnavailable(ValueError):
    """A requested start is not a free slot. ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(REASONS.get(reason, reason))


REASONS = {
    "past": "This time is in the past.",
    "lead_time": "Lessons must be booked further ahead.",
    "horizon": "This date is too far ahead to book yet.",
    "blackout": "The teacher is not available on this day.",
    "outside_availability": "The teacher does not teach at this time.",
    "taken": "This time slot has just been taken. Please choose another one.",
}


def window_intervals(rules: SlotRules, day: date, tz: ZoneInfo) -> list[Interval]:
    """The absolute UTC intervals of ``day``'s windows (empty on a blackout date)."""
    if day in rules.blackout_dates:
        return []
    intervals = []
    for w in rules.windows:
        if w.weekday != day.weekday():
            continue
        start = datetime.combine(day, w.start, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, w.end, tzinfo=tz).astimezone(UTC)
        if end > start:
            intervals.append((start, end))
    return sorted(intervals)


def _overlaps(start: datetime, end: datetime, busy: Iterable[Interval], buffer: timedelta) -> bool:
    return any(start < b_end + buffer and b_start - buffer < end for b_start, b_end in busy)


def free_slots(rules: SlotRules, day: date, *, busy: Iterable[Interval], now: datetime, tz: ZoneInfo) -> list[Slot]:
    """Free slots starting on local ``day`` (site zone ``tz``), in start order.

    ``busy``: UTC intervals already taken (paid/confirmed bookings and live holds).
    ``now``: aware current time. Returns :class:`Slot` objects with UTC times.
    """
    busy = list(busy)
    earliest, latest = now + rules.lead_time, now + rules.horizon
    slots: list[Slot] = []
    seen = set()
    for w_start, w_end in window_intervals(rules, day, tz):
        start = w_start
        while start + rules.duration <= w_end:
            end = start + rules.duration
            if earliest <= start <= latest and start not in seen and not _overlaps(start, end, busy, rules.buffer):
                slots.append(Slot(start, end))
                seen.add(start)
            start += rules.step
    return sorted(slots, key=lambda s: s.start)


def free_slots_by_day(
    rules: SlotRules, first_day: date, days: int, *, busy: Iterable[Interval], now: datetime, tz: ZoneInfo
) -> dict[date, list[Slot]]:
    """``{local date: [Slot, ...]}`` for ``days`` days from ``first_day`` (days with no slot included)."""
    busy = list(busy)
    return {
        first_day + timedelta(days=i): free_slots(rules, first_day + timedelta(days=i), busy=busy, now=now, tz=tz)
        for i in range(days)
    }


def check_slot(rules: SlotRules, start: datetime, *, busy: Iterable[Interval], now: datetime, tz: ZoneInfo) -> Slot:
    """Return the :class:`Slot` starting at aware ``start`` or raise :class:`SlotUnavailable`.

    Reasons are checked in the order a customer understands them: past, lead time, horizon,
    blackout date, outside the windows (or not on the slot grid), taken.
    """
    start = start.astimezone(UTC)
    if start <= now:
        raise SlotUnavailable("past")
    if start < now + rules.lead_time:
        raise SlotUnavailable("lead_time")
    if start > now + rules.horizon:
        raise SlotUnavailable("horizon")
    day = start.astimezone(tz).date()
    if day in rules.blackout_dates:
        raise SlotUnavailable("blackout")
    end = start + rules.duration
    on_grid = any(
        w_start <= start and end <= w_end and (start - w_start) % rules.step == timedelta(0)
        for w_start, w_end in window_intervals(rules, day, tz)
    )
    if not on_grid:
        raise SlotUnavailable("outside_availability")
    if _overlaps(start, end, busy, rules.buffer):
        raise SlotUnavailable("taken")
    return Slot(start, end)
