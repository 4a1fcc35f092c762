"""Holds, payment, lifecycle and emails of course seats and 1:1 lessons, through the shop's real
checkout (``place_order``) and payment (``mark_paid``)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from learning import booking as services
from learning.models import Booking, BookingStatus
from learning.tests.helpers import (
    first_free_slot,
    lesson_line_key,
    make_course,
    make_teacher,
    make_user,
    pay,
    place_cart,
)
from shop.exceptions import SeatsUnavailable, SlotTaken
from shop.status import InvalidTransition

pytestmark = pytest.mark.django_db


def seat_line(session, quantity):
    return ("session_seat", str(session.pk), quantity, {})


def test_seats_are_held_until_capacity_then_refused():
    course = make_course(sessions=[(5, 3)])
    session = course.sessions.get()
    place_cart([seat_line(session, 2)], email="a@example.com")
    with pytest.raises(SeatsUnavailable) as exc:
        place_cart([seat_line(session, 2)], email="b@example.com")
    assert "only 1 seat" in str(exc.value.user_message)
    place_cart([seat_line(session, 1)], email="c@example.com")
    assert session.seats_taken() == 3
    with pytest.raises(SeatsUnavailable):
        place_cart([seat_line(session, 1)], email="d@example.com")
    assert Booking.objects.filter(session=session).count() == 2


def test_expired_seat_holds_free_their_seats():
    course = make_course(sessions=[(5, 2)])
    session = course.sessions.get()
    place_cart([seat_line(session, 2)], email="a@example.com")
    Booking.objects.update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert session.seats_taken() == 0
    place_cart([seat_line(session, 2)], email="b@example.com")
    assert session.seats_taken() == 2


def test_paid_seats_are_confirmed_and_the_customer_gets_an_ics(django_capture_on_commit_callbacks):
    course = make_course("Tart class", sessions=[(5, 8)])
    session = course.sessions.get()
    order = place_cart([seat_line(session, 2)], email="claire@example.com")
    booking = Booking.objects.get(order_line__order=order)
    assert booking.status == BookingStatus.HELD and booking.quantity == 2
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    mine = [m for m in mail.outbox if m.subject.startswith("Your booking")]
    assert len(mine) == 1 and mine[0].to == ["claire@example.com"]
    name, content, mimetype = mine[0].attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VTIMEZONE" in text and "TZID=Europe/Paris" in text and "SUMMARY:Tart class" in text
    # paying twice changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_line_paid(booking.order_line)
    assert Booking.objects.filter(order_line=booking.order_line).count() == 1


def test_lesson_hold_pay_and_teacher_notice(django_capture_on_commit_callbacks):
    teacher = make_teacher("Hugo Bernard")
    slot = first_free_slot(teacher)
    order = place_cart([("lesson", lesson_line_key(teacher, slot), 1, {"goal": "Croissants"})], email="ana@example.com")
    booking = Booking.objects.get(order_line__order=order)
    assert (booking.start, booking.end, booking.goal, booking.status) == (slot.start, slot.end, "Croissants", "held")
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PAID  # waits for the teacher
    assert {m.to[0] for m in mail.outbox if "lesson" in m.subject.lower() or "booking" in m.subject.lower()} >= {
        "ana@example.com",
        teacher.user.email,
    }
    teacher_mail = next(m for m in mail.outbox if m.to == [teacher.user.email])
    assert "Croissants" in teacher_mail.body and "Europe/Paris" in teacher_mail.body


def test_a_held_slot_is_taken_for_others_but_an_expired_hold_is_not():
    teacher = make_teacher()
    slot = first_free_slot(teacher)
    key = lesson_line_key(teacher, slot)
    place_cart([("lesson", key, 1, {})], email="first@example.com")
    with pytest.raises(SlotTaken):
        place_cart([("lesson", key, 1, {})], email="second@example.com")
    Booking.objects.update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    order = place_cart([("lesson", key, 1, {})], email="second@example.com")
    assert Booking.objects.get(order_line__order=order).status == BookingStatus.HELD
    expired = Booking.objects.get(customer_email="first@example.com")
    assert (expired.status, expired.cancellation_reason) == ("cancelled", "expired")


def test_overlapping_slot_and_own_overlap_are_refused():
    teacher = make_teacher(duration=90, step=30)
    slot = first_free_slot(teacher)
    place_cart([("lesson", lesson_line_key(teacher, slot), 1, {})], email="first@example.com")
    half_later = slot.start + timedelta(minutes=30)
    with pytest.raises(SlotTaken):
        place_cart([("lesson", f"{teacher.pk}:{half_later:%Y-%m-%dT%H:%M:%SZ}", 1, {})], email="x@example.com")
    other = make_teacher("Amara Diallo", duration=90, step=30)  # same slot grid
    with pytest.raises(SlotTaken) as exc:  # the same customer cannot be in two lessons at once
        place_cart([("lesson", lesson_line_key(other, slot), 1, {})], email="first@example.com")
    assert "already have a lesson" in str(exc.value.user_message)


def test_transition_table_is_enforced():
    booking = Booking(status=BookingStatus.HELD)
    with pytest.raises(InvalidTransition):
        booking.set_status(BookingStatus.CONFIRMED)
    booking.set_status(BookingStatus.PAID)
    booking.set_status(BookingStatus.DECLINED)
    with pytest.raises(InvalidTransition):
        booking.set_status(BookingStatus.CONFIRMED)


def test_release_and_complete():
    teacher = make_teacher()
    slot = first_free_slot(teacher)
    order = place_cart([("lesson", lesson_line_key(teacher, slot), 1, {})])
    line = order.lines.get()
    services.release_line(line)
    assert Booking.objects.get(order_line=line).status == BookingStatus.CANCELLED
    past = timezone.now() - timedelta(days=2)
    b = Booking.objects.create(
        kind="lesson",
        teacher=teacher,
        title="Old",
        customer_email="o@example.com",
        start=past,
        end=past + timedelta(hours=1),
        status=BookingStatus.CONFIRMED,
    )
    assert services.complete_past_bookings() == 1
    b.refresh_from_db()
    assert b.status == BookingStatus.COMPLETED


def test_confirm_is_only_for_the_booking_teacher(django_capture_on_commit_callbacks):
    teacher, other = make_teacher(), make_teacher("Other")
    slot = first_free_slot(teacher)
    order = place_cart([("lesson", lesson_line_key(teacher, slot), 1, {})], email="c@example.com")
    pay(order)
    booking = Booking.objects.get(order_line__order=order)
    with pytest.raises(Booking.DoesNotExist):
        services.confirm(booking.pk, other.user)
    with pytest.raises(Booking.DoesNotExist):
        services.confirm(booking.pk, make_user())
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(booking.pk, teacher.user)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    confirmed = [m for m in mail.outbox if m.subject.startswith("Confirmed")]
    assert confirmed and confirmed[0].to == ["c@example.com"] and confirmed[0].attachments
