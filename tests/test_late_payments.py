"""Figure: the late-failure race for a product unit, a course seat and a lesson slot.

Customer A's ``payment_intent.payment_failed`` arrives first (A's holds are released), customer
B buys the last unit / seat / slot, then A's card succeeds after all (events out of order).
Expected: 0 double sales; A's payment refunded in full at (local)Stripe; A emailed why; a
"needs attention" entry. Runs on SQLite and PostgreSQL; the webhooks are signed as Stripe signs
them and posted to the real endpoint; PaymentIntents and refunds are real ones on localstripe.
"""

import threading

import pytest
from django.core import mail
from django.db import connections

from base.models.attention import NeedsAttention
from learning.models import Booking, BookingStatus
from learning.tests.helpers import first_free_slot, lesson_line_key, make_course, make_teacher, place_cart
from shop.exceptions import CheckoutError
from shop.models import Order, ProductVariant, Refund
from shop.payments.lifecycle import mark_failed, mark_paid
from shop.refunds import CANCELLED_ORDER_REASON
from shop.tests.payment_helpers import make_order, make_variant
from tests.process_helpers import needs_postgres
from tests.stripe_fixtures import make_event, pay_with_test_card, payment_intent_object, refund_amounts

pytestmark = pytest.mark.django_db


def product_unit():
    variant = make_variant(title="Opera cake", price=3200, stock=1)
    return (lambda email: make_order([(variant, 1)], email=email)), (lambda: ProductVariant.objects.get(pk=variant.pk))


def course_seat():
    session = make_course("Choux class", price=9000, sessions=[(10, 1)]).sessions.get()
    line = ("session_seat", str(session.pk), 1, {})
    return (lambda email: place_cart([line], email=email)), (lambda: session)


def lesson_slot():
    teacher = make_teacher("Léa Blanc", price=6000)
    line = ("lesson", lesson_line_key(teacher, first_free_slot(teacher)), 1, {"goal": "Tart crust"})
    return (lambda email: place_cart([line], email=email)), (lambda: teacher)


def sold(kind, item) -> int:
    """Units sold of the item: stock gone for a product, paid/confirmed bookings otherwise."""
    if kind == "unit":
        return 1 - item().stock
    live = [BookingStatus.PAID, BookingStatus.CONFIRMED]
    if kind == "seat":
        return sum(Booking.objects.filter(session=item(), status__in=live).values_list("quantity", flat=True))
    return Booking.objects.filter(teacher=item(), status__in=live).count()


def event(kind, order, status):
    obj = payment_intent_object(
        order.stripe_payment_intent_id,
        order.total,
        order.currency,
        status=status,
        reference=order.reference,
        error_message="Your card was declined." if status != "succeeded" else "",
    )
    return make_event(kind, obj)


@pytest.mark.parametrize("kind,build", [("unit", product_unit), ("seat", course_seat), ("lesson", lesson_slot)])
def test_late_success_after_failure_when_the_item_was_sold_meanwhile(kind, build, localstripe, stripe_signer):
    place, item = build()
    first = place("first@example.com")
    pi = pay_with_test_card(first.total, first.currency)  # the card really succeeded at Stripe …
    Order.objects.filter(pk=first.pk).update(stripe_payment_intent_id=pi)
    first.refresh_from_db()
    # … but the failure of an earlier attempt is delivered first: A's holds are released.
    assert (
        stripe_signer.post(event("payment_intent.payment_failed", first, "requires_payment_method")).status_code == 200
    )
    assert Order.objects.get(pk=first.pk).status == Order.Status.PAYMENT_FAILED
    second = place("second@example.com")  # B takes the last one and pays
    second, changed = mark_paid(second)
    assert changed and second.status == Order.Status.PAID
    mail.outbox.clear()

    # A's success finally arrives.
    assert stripe_signer.post(event("payment_intent.succeeded", first, "succeeded")).status_code == 200

    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED and first.paid_at is None
    assert sold(kind, item) == 1  # 0 double sales
    refund = Refund.objects.get(order=first)
    assert (refund.amount, refund.status, refund.reason) == (
        first.total,
        Refund.Status.SUCCEEDED,
        CANCELLED_ORDER_REASON,
    )
    assert refund_amounts(pi) == [first.total]  # refunded in full at Stripe
    notices = [m for m in mail.outbox if m.to == ["first@example.com"]]
    assert len(notices) == 1 and "refunded" in notices[0].subject and "could not be completed" in notices[0].body
    entry = NeedsAttention.objects.get(key=f"paid-unavailable:{first.pk}")
    assert entry.kind == NeedsAttention.Kind.PAYMENT_REFUNDED and first.reference in entry.title

    # Stripe retries the event (or reconciliation finds it): nothing changes twice.
    assert stripe_signer.post(event("payment_intent.succeeded", first, "succeeded")).status_code == 200
    assert refund_amounts(pi) == [first.total] and Refund.objects.filter(order=first).count() == 1
    assert sold(kind, item) == 1


@pytest.mark.parametrize("kind,build", [("unit", product_unit), ("seat", course_seat), ("lesson", lesson_slot)])
def test_late_success_after_failure_takes_the_item_again_when_still_free(kind, build, localstripe, stripe_signer):
    place, item = build()
    first = place("first@example.com")
    pi = pay_with_test_card(first.total, first.currency)
    Order.objects.filter(pk=first.pk).update(stripe_payment_intent_id=pi)
    first.refresh_from_db()
    assert (
        stripe_signer.post(event("payment_intent.payment_failed", first, "requires_payment_method")).status_code == 200
    )
    assert stripe_signer.post(event("payment_intent.succeeded", first, "succeeded")).status_code == 200
    first.refresh_from_db()
    assert first.status == Order.Status.PAID
    assert sold(kind, item) == 1
    assert not Refund.objects.filter(order=first).exists()
    assert refund_amounts(pi) == []


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind,build", [("unit", product_unit), ("seat", course_seat), ("lesson", lesson_slot)])
def test_late_success_racing_ten_new_checkouts(kind, build, postgres, localstripe):
    """PostgreSQL, real threads: A's late success and 10 other customers' checkout-and-pay of the
    last unit / seat / slot start together. Exactly one sale, whoever wins; if A lost, A is
    refunded in full, emailed and reported."""
    place, item = build()
    first = place("first@example.com")
    pi = pay_with_test_card(first.total, first.currency)
    Order.objects.filter(pk=first.pk).update(stripe_payment_intent_id=pi)
    mark_failed(Order.objects.get(pk=first.pk), reason="declined")  # A's holds are released
    barrier = threading.Barrier(11)
    errors = []

    def late_success():
        try:
            barrier.wait(timeout=30)
            mark_paid(Order.objects.get(pk=first.pk))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def other(n):
        try:
            barrier.wait(timeout=30)
            try:
                order = place(f"other{n}@example.com")
            except CheckoutError:
                return  # sold out / full / taken: expected
            mark_paid(order)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=late_success)] + [threading.Thread(target=other, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sold(kind, item) == 1  # 0 double sales
    first.refresh_from_db()
    if first.status == Order.Status.PAID:
        assert refund_amounts(pi) == []
    else:
        assert first.status == Order.Status.CANCELLED
        assert refund_amounts(pi) == [first.total]
        assert len([m for m in mail.outbox if m.to == ["first@example.com"] and "refunded" in m.subject]) == 1
        assert NeedsAttention.objects.filter(key=f"paid-unavailable:{first.pk}").exists()
    print(
        f"\nFIGURE late race ({kind}): 1 sale, A {'won the item back' if first.status == 'paid' else 'refunded in full'}"
    )
