"""Time and duration rules of learning that need no model: the site's time zone, the customer's
cancellation cut-off, and duration formats for people and for schema.org."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

__all__ = ["cancel_cutoff", "format_duration", "format_local_range", "iso_duration", "site_tz"]


def site_tz() -> ZoneInfo:
    """The site's time zone (``settings.TIME_ZONE``), in which windows and dates are read."""
    return ZoneInfo(settings.TIME_ZONE)


def cancel_cutoff() -> timedelta:
    """How long before the start a customer may still cancel with a refund
    (``BOOKING_CANCEL_CUTOFF_HOURS``, default 24)."""
    return timedelta(hours=getattr(settings, "BOOKING_CANCEL_CUTOFF_HOURS", 24))


def format_duration(minutes: int) -> str:
    """``90`` → ``"1 h 30 min"``; ``180`` → ``"3 h"``."""
    hours, mins = divmod(int(minutes or 0), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def iso_duration(minutes: int) -> str:
    """ISO 8601 duration for schema.org, e.g. ``PT3H`` or ``PT1H30M``."""
    hours, mins = divmod(int(minutes or 0), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins or not hours else "")


def format_local_range(start: datetime, end: datetime) -> str:
    """``"Sat 14 Mar 2026, 10:00–13:00 (Europe/Paris)"`` in the site's time zone."""
    tz = site_tz()
    s, e = start.astimezone(tz), end.astimezone(tz)
    return f"{s:%a %d %b %Y, %H:%M}–{e:%H:%M} ({tz.key})"
