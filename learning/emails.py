"""Booking emails (HTML + text), written to the outbox (:mod:`base.outbox`) in the transaction
that changes the booking, and delivered by the worker after commit.

Events: ``confirmation`` (to the customer, with the .ics attached), ``teacher_new`` (to the
teacher), ``confirmed``, ``declined``, ``cancelled`` (to the customer; ``cancelled`` also to the
teacher of a lesson). A payment that arrives after the seat or slot went to someone else is
refunded with the order's own email (``shop.emails.queue_cancelled_refunded``).
Templates: ``templates/emails/booking_<event>.{txt,html}``.
Idempotency keys: ``booking:<booking pk>:<template>:<recipient role>``.
"""

from __future__ import annotations

from django.conf import settings

from base.outbox import queue_templated_email
from learning.ics import booking_ics
from learning.models.bookings import Booking
from learning.timekeeping import format_local_range, site_tz

SUBJECTS = {
    "confirmation": "Your booking: {title}",
    "teacher_new": "New lesson booking: {when}",
    "confirmed": "Confirmed: {title}",
    "declined": "Declined and refunded: {title}",
    "cancelled": "Cancelled: {title}",
}


def _site_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def notify(booking_id: int, event: str) -> int:
    """Queue the ``event`` emails of ``booking_id`` in the current transaction; returns how many
    messages were queued (0–2). Calling it twice for the same event queues nothing more."""
    booking = Booking.objects.select_related("teacher", "teacher__user", "session", "course").get(pk=booking_id)
    context = {
        "booking": booking,
        "when": format_local_range(booking.start, booking.end),
        "site_url": _site_url(),
        "tz_name": site_tz().key,
        "location": booking.session.location if booking.session_id else "",
        "online_url": booking.session.online_url if booking.session_id else "",
    }
    recipients = []
    if event == "teacher_new" or (event == "cancelled" and booking.is_lesson):
        teacher_user = booking.teacher.user if booking.teacher_id else None
        if teacher_user and teacher_user.email:
            recipients.append(("teacher_new" if event == "teacher_new" else "cancelled_teacher", teacher_user.email))
    if event != "teacher_new":
        recipients.append((event, booking.customer_email))
    queued = 0
    for template, to in recipients:
        base = template if template != "cancelled_teacher" else "cancelled"
        for_teacher = template in ("teacher_new", "cancelled_teacher")
        attachments = []
        if template in ("confirmation", "confirmed"):
            attachments.append((f"booking-{booking.pk}.ics", booking_ics(booking), "text/calendar; method=PUBLISH"))
        queue_templated_email(
            f"booking:{booking.pk}:{base}:{'teacher' if for_teacher else 'customer'}",
            to=to,
            template=f"emails/booking_{base}",
            context={**context, "for_teacher": for_teacher},
            subject=SUBJECTS[base].format(title=booking.title, when=context["when"]),
            attachments=attachments,
        )
        queued += 1
    return queued
