"""Booking emails (HTML + text), sent by a background task after the transaction commits.

Events: ``confirmation`` (to the customer, with the .ics attached), ``teacher_new`` (to the
teacher), ``confirmed``, ``declined``, ``cancelled`` (to the customer; ``cancelled`` also to the
teacher of a lesson). Templates: ``templates/emails/booking_<event>.{txt,html}``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from learning.ics import booking_ics
from learning.models.bookings import Booking
from learning.timekeeping import format_local_range, site_tz

log = logging.getLogger(__name__)

SUBJECTS = {
    "confirmation": "Your booking: {title}",
    "teacher_new": "New lesson booking: {when}",
    "confirmed": "Confirmed: {title}",
    "declined": "Declined and refunded: {title}",
    "cancelled": "Cancelled: {title}",
}


def notify(booking_id: int, event: str) -> None:
    """Queue the ``event`` email for ``booking_id`` once the current transaction commits."""
    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id, event))


def _site_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


@task()
def send_booking_email(booking_id: int, event: str) -> int:
    """Render and send one booking email; returns the number of messages sent."""
    booking = Booking.objects.select_related("teacher", "teacher__user", "session", "course").get(pk=booking_id)
    context = {
        "booking": booking,
        "when": format_local_range(booking.start, booking.end),
        "site_url": _site_url(),
        "tz_name": site_tz().key,
        "location": booking.session.location if booking.session_id else "",
        "online_url": booking.session.online_url if booking.session_id else "",
    }
    sent = 0
    recipients = []
    if event == "teacher_new" or (event == "cancelled" and booking.is_lesson):
        teacher_user = booking.teacher.user if booking.teacher_id else None
        if teacher_user and teacher_user.email:
            recipients.append(("teacher_new" if event == "teacher_new" else "cancelled_teacher", teacher_user.email))
    if event != "teacher_new":
        recipients.append((event, booking.customer_email))
    for template, to in recipients:
        base = template if template != "cancelled_teacher" else "cancelled"
        subject = SUBJECTS[base].format(title=booking.title, when=context["when"])
        ctx = {**context, "for_teacher": template in ("teacher_new", "cancelled_teacher")}
        msg = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"emails/booking_{base}.txt", ctx),
            to=[to],
        )
        msg.attach_alternative(render_to_string(f"emails/booking_{base}.html", ctx), "text/html")
        if template in ("confirmation", "confirmed"):
            msg.attach(f"booking-{booking.pk}.ics", booking_ics(booking), "text/calendar; method=PUBLISH")
        sent += msg.send()
    return sent
