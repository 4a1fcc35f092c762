"""Declines and cancellations refund through Stripe (a real localstripe server, SHOP-B's fixture)
via ``shop.refunds.refund_order_line``."""

import pytest
from django.core import mail

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
from tests.stripe_fixtures import pay_with_test_card, refund_amounts

pytestmark = pytest.mark.django_db


def paid_with_stripe(lines, **kwargs):
    """Place an order for ``lines`` and pay it with a real (localstripe) PaymentIntent."""
    order = place_cart(lines, **kwargs)
    return pay(order, pi=pay_with_test_card(order.total, order.currency))


def stripe_refund_amounts(order):
    return refund_amounts(order.stripe_payment_intent_id)


def test_teacher_declines_a_paid_lesson_and_it_is_refunded(localstripe, client, django_capture_on_commit_callbacks):
    teacher = make_teacher("Camille Roux", price=6500)
    customer = make_user("claire@example.com")
    slot = first_free_slot(teacher)
    order = paid_with_stripe(
        [("lesson", lesson_line_key(teacher, slot), 1, {"goal": "Shells"})], email=customer.email, user=customer
    )
    booking = Booking.objects.get(order_line__order=order)
    assert booking.status == BookingStatus.PAID
    client.force_login(teacher.user)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/learning/teach/bookings/{booking.pk}/decline/")
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED and booking.refund_requested_at is not None
    assert stripe_refund_amounts(order) == [6500]
    line = booking.order_line
    line.refresh_from_db()
    assert line.refunded_quantity == 1
    order.refresh_from_db()
    assert order.status == "refunded"
    declined = [m for m in mail.outbox if m.subject.startswith("Declined")]
    assert declined and declined[0].to == ["claire@example.com"]
    # the slot is free again for someone else
    again = place_cart([("lesson", lesson_line_key(teacher, slot), 1, {})], email="next@example.com")
    assert Booking.objects.get(order_line__order=again).status == BookingStatus.HELD


def test_customer_cancels_seats_before_the_cutoff_with_a_refund(localstripe, client):
    course = make_course("Tarts", price=7500, sessions=[(6, 8)])
    session = course.sessions.get()
    customer = make_user("ana@example.com")
    order = paid_with_stripe([("session_seat", str(session.pk), 2, {})], email=customer.email, user=customer)
    booking = Booking.objects.get(order_line__order=order)
    assert booking.status == BookingStatus.CONFIRMED and session.seats_taken() == 2
    client.force_login(customer)
    r = client.post(f"/learning/bookings/{booking.pk}/cancel/")
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancellation_reason == "customer"
    assert stripe_refund_amounts(order) == [15000]
    assert session.seats_taken() == 0
