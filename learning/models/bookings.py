"""Bookings: a held or sold course seat (``session`` set, ``quantity`` seats) or a 1:1 lesson
(``teacher`` set, ``session`` empty, quantity 1). Times are stored in UTC.

Lifecycle, one explicit table (reused :func:`shop.status.transition`):
``held → paid → confirmed | declined → completed``, and ``cancelled`` (a released or expired
hold, or a customer cancellation). On PostgreSQL two exclusion constraints (GiST over a
``tstzrange``, ``btree_gist``) refuse overlapping active lessons of one teacher and of one
customer; :mod:`learning.booking` checks first and turns a violation into ``SlotTaken``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.constraints import PostgresExclusionConstraint, RangeBoundary, TsTzRange
from shop.status import transition


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held")
    PAID = "paid", _("Paid — awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


B = BookingStatus
BOOKING_TRANSITIONS: dict[str, set[str]] = {
    B.HELD: {B.PAID, B.CANCELLED},
    B.PAID: {B.CONFIRMED, B.DECLINED, B.CANCELLED},
    B.CONFIRMED: {B.COMPLETED, B.CANCELLED},
    B.DECLINED: set(),
    B.COMPLETED: set(),
    B.CANCELLED: set(),
}
# States that occupy a slot or a seat (a held booking only while its hold is live).
ACTIVE_STATUSES = [B.HELD, B.PAID, B.CONFIRMED, B.COMPLETED]
SOLD_STATUSES = [B.PAID, B.CONFIRMED, B.COMPLETED]


class BookingQuerySet(models.QuerySet):
    def occupying(self, now=None):
        """Bookings that take a seat or a slot right now: sold ones plus live holds."""
        now = now or timezone.now()
        return self.filter(Q(status__in=SOLD_STATUSES) | Q(status=B.HELD, hold_expires_at__gt=now))

    def seat_count(self, now=None) -> int:
        return self.occupying(now).aggregate(n=Sum("quantity"))["n"] or 0

    def lessons(self):
        return self.filter(kind="lesson")

    def seats(self):
        return self.filter(kind="seat")

    def for_customer(self, user):
        """A signed-in customer's bookings: theirs by account, or guest bookings made with one of
        their *verified* email addresses (allauth), like the shop's guest orders."""

        emails = [
            e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        ]
        q = Q(customer=user)
        if emails:
            q |= Q(customer__isnull=True, customer_email__in=emails)
        return self.filter(q)

    def visible_to_customer(self):
        """Holds that never became a sale are not shown in "My bookings"."""
        return self.exclude(status=B.CANCELLED, paid_at__isnull=True)


class Booking(models.Model):
    """One course-seat booking (``quantity`` seats of ``session``) or one 1:1 lesson."""

    Status = BookingStatus
    LESSON, SEAT = "lesson", "seat"

    kind = models.CharField(max_length=10, choices=[(LESSON, _("1:1 lesson")), (SEAT, _("Course seat"))])
    teacher = models.ForeignKey(
        "learning.TeacherPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    session = models.ForeignKey(
        "learning.CourseSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    course = models.ForeignKey(
        "learning.CoursePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    title = models.CharField(max_length=255, help_text=_("Snapshot: the course or lesson name."))
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    customer_email = models.EmailField(help_text=_("Lower-cased."))
    customer_name = models.CharField(max_length=200, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    quantity = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.HELD)
    order_line = models.ForeignKey(
        "shop.OrderLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    goal = models.TextField(blank=True, help_text=_("What the customer wants to work on."))
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=100, blank=True)
    refund_requested_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["teacher", "start"]),
            models.Index(fields=["session", "status"]),
            models.Index(fields=["customer_email", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_end_after_start"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="booking_quantity_positive"),
            models.CheckConstraint(condition=~Q(kind="lesson") | Q(quantity=1), name="booking_lesson_one_unit"),
            # One live booking per order line: hold() called twice changes nothing.
            models.UniqueConstraint(
                fields=["order_line"],
                condition=Q(status__in=ACTIVE_STATUSES, order_line__isnull=False),
                name="booking_one_active_per_line",
            ),
            # PostgreSQL only (no-op elsewhere): the database refuses double-booked teachers...
            PostgresExclusionConstraint(
                name="booking_no_teacher_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("teacher", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=ACTIVE_STATUSES, kind="lesson"),
            ),
            # ...and customers with two overlapping lessons.
            PostgresExclusionConstraint(
                name="booking_no_customer_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("customer_email", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=ACTIVE_STATUSES, kind="lesson"),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.title} — {local:%d %b %Y %H:%M} ({self.get_status_display()})"

    @property
    def is_lesson(self) -> bool:
        return self.kind == self.LESSON

    @property
    def kind_label(self) -> str:
        return _("1:1 lesson") if self.is_lesson else _("Course")

    def set_status(self, new: str) -> None:
        """Move to ``new`` through :data:`BOOKING_TRANSITIONS` (``InvalidTransition`` otherwise)."""
        self.status = transition(BOOKING_TRANSITIONS, self.status, new)

    @property
    def order_reference(self) -> str:
        """The shop order's reference (``PF-000123``), or ``""`` (demo or manual bookings)."""
        line = self.order_line
        return (line.order.reference or "") if line else ""

    def get_ics_url(self) -> str:
        return reverse("learning:booking_ics", args=[self.pk])


__all__ = ["ACTIVE_STATUSES", "BOOKING_TRANSITIONS", "SOLD_STATUSES", "Booking", "BookingStatus"]
