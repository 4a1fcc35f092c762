"""Purge the cached pages that show a course's seats or a teacher's free slots when bookings change.

Connected in :meth:`learning.apps.LearningConfig.ready`. Course and teacher pages, the course
and teacher listings and the "upcoming courses"/"teachers" blocks record ``page:<id>`` of what
they show (:func:`base.page_cache.depends_on`); a booking saved, a session saved, or an order
with seats or lessons paid or refunded purges exactly those pages.
"""

from base import purge
from learning.models.bookings import Booking
from learning.models.courses import CourseSession


def _tags(pairs) -> list[str]:
    return sorted({f"page:{pk}" for pair in pairs for pk in pair if pk})


def purge_booking(sender, instance: Booking, **kwargs) -> None:
    """``post_save``/``post_delete`` of a :class:`Booking`: its course's or teacher's pages."""
    purge.purge_tags(_tags([(instance.course_id, instance.teacher_id)]))


def purge_session(sender, instance: CourseSession, **kwargs) -> None:
    """``post_save``/``post_delete`` of a :class:`CourseSession`: its course's pages."""
    purge.purge_tags(_tags([(instance.page_id,)]))


def purge_order_bookings(sender=None, order=None, **kwargs) -> None:
    """``order_paid`` / ``order_refunded`` receiver: pages of the order's courses and teachers."""
    if order is None:
        return
    pairs = Booking.objects.filter(order_line__order=order).values_list("course_id", "teacher_id")
    purge.purge_tags(_tags(pairs))
