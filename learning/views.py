"""Learning views: add seats / a lesson to the cart, "My bookings", the teacher dashboard.

Views are thin: rules live in :mod:`learning.booking` and :mod:`learning.slots`; the cart is the
shop's (:func:`shop.cart.add_to_cart`). Bad input never changes anything and never yields a 500:
it gets a message and a redirect back. Another person's booking is a 404.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from base import parsing
from learning.models.bookings import Booking, BookingStatus
from learning.models.teachers import TEACHERS_GROUP, TeacherPage
from shop import cart as cart_service
from shop.exceptions import CheckoutError

from . import booking as services
from .forms import (
    AvailabilityFormSet,
    BlackoutFormSet,
    LessonOfferSettingsForm,
    LessonRequestForm,
    SeatRequestForm,
)
from .ics import booking_ics
from .purchasables import lesson_key

log = logging.getLogger(__name__)


def _back(request, fallback: str):
    return redirect(
        parsing.next_url(request, request.POST.get("next"), request.headers.get("Referer"), default=fallback)
    )


def _add_to_cart(request, kind: str, key: str, quantity: int, options: dict) -> bool:

    try:
        _line, purchasable = cart_service.add_to_cart(request, kind, key, str(quantity), options)
    except CheckoutError as exc:
        log.info("learning cart add refused: %s", exc)
        messages.error(request, exc.user_message)
        return False
    messages.success(request, _("Added %(title)s to your cart.") % {"title": purchasable.title})
    return True


# --- course seats ------------------------------------------------------------------------------


@require_POST
def add_seats(request):
    """POST ``session`` + ``quantity`` → a ``session_seat`` cart line. Prices are never read."""
    form = SeatRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, "/")
    session, quantity = form.cleaned_data["session"], form.cleaned_data["quantity"]
    if _add_to_cart(request, "session_seat", str(session.pk), quantity, {}):
        return redirect("shop:cart")
    return _back(request, session.page.url or "/")


# --- 1:1 lessons -------------------------------------------------------------------------------


@require_POST
def add_lesson(request):
    """POST ``teacher``, ``start`` (ISO UTC) and ``goal`` → a ``lesson`` cart line (quantity 1).

    The slot is checked against the teacher's rules and bookings first so the customer learns
    why a time cannot be booked (past, lead time, horizon, outside availability, taken)."""
    form = LessonRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, "/")
    teacher, _offer, start = form.cleaned_data["teacher"], form.cleaned_data["offer"], form.cleaned_data["start"]
    goal = form.cleaned_data["goal"]
    if _add_to_cart(request, "lesson", lesson_key(teacher.pk, start), 1, {"goal": goal} if goal else {}):
        return redirect("shop:cart")
    day = start.astimezone(services.site_tz()).date().isoformat()
    return redirect(f"{teacher.url}?date={day}#book")


# --- customer: My bookings ---------------------------------------------------------------------


@login_required
@require_GET
def my_bookings(request):
    """The signed-in customer's bookings: upcoming and past, status, cancel while allowed, .ics."""
    now = timezone.now()
    bookings = list(
        Booking.objects.for_customer(request.user)
        .visible_to_customer()
        .exclude(status=BookingStatus.HELD)
        .select_related("teacher", "session", "course")
        .order_by("start")
    )
    for b in bookings:
        b.can_cancel = services.can_cancel(b, now)
    upcoming = [b for b in bookings if b.end > now]
    past = [b for b in bookings if b.end <= now][::-1]
    return render(
        request,
        "learning/my_bookings.html",
        {
            "upcoming": upcoming,
            "past": past,
            "tz_name": services.site_tz().key,
            "cutoff_hours": int(services.cancel_cutoff().total_seconds() // 3600),
            "robots_noindex": True,
        },
    )


@login_required
@require_POST
def cancel_booking(request, pk: int):
    """Cancel one's own booking before the cut-off (refunded); another's is a 404."""
    try:
        booking, refunded = services.cancel_by_customer(pk, request.user)
    except Booking.DoesNotExist:
        raise Http404 from None
    except services.BookingActionError as exc:
        messages.error(request, exc.user_message)
        return redirect("learning:my_bookings")
    if refunded:
        messages.success(request, _("Your booking is cancelled; the refund is on its way to your card."))
    else:
        messages.warning(request, _("Your booking is cancelled. We will refund you shortly."))
    return redirect("learning:my_bookings")


@login_required
@require_GET
def booking_ics_view(request, pk: int):
    """The booking as an .ics file, for its customer or its teacher."""
    booking = (
        Booking.objects.for_customer(request.user).filter(pk=pk).first()
        or Booking.objects.filter(pk=pk, teacher__user=request.user).first()
    )
    if booking is None:
        raise Http404
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


# --- teachers ----------------------------------------------------------------------------------


def _teacher_page_for(request) -> TeacherPage:
    """The signed-in user's TeacherPage; ``PermissionDenied`` for anyone else (no dashboard)."""
    user = request.user
    if not user.groups.filter(name=TEACHERS_GROUP).exists():
        raise PermissionDenied
    page = TeacherPage.objects.filter(user=user).first()
    if page is None:
        raise PermissionDenied
    return page


def _teacher_action(request, action, pk: int):
    """Run ``action(pk, user)`` for the signed-in teacher: ``(True, result)``, or ``(False, None)``
    after flashing a :class:`BookingActionError`; a booking that is not theirs is a 404."""
    _teacher_page_for(request)
    try:
        return True, action(pk, request.user)
    except Booking.DoesNotExist:
        raise Http404 from None
    except services.BookingActionError as exc:
        messages.error(request, exc.user_message)
        return False, None


@login_required
@require_GET
def teacher_dashboard(request):
    """A teacher's upcoming lessons (customer's name and goal) with confirm / decline."""
    teacher = _teacher_page_for(request)
    now = timezone.now()
    bookings = list(
        Booking.objects.lessons()
        .filter(
            teacher=teacher,
            end__gt=now,
            status__in=[BookingStatus.PAID, BookingStatus.CONFIRMED, BookingStatus.DECLINED],
        )
        .order_by("start")
    )
    recent = list(
        Booking.objects.lessons()
        .filter(teacher=teacher, end__lte=now, status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED])
        .order_by("-start")[:10]
    )
    return render(
        request,
        "learning/teacher_dashboard.html",
        {
            "teacher": teacher,
            "awaiting": [b for b in bookings if b.status == BookingStatus.PAID],
            "upcoming": [b for b in bookings if b.status != BookingStatus.PAID],
            "recent": recent,
            "tz_name": services.site_tz().key,
            "robots_noindex": True,
        },
    )


@login_required
@require_POST
def teacher_confirm(request, pk: int):
    ok, _booking = _teacher_action(request, services.confirm, pk)
    if ok:
        messages.success(request, _("Lesson confirmed; the customer has been told."))
    return redirect("learning:teacher_dashboard")


@login_required
@require_POST
def teacher_decline(request, pk: int):
    ok, result = _teacher_action(request, services.decline, pk)
    if ok:
        _booking, refunded = result
        if refunded:
            messages.success(request, _("Lesson declined; the customer is being refunded."))
        else:
            messages.warning(
                request,
                _("Lesson declined. The refund failed; the shop staff have been alerted and will refund the customer."),
            )
    return redirect("learning:teacher_dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def teacher_availability(request):
    """A teacher edits their own weekly windows, blackout dates and booking rules."""
    teacher = _teacher_page_for(request)
    offer = teacher.offer or getattr(teacher, "lesson_offer", None)
    if offer is None:
        messages.info(request, _("Ask the shop to set up your lesson offer (duration and price) first."))
        return redirect("learning:teacher_dashboard")
    data = request.POST if request.method == "POST" else None
    settings_form = LessonOfferSettingsForm(data, instance=offer)
    windows = AvailabilityFormSet(data, instance=offer, prefix="windows")
    blackouts = BlackoutFormSet(data, instance=offer, prefix="blackouts")
    if data is not None:
        if settings_form.is_valid() and windows.is_valid() and blackouts.is_valid():
            with transaction.atomic():
                settings_form.save()
                windows.save()
                blackouts.save()
            messages.success(request, _("Your availability is saved."))
            return redirect("learning:teacher_availability")
        messages.error(request, _("Please correct the highlighted fields."))
    return render(
        request,
        "learning/teacher_availability.html",
        {
            "teacher": teacher,
            "settings_form": settings_form,
            "windows": windows,
            "blackouts": blackouts,
            "tz_name": services.site_tz().key,
            "robots_noindex": True,
        },
    )
