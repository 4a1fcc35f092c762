"""Course seats and 1:1 lessons registered as shop purchasables (see ``shop/purchasable.py``).

- ``session_seat``: key ``"<CourseSession pk>"``; quantity = seats; options unused.
- ``lesson``: key ``"<TeacherPage pk>:<start ISO 8601 UTC, e.g. 2026-03-30T07:00:00Z>"``;
  quantity 1; options ``{"goal": "..."}``.

Prices come from the course / lesson offer (server side); the shop's checkout calls
``lock()`` then ``hold()`` in its transaction, ``on_paid`` when paid, ``release`` on failure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from base import parsing
from learning.models.courses import CourseSession
from learning.models.lessons import LessonOffer
from learning.timekeeping import format_local_range
from shop.exceptions import InvalidQuantity, NotPurchasable
from shop.purchasable import Purchasable, register

from . import booking as services
from . import slots as slot_rules


def lesson_key(teacher_id: int, start: datetime) -> str:
    return f"{teacher_id}:{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def parse_lesson_key(key: str) -> tuple[int, datetime]:
    """``"12:2026-03-30T07:00:00Z"`` → ``(12, aware UTC datetime)``; ``ValueError`` if malformed.

    Read with :mod:`base.parsing`: ASCII digits only and years that leave room for lesson
    arithmetic (``9999-12-31T23:59:59Z`` is refused, it would overflow the busy-window code).
    """
    teacher, _sep, start = str(key).partition(":")
    try:
        return parsing.object_id(teacher), parsing.utc_datetime(start)
    except parsing.InvalidInput as exc:
        raise ValueError(f"bad lesson key {key!r}: {exc}") from None


class _BookingPurchasable(Purchasable):
    """Shared line lifecycle: release / paid / refunded go to the booking services."""

    def release(self, line):
        services.release_line(line)

    def on_paid(self, line):
        services.mark_line_paid(line)

    def on_refunded(self, line, quantity):
        services.line_refunded(line, quantity)


class SeatPurchasable(_BookingPurchasable):
    """Seats in one :class:`~learning.models.CourseSession`."""

    kind = "session_seat"

    def __init__(self, session):
        self.session = session
        course = session.page
        self.course = course
        self.key = str(session.pk)
        self.options = {}
        self.title = course.title
        self.sku = f"COURSE-{course.pk}-{session.pk}"
        self.unit_price = course.price_money
        self.max_quantity = min(session.capacity, 10)
        self.url = course.url or ""
        self.scopes = {"course": {course.pk}}
        self.image = course.image

    def lock_order(self):
        return ("learning.session", self.session.pk)

    def available(self):
        if self.session.start <= timezone.now():
            return 0
        return max(0, self.session.capacity - self.session.seats_taken())

    def lock(self):
        CourseSession.objects.select_for_update().filter(pk=self.session.pk).first()

    def hold(self, line, quantity, expires_at):
        if quantity < 1 or quantity > self.max_quantity:
            raise InvalidQuantity()
        services.hold_seats(line, self.session, quantity, expires_at)

    def describe(self):
        return format_local_range(self.session.start, self.session.end)


class LessonPurchasable(_BookingPurchasable):
    """One 1:1 lesson slot of a teacher (quantity is always 1)."""

    kind = "lesson"
    max_quantity = 1

    def __init__(self, teacher, offer, start: datetime, goal: str = ""):
        self.teacher, self.offer, self.start = teacher, offer, start
        self.end = start + timedelta(minutes=offer.duration_minutes)
        self.key = lesson_key(teacher.pk, start)
        self.options = {"goal": goal} if goal else {}
        self.goal = goal
        self.title = _("1:1 lesson with %(name)s") % {"name": teacher.title}
        self.sku = f"LESSON-{teacher.pk}-{offer.duration_minutes}"
        self.unit_price = offer.price_money
        self.url = teacher.url or ""
        self.scopes = {"lesson": {teacher.pk}}
        self.image = teacher.photo

    def lock_order(self):
        return ("learning.offer", self.offer.pk)

    def check(self):
        """The free :class:`~learning.slots.Slot`, or :class:`~learning.slots.SlotUnavailable`."""
        return services.check_lesson_start(self.offer, self.start)

    def available(self):
        try:
            self.check()
        except slot_rules.SlotUnavailable:
            return 0
        return 1

    def lock(self):
        LessonOffer.objects.select_for_update().filter(pk=self.offer.pk).first()

    def hold(self, line, quantity, expires_at):
        if quantity != 1:
            raise InvalidQuantity(_("A lesson is booked one at a time."))
        services.hold_lesson(line, self.teacher, self.start, (line.options or {}).get("goal", self.goal), expires_at)

    def describe(self):
        return format_local_range(self.start, self.end)


@register("session_seat")
def resolve_seat(key, options):
    """``key`` = a CourseSession pk of a live course; :class:`NotPurchasable` otherwise."""
    try:
        session = CourseSession.objects.select_related("page", "page__image").get(
            pk=parsing.object_id(key), page__live=True
        )
    except (parsing.InvalidInput, CourseSession.DoesNotExist):
        raise NotPurchasable(detail=f"no course session {key!r}") from None
    return SeatPurchasable(session)


@register("lesson")
def resolve_lesson(key, options):
    """``key`` = ``"<teacher page pk>:<UTC start>"`` of a live teacher with an active offer."""
    try:
        teacher_id, start = parse_lesson_key(key)
        offer = LessonOffer.objects.select_related("teacher", "teacher__photo").get(
            teacher_id=teacher_id, active=True, teacher__live=True
        )
    except (ValueError, LessonOffer.DoesNotExist):
        raise NotPurchasable(detail=f"no lesson {key!r}") from None
    goal = str((options or {}).get("goal", ""))[:2000]
    return LessonPurchasable(offer.teacher, offer, start, goal)
