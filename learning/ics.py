"""iCalendar (.ics) files for bookings, with the site's time zone (icalendar library, RFC 5545)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from learning.timekeeping import site_tz


def booking_ics(booking) -> bytes:
    """A VCALENDAR with one VEVENT (DTSTART/DTEND in the site zone, with its VTIMEZONE)."""
    tz = site_tz()
    cal = Calendar()
    cal.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    start, end = booking.start.astimezone(tz), booking.end.astimezone(tz)
    cal.add_component(Timezone.from_tzinfo(tz, first_date=start.date(), last_date=end.date()))
    event = Event()
    domain = settings.WAGTAILADMIN_BASE_URL.split("//")[-1].split("/")[0] or "localhost"
    event.add("uid", f"booking-{booking.pk}@{domain}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", booking.title)
    location = ""
    if booking.session_id:
        location = booking.session.location or booking.session.online_url
    if location:
        event.add("location", location)
    description = [f"{booking.get_status_display()}"]
    if booking.goal:
        description.append(f"Goal: {booking.goal}")
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if booking.status in ("cancelled", "declined") else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
