"""Expired holds vs payments: ``release_expired_holds`` cancels the order *and* its PaymentIntent,
and a payment that still succeeds for the cancelled order (a race) either reinstates the order
(items held again) or is refunded in full automatically, with an email to the customer.

Webhook events are signed exactly as Stripe signs them (``stripe_signer``); the PaymentIntents,
their cancellation and the refunds are real ones on a local localstripe.
"""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from shop.models import Order, PaymentEvent, ProductVariant, Refund, StockHold
from shop.payments.lifecycle import create_or_get_payment_intent
from shop.payments.stripe_client import get_client
from shop.refunds import CANCELLED_ORDER_REASON
from shop.tests.payment_helpers import make_order, make_variant
from tests.stripe_fixtures import make_event, payment_intent_object

pytestmark = pytest.mark.django_db


def expire(order):
    past = timezone.now() - timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(hold_expires_at=past)
    StockHold.objects.filter(order_line__order=order).update(expires_at=past)


def paid_payment_intent(amount, currency="eur"):
    """A PaymentIntent that really succeeded at (local)Stripe: test card 4242, confirmed."""
    client = get_client()
    pm = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
    )
    pi = client.v1.payment_intents.create(
        params={"amount": amount, "currency": currency, "payment_method": pm.id, "confirm": True}
    )
    assert pi.status == "succeeded"
    return pi


def succeeded_event(order):
    return make_event(
        "payment_intent.succeeded",
        payment_intent_object(order.stripe_payment_intent_id, order.total, order.currency, reference=order.reference),
    )


def stripe_refund_amounts(pi_id):
    return [r.amount for r in get_client().v1.refunds.list(params={"payment_intent": pi_id}).data]


# ----------------------------------------------------------------------- release_expired_holds


def test_expired_order_is_cancelled_with_its_payment_intent(localstripe):
    variant = make_variant(price=1800, stock=3)
    order = make_order([(variant, 2)])
    pi = create_or_get_payment_intent(order)
    expire(order)

    call_command("release_expired_holds", verbosity=0)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancelled_at
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.RELEASED
    assert get_client().v1.payment_intents.retrieve(pi.id).status == "canceled"
    # An order whose hold is still running is left alone.
    fresh = make_order([(variant, 1)])
    call_command("release_expired_holds", verbosity=0)
    assert Order.objects.get(pk=fresh.pk).status == Order.Status.PENDING_PAYMENT


def test_stripe_error_while_cancelling_is_logged_and_order_still_cancelled(localstripe, caplog):
    order = make_order([(make_variant(stock=2), 1)])
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_unknown_to_stripe")
    expire(order)
    with caplog.at_level(logging.WARNING, logger="shop.payments"):
        call_command("release_expired_holds", verbosity=0)
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert any("pi_unknown_to_stripe" in r.getMessage() for r in caplog.records)


# ----------------------------------------------------------------------- payment after cancel


def test_late_payment_with_items_still_free_reinstates_and_pays_the_order(localstripe, stripe_signer):
    variant = make_variant(price=1800, stock=5)
    order = make_order([(variant, 2)], email="late@example.com")
    pi = paid_payment_intent(order.total)  # the customer paid just as the hold ran out
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=pi.id)
    order.refresh_from_db()
    expire(order)
    call_command("release_expired_holds", verbosity=0)
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED

    response = stripe_signer.post(succeeded_event(order))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at and order.cancelled_at is None
    variant.refresh_from_db()
    assert variant.stock == 3
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.CONVERTED
    assert [m.to for m in mail.outbox] == [["late@example.com"]]
    assert order.reference in mail.outbox[0].subject and "refund" not in mail.outbox[0].subject.lower()
    assert not Refund.objects.exists()
    assert stripe_refund_amounts(pi.id) == []


def test_late_payment_for_sold_out_items_is_refunded_in_full_and_customer_told(localstripe, stripe_signer):
    variant = make_variant(title="Lemon tart", price=3200, stock=2)
    order = make_order([(variant, 2)], email="late@example.com", shipping=500)
    pi = paid_payment_intent(order.total)
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=pi.id)
    order.refresh_from_db()
    expire(order)
    call_command("release_expired_holds", verbosity=0)
    other = make_order([(variant, 2)], email="other@example.com")  # someone else took the last two

    event = succeeded_event(order)
    response = stripe_signer.post(event)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.paid_at is None
    assert PaymentEvent.objects.get(event_id=event["id"]).outcome == "paid_but_order_cancelled"
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.status, refund.reason) == (6900, Refund.Status.SUCCEEDED, CANCELLED_ORDER_REASON)
    assert refund.stripe_refund_id
    assert stripe_refund_amounts(pi.id) == [6900]
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["late@example.com"]
    assert order.reference in notice.subject and "refunded" in notice.subject
    assert "could not be completed" in notice.body and "€69.00" in notice.body and "Lemon tart" in notice.body
    assert "We have refunded your payment in full" in notice.alternatives[0][0]
    # The other customer's hold is untouched and nothing was sold.
    assert StockHold.objects.get(order_line__order=other).status == StockHold.Status.HELD
    assert ProductVariant.objects.get(pk=variant.pk).stock == 2

    # Stripe delivers the event again (and under a new id): no second refund, no second email.
    assert stripe_signer.post(event).status_code == 200
    assert stripe_signer.post(succeeded_event(order)).status_code == 200
    assert stripe_refund_amounts(pi.id) == [6900]
    assert Refund.objects.filter(order=order).count() == 1
    assert len(mail.outbox) == 1

    # Stripe's charge.refunded for that refund changes nothing either.
    charge = {
        "id": "ch_late",
        "object": "charge",
        "payment_intent": pi.id,
        "amount": order.total,
        "amount_refunded": order.total,
        "refunded": True,
        "refunds": {
            "data": [
                {
                    "id": refund.stripe_refund_id,
                    "amount": order.total,
                    "status": "succeeded",
                    "metadata": {"refund_id": str(refund.pk)},
                }
            ]
        },
    }
    assert stripe_signer.post(make_event("charge.refunded", charge)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert [(line.refunded_quantity, line.refunded_amount) for line in order.lines.all()] == [(0, 0)]
    assert Refund.objects.filter(order=order).count() == 1


def test_refund_refused_by_stripe_is_logged_and_kept_for_staff(localstripe, stripe_signer, caplog):
    variant = make_variant(price=1800, stock=1)
    order = make_order([(variant, 1)])
    # Stripe knows no such PaymentIntent, so it refuses the refund.
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_never_at_stripe")
    order.refresh_from_db()
    expire(order)
    call_command("release_expired_holds", verbosity=0)
    make_order([(variant, 1)], email="other@example.com")

    with caplog.at_level(logging.ERROR, logger="shop.refunds"):
        assert stripe_signer.post(succeeded_event(order)).status_code == 200

    refund = Refund.objects.get(order=order)
    assert refund.status == Refund.Status.FAILED and refund.failure_message
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert mail.outbox == []
    assert any("automatic refund" in r.getMessage() for r in caplog.records)
