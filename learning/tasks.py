"""Background tasks of the learning app (django-tasks). The booking emails' task lives in
:mod:`learning.emails`; this module holds the periodic housekeeping."""

from django_tasks import task

from . import booking as services


@task()
def complete_past_bookings() -> int:
    """``confirmed → completed`` for every booking that has ended; returns how many changed.

    Run daily (cron or the worker's scheduler): ``complete_past_bookings.enqueue()``, or
    ``python manage.py complete_bookings``.
    """
    return services.complete_past_bookings()
