"""Booking services: hold, pay, confirm, decline, cancel, complete.

Every state change goes through :data:`learning.models.BOOKING_TRANSITIONS`
(``held → paid → confirmed | declined → completed``, and ``cancelled``) inside one
``transaction.atomic()`` with the guarding rows locked by ``select_for_update()``:

- a course seat locks its :class:`~learning.models.CourseSession` row, then counts sold seats
  plus live holds against ``capacity`` (``SeatsUnavailable`` when they do not fit);
- a 1:1 lesson locks the teacher's :class:`~learning.models.LessonOffer` row, marks expired holds
  of that teacher and that customer ``cancelled`` (so they never block), checks the slot rules and
  overlaps (``SlotTaken``), and on PostgreSQL the exclusion constraints refuse any overlap that
  slips through; an ``IntegrityError`` there becomes the same ``SlotTaken``.

Emails are queued in the outbox in the same transaction (:mod:`learning.emails`); what needs a
person (a refund that failed, a paid booking that lost its slot) is reported under "Needs
attention" (:mod:`base.attention`). Refunds go through
``shop.refunds.refund_order_line(line, quantity, *, reason, restock=False)``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from base.attention import Kind, report
from learning.emails import notify
from learning.models.bookings import Booking, BookingStatus
from learning.models.courses import CourseSession
from learning.models.lessons import LessonOffer
from learning.timekeeping import cancel_cutoff, site_tz
from shop.exceptions import CheckoutError, SeatsUnavailable, SlotTaken
from shop.refunds import refund_order_line

from . import slots as slot_rules

log = logging.getLogger(__name__)
S = BookingStatus


class BookingActionError(Exception):
    """A dashboard action that cannot be done now; ``user_message`` is safe to show."""

    def __init__(self, user_message):
        self.user_message = user_message
        super().__init__(str(user_message))


# --- slots ----------------------------------------------------------------------------------


def busy_intervals(teacher_id: int, start: datetime, end: datetime, *, now=None) -> list[tuple[datetime, datetime]]:
    """UTC intervals of the teacher's lessons (sold or live holds) touching ``[start, end)``."""
    qs = (
        Booking.objects.lessons()
        .filter(teacher_id=teacher_id, start__lt=end, end__gt=start)
        .occupying(now)
        .values_list("start", "end")
    )
    return list(qs)


def _busy_window(offer: LessonOffer, first: datetime, last: datetime, now):
    pad = timedelta(minutes=offer.buffer_minutes + offer.duration_minutes)
    return busy_intervals(offer.teacher_id, first - pad, last + pad, now=now)


def slots_by_day(offer: LessonOffer, first_day: date, days: int, *, now=None) -> dict:
    """``{local date: [Slot]}`` of free slots for ``days`` days from ``first_day`` (3 queries)."""
    now = now or timezone.now()
    tz = site_tz()
    rules = offer.rules()
    first = datetime.combine(first_day, datetime.min.time(), tzinfo=tz)
    busy = _busy_window(offer, first, first + timedelta(days=days + 1), now)
    return slot_rules.free_slots_by_day(rules, first_day, days, busy=busy, now=now, tz=tz)


def check_lesson_start(offer: LessonOffer, start: datetime, *, now=None) -> slot_rules.Slot:
    """The free slot of ``offer`` starting at ``start``; :class:`slots.SlotUnavailable` otherwise."""
    now = now or timezone.now()
    busy = _busy_window(offer, start, start, now)
    return slot_rules.check_slot(offer.rules(), start, busy=busy, now=now, tz=site_tz())


# --- holds (called by learning.purchasables inside the checkout's transaction) -----------------


def expire_stale_holds(*, teacher_id=None, email=None, session_id=None, now=None) -> int:
    """Mark held bookings whose hold has expired ``cancelled`` (reason ``expired``); return how many."""
    now = now or timezone.now()
    qs = Booking.objects.filter(status=S.HELD, hold_expires_at__lte=now)

    q = Q(pk__in=[])
    if teacher_id:
        q |= Q(teacher_id=teacher_id, kind=Booking.LESSON)
    if email:
        q |= Q(customer_email=email.lower(), kind=Booking.LESSON)
    if session_id:
        q |= Q(session_id=session_id)
    return qs.filter(q).update(status=S.CANCELLED, cancellation_reason="expired", cancelled_at=now, updated_at=now)


def _customer_of(line) -> dict:
    order = line.order
    return {
        "customer": order.user if order.user_id else None,
        "customer_email": (order.email or "").strip().lower(),
        "customer_name": order.name,
    }


def _existing_hold(line, now):
    """The line's live booking if one exists (hold() is idempotent); drop an expired one."""
    booking = Booking.objects.filter(order_line=line, status__in=[S.HELD, S.PAID, S.CONFIRMED]).first()
    if booking and booking.status == S.HELD and booking.hold_expires_at and booking.hold_expires_at <= now:
        booking.set_status(S.CANCELLED)
        booking.cancellation_reason, booking.cancelled_at = "expired", now
        booking.save(update_fields=["status", "cancellation_reason", "cancelled_at", "updated_at"])
        return None
    return booking


def hold_seats(line, session: CourseSession, quantity: int, expires_at: datetime) -> Booking:
    """Hold ``quantity`` seats of ``session`` for order ``line`` until ``expires_at``.

    Call inside a transaction after locking the session row (``SeatPurchasable.lock``); locks it
    again here so the service is safe on its own. Raises :class:`SeatsUnavailable`.
    """
    now = timezone.now()
    session = CourseSession.objects.select_for_update().select_related("page").get(pk=session.pk)
    existing = _existing_hold(line, now)
    if existing:
        return existing
    if session.start <= now:
        raise SeatsUnavailable(_("This session has already started."))
    taken = Booking.objects.filter(session=session).seat_count(now)
    left = session.capacity - taken
    if quantity > left:
        if left <= 0:
            raise SeatsUnavailable(_("Sorry, this session is full."))
        raise SeatsUnavailable(
            _("Sorry, only %(n)d seat(s) left in this session.") % {"n": left}, detail=f"session {session.pk}"
        )
    return Booking.objects.create(
        kind=Booking.SEAT,
        session=session,
        course=session.page,
        title=session.page.title,
        start=session.start,
        end=session.end,
        quantity=quantity,
        status=S.HELD,
        order_line=line,
        hold_expires_at=expires_at,
        **_customer_of(line),
    )


def hold_lesson(line, teacher: Page, start: datetime, goal: str, expires_at: datetime) -> Booking:
    """Hold the lesson slot of ``teacher`` (a ``TeacherPage``) starting at ``start`` for order ``line``.

    Locks the teacher's ``LessonOffer`` row, cancels expired holds of this teacher and customer,
    checks the slot (rules and overlaps) and inserts the booking in a savepoint. Raises
    :class:`SlotTaken` (also when PostgreSQL's exclusion constraint refuses the row).
    """
    now = timezone.now()
    offer = LessonOffer.objects.select_for_update().get(teacher=teacher, active=True)
    existing = _existing_hold(line, now)
    if existing:
        return existing
    customer = _customer_of(line)
    expire_stale_holds(teacher_id=teacher.pk, email=customer["customer_email"], now=now)
    try:
        slot = check_lesson_start(offer, start, now=now)
    except slot_rules.SlotUnavailable as exc:
        raise SlotTaken(_(str(exc)) if exc.reason != "taken" else None, detail=exc.reason) from None
    mine = (
        Booking.objects.lessons()
        .filter(customer_email=customer["customer_email"], start__lt=slot.end, end__gt=slot.start)
        .occupying(now)
    )
    if mine.exists():
        raise SlotTaken(_("You already have a lesson at this time."), detail="customer overlap")
    try:
        with transaction.atomic():
            return Booking.objects.create(
                kind=Booking.LESSON,
                teacher=teacher,
                title=str(_("1:1 lesson with %(name)s") % {"name": teacher.title}),
                start=slot.start,
                end=slot.end,
                quantity=1,
                status=S.HELD,
                order_line=line,
                goal=(goal or "")[:2000],
                hold_expires_at=expires_at,
                **customer,
            )
    except IntegrityError as exc:  # PostgreSQL exclusion constraint: the last line of defence
        log.info("lesson overlap refused by the database: %s", exc)
        raise SlotTaken(detail="exclusion constraint") from None


def release_line(line) -> int:
    """Cancel ``line``'s held booking (payment failed, order cancelled, hold expired). Idempotent."""
    now = timezone.now()
    return Booking.objects.filter(order_line=line, status=S.HELD).update(
        status=S.CANCELLED, cancellation_reason="released", cancelled_at=now, updated_at=now
    )


def mark_line_paid(line) -> Booking | None:
    """Turn ``line``'s hold into a sale (idempotent). Seats are confirmed at once; lessons wait
    for the teacher. Emails the customer (with .ics) and the teacher after commit."""
    now = timezone.now()
    booking = (
        Booking.objects.select_for_update()
        .filter(order_line=line)
        .exclude(status=S.CANCELLED, cancellation_reason__in=["customer", "refunded"])
        .order_by("-pk")
        .first()
    )
    if booking is None:
        log.warning("order line %s paid without a booking", line.pk)
        return None
    if booking.status != S.HELD and booking.status != S.CANCELLED:
        return booking  # already paid: nothing changes the second time
    if booking.status == S.CANCELLED:
        # The hold expired before the payment arrived: take the seat/slot again if still free.
        booking = _revive_expired(booking, now)
        if booking is None:
            return None
    booking.set_status(S.PAID)
    booking.paid_at, booking.hold_expires_at = now, None
    if booking.kind == Booking.SEAT:
        booking.set_status(S.CONFIRMED)
        booking.confirmed_at = now
    booking.save()

    notify(booking.pk, "confirmation")
    if booking.kind == Booking.LESSON:
        notify(booking.pk, "teacher_new")
    return booking


def _revive_expired(old: Booking, now) -> Booking | None:
    """A paid line whose hold expired: hold it again (same rules) or log for staff to refund."""
    try:
        if old.kind == Booking.SEAT and old.session_id:
            return hold_seats(old.order_line, old.session, old.quantity, now + timedelta(minutes=5))
        if old.kind == Booking.LESSON and old.teacher_id:
            return hold_lesson(old.order_line, old.teacher, old.start, old.goal, now + timedelta(minutes=5))
    except CheckoutError as exc:
        log.error("paid order line %s lost its %s: %s — refund needed", old.order_line_id, old.kind, exc.detail)
        report(
            f"booking-lost:{old.pk}",
            kind=Kind.BOOKING,
            title=f"Paid {old.kind} booking #{old.pk} ({old.title}) could not be taken again",
            detail=f"{exc.detail or exc}. Refund the line or find the customer another time.",
            url=f"/admin/shop_orders/inspect/{old.order_line.order_id}/" if old.order_line_id else "",
        )
    return None


def line_refunded(line, quantity: int) -> None:
    """Staff refunded ``quantity`` units of ``line`` (``charge.refunded``): cancel what is left of
    the booking once the whole line is refunded. Declined/cancelled bookings stay as they are."""
    now = timezone.now()
    for booking in Booking.objects.select_for_update().filter(
        order_line=line, status__in=[S.HELD, S.PAID, S.CONFIRMED]
    ):
        if line.refunded_quantity >= line.quantity or quantity >= booking.quantity:
            booking.set_status(S.CANCELLED)
            booking.cancellation_reason, booking.cancelled_at = "refunded", now
            booking.save()

            notify(booking.pk, "cancelled")
        else:
            booking.quantity = max(1, booking.quantity - quantity)
            booking.save(update_fields=["quantity", "updated_at"])


# --- dashboard actions ------------------------------------------------------------------------


def _request_refund(booking_id: int, reason: str) -> bool:
    """Refund the booking's order line through the shop (Stripe Refund API), after the status
    change has committed (``refund_order_line`` must run outside row-locking transactions).
    Returns ``False`` (and logs) when the refund failed, so staff can retry from the order."""
    booking = Booking.objects.select_related("order_line").get(pk=booking_id)
    line = booking.order_line
    if line is None:
        return True
    quantity = min(booking.quantity, line.quantity - line.refunded_quantity)
    if quantity <= 0:
        return True

    try:
        refund_order_line(line, quantity, reason=reason, restock=False)
    except CheckoutError as exc:
        log.error("refund of booking %s (line %s) failed: %s", booking.pk, line.pk, exc.detail or exc)
        report(
            f"booking-refund-failed:{booking.pk}",
            kind=Kind.REFUND_FAILED,
            title=f"Refund of booking #{booking.pk} ({booking.title}) failed",
            detail=f"{reason}; {exc.detail or exc.user_message}. Refund it from the order.",
            url=f"/admin/shop_orders/inspect/{line.order_id}/",
        )
        return False
    Booking.objects.filter(pk=booking.pk).update(refund_requested_at=timezone.now())
    return True


def confirm(booking_id: int, teacher_user) -> Booking:
    """The teacher accepts a paid lesson (``paid → confirmed``). Only the booking's own teacher;
    ``Booking.DoesNotExist`` otherwise (404)."""
    with transaction.atomic():
        booking = _teacher_booking(booking_id, teacher_user)
        if booking.status == S.CONFIRMED:
            return booking
        if booking.status != S.PAID:
            raise BookingActionError(_("Only lessons awaiting confirmation can be confirmed."))
        booking.set_status(S.CONFIRMED)
        booking.confirmed_at = timezone.now()
        booking.save()

        notify(booking.pk, "confirmed")
    return booking


def decline(booking_id: int, teacher_user) -> tuple[Booking, bool]:
    """The teacher declines a paid lesson: ``paid → declined``, then the line is refunded through
    Stripe (``shop.refunds.refund_order_line``). Returns ``(booking, refunded_ok)``."""
    with transaction.atomic():
        booking = _teacher_booking(booking_id, teacher_user)
        if booking.status != S.PAID:
            raise BookingActionError(_("Only lessons awaiting confirmation can be declined."))
        _close(booking, S.DECLINED, "declined", event="declined")
    return _refund_closed(booking, reason="teacher declined the lesson")


def _close(booking: Booking, status, cancellation_reason: str, *, event: str) -> None:
    """Move a locked booking to ``status`` (declined / cancelled), stamp why and when, and queue
    the customer's email ``event``."""
    booking.set_status(status)
    booking.cancellation_reason, booking.cancelled_at = cancellation_reason, timezone.now()
    booking.save()

    notify(booking.pk, event)


def _refund_closed(booking: Booking, *, reason: str) -> tuple[Booking, bool]:
    """After the closing transaction committed: refund the line; ``(fresh booking, refunded_ok)``."""
    ok = _request_refund(booking.pk, reason=reason)
    booking.refresh_from_db()
    return booking, ok


def _teacher_booking(booking_id, user) -> Booking:
    """Lock and return the lesson booking ``booking_id`` if ``user`` is its teacher; else
    ``Booking.DoesNotExist`` (the view answers 404)."""
    return Booking.objects.select_for_update().get(pk=booking_id, kind=Booking.LESSON, teacher__user=user)


def can_cancel(booking: Booking, now=None) -> bool:
    """A customer may cancel a paid or confirmed booking until the cut-off before its start."""
    now = now or timezone.now()
    return booking.status in (S.PAID, S.CONFIRMED) and now < booking.start - cancel_cutoff()


def cancel_by_customer(booking_id: int, user) -> tuple[Booking, bool]:
    """The customer cancels before the cut-off: ``→ cancelled``, then the line is refunded.

    ``Booking.DoesNotExist`` when the booking is not theirs (404); :class:`BookingActionError`
    after the cut-off (no cancellation and no refund then). Returns ``(booking, refunded_ok)``."""
    with transaction.atomic():
        booking = Booking.objects.for_customer(user).select_for_update().get(pk=booking_id)
        if not can_cancel(booking):
            hours = int(cancel_cutoff().total_seconds() // 3600)
            raise BookingActionError(
                _("Bookings can be cancelled up to %(h)d hours before the start. Please contact us.") % {"h": hours}
            )
        _close(booking, S.CANCELLED, "customer", event="cancelled")
    return _refund_closed(booking, reason="customer cancelled before the cut-off")


def complete_past_bookings(now=None) -> int:
    """``confirmed → completed`` for bookings that have ended (scheduled every 15 minutes). Returns how many."""
    now = now or timezone.now()
    return Booking.objects.filter(status=S.CONFIRMED, end__lte=now).update(status=S.COMPLETED, updated_at=now)
