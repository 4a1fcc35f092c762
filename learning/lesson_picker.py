"""The teacher page's slot picker: a strip of days and the chosen day's free 1:1 lesson slots."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from base import page_cache, parsing
from learning import booking as services
from learning.forms import LessonRequestForm
from learning.timekeeping import site_tz

#: Days shown at once in the picker strip.
PICKER_DAYS = 14


def _parse_day(value) -> date | None:
    try:
        return parsing.iso_date(value, default=None)
    except parsing.InvalidInput:
        return None


def lesson_picker_context(request, teacher: Page) -> dict:
    """Context for the teacher page's slot picker: a strip of days and the chosen day's slots.

    ``?date=YYYY-MM-DD`` chooses the day; an unknown or out-of-range date falls back to the first
    day with a free slot, with a message. Four queries whatever the number of bookings.
    """
    offer = teacher.offer
    if offer is None:
        return {"offer": None}
    tz = site_tz()
    now = timezone.now()
    today = now.astimezone(tz).date()
    first = (now + timedelta(hours=offer.lead_time_hours)).astimezone(tz).date()
    last = (now + timedelta(days=offer.horizon_days)).astimezone(tz).date()
    requested_raw = parsing.text(request.GET.get("date"), default="")
    requested = _parse_day(requested_raw)
    notice = ""
    if requested_raw and requested is None:
        notice = _("Please choose a valid date.")
    elif requested and requested < today:
        notice, requested = _("That date is in the past; here are the next free slots."), None
    elif requested and requested < first:
        notice = _("Lessons must be booked at least %(h)d hours ahead.") % {"h": offer.lead_time_hours}
        requested = None
    elif requested and requested > last:
        notice, requested = _("Lessons can be booked up to %(d)d days ahead.") % {"d": offer.horizon_days}, None
    start_day = first
    if requested and requested >= first + timedelta(days=PICKER_DAYS):
        start_day = requested - timedelta(days=requested.weekday())
    days_count = max(0, min(PICKER_DAYS, (last - start_day).days + 1))
    by_day = services.slots_by_day(offer, start_day, days_count, now=now) if days_count else {}
    selected = requested if requested in by_day else next((d for d, s in by_day.items() if s), None)
    # The first slot shown stops being bookable when the lead time reaches it: the page is stale then.
    starts = [slot.start for day_slots in by_day.values() for slot in day_slots]
    if starts:
        page_cache.expires_at(request, min(starts) - timedelta(hours=offer.lead_time_hours))
    days = [
        {"date": d, "count": len(s), "selected": d == selected, "url": f"?date={d.isoformat()}#book"}
        for d, s in by_day.items()
    ]
    slots = [
        {
            "key": s.key_start,
            "label": s.start.astimezone(tz).strftime("%H:%M"),
            "end": s.end.astimezone(tz).strftime("%H:%M"),
        }
        for s in by_day.get(selected, [])
    ]
    next_day = start_day + timedelta(days=PICKER_DAYS)
    prev_day = start_day - timedelta(days=PICKER_DAYS)
    return {
        "offer": offer,
        "picker_days": days,
        "picker_selected": selected,
        "picker_slots": slots,
        "picker_notice": notice,
        "picker_next": f"?date={next_day.isoformat()}#book" if next_day <= last else "",
        "picker_prev": f"?date={max(prev_day, first).isoformat()}#book" if start_day > first else "",
        "tz_name": tz.key,
        "lesson_form": LessonRequestForm(initial={"teacher": teacher.pk}),
    }
