"""The Stripe webhook: signatures, at-most-once processing, out-of-order and unknown events.

Events are signed exactly as Stripe signs them (tests/stripe_fixtures.py: HMAC-SHA256 over
``"{t}.{payload}"`` with the webhook secret) and posted to ``/shop/stripe/webhook/``.
"""

import json
import logging
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from shop.models import Order, PaymentEvent, ProductVariant, StockHold
from shop.payments import webhooks
from shop.signals import order_paid
from shop.tests.payment_helpers import make_order, make_variant
from tests.stripe_fixtures import make_event, payment_intent_object, sign_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    order = make_order([(make_variant(price=1800, stock=5), 2)])
    order.stripe_payment_intent_id = "pi_test_123"
    order.save()
    return order


def succeeded(order, **kw):
    return make_event(
        "payment_intent.succeeded",
        payment_intent_object(order.stripe_payment_intent_id, order.total, order.currency, reference=order.reference),
        **kw,
    )


def failed(order, message="Your card has insufficient funds.", **kw):
    return make_event(
        "payment_intent.payment_failed",
        payment_intent_object(
            order.stripe_payment_intent_id,
            order.total,
            order.currency,
            status="requires_payment_method",
            reference=order.reference,
            error_message=message,
        ),
        **kw,
    )


def test_url_is_shop_stripe_webhook():

    assert reverse("shop:stripe_webhook") == "/shop/stripe/webhook/"


@pytest.mark.parametrize("case", ["missing", "tampered", "wrong_secret", "stale", "garbage"])
def test_bad_signature_is_400_and_changes_nothing(client, stripe_signer, order, case):
    event = succeeded(order)
    if case == "missing":
        response = stripe_signer.post(event, header="")
    elif case == "tampered":
        header = sign_payload(json.dumps(event), stripe_signer.secret)
        event["data"]["object"]["amount"] = 1  # payload changed after signing
        response = stripe_signer.post(event, header=header)
    elif case == "wrong_secret":
        response = stripe_signer.post(event, secret="whsec_attacker")
    elif case == "stale":
        response = stripe_signer.post(event, timestamp=int(time.time()) - 3600)
    else:
        response = stripe_signer.post(event, header="t=1,v1=deadbeef")
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert not PaymentEvent.objects.exists()
    assert mail.outbox == []


def test_webhook_is_csrf_exempt(stripe_signer, order):

    stripe_signer.client = Client(enforce_csrf_checks=True)
    assert stripe_signer.post(succeeded(order)).status_code == 200


def test_succeeded_marks_paid_converts_holds_and_sends_one_email(stripe_signer, order):
    variant = ProductVariant.objects.get(pk=order.lines.get().purchasable_key)
    response = stripe_signer.post(succeeded(order))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.paid_at is not None
    variant.refresh_from_db()
    assert variant.stock == 3  # 5 on hand, 2 sold
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.CONVERTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["guest@example.com"]
    assert order.reference in mail.outbox[0].subject
    assert order.confirmation_sent_at is not None


def test_same_event_twice_changes_state_once_and_sends_one_email(stripe_signer, order):

    received = []
    order_paid.connect(lambda sender, order, **kw: received.append(order.pk), weak=False, dispatch_uid="t-once")
    try:
        event = succeeded(order)
        assert stripe_signer.post(event).status_code == 200
        assert stripe_signer.post(event).status_code == 200
        # A different event id for the same PaymentIntent (Stripe may send both) is also a no-op.
        assert stripe_signer.post(succeeded(order)).status_code == 200
    finally:
        order_paid.disconnect(dispatch_uid="t-once")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert received == [order.pk]
    assert len(mail.outbox) == 1
    assert PaymentEvent.objects.filter(event_id=event["id"]).count() == 1
    variant = ProductVariant.objects.get(pk=order.lines.get().purchasable_key)
    assert variant.stock == 3


def test_payment_failed_keeps_unpaid_with_reason_and_releases_holds(stripe_signer, order):
    response = stripe_signer.post(failed(order, "Your card has insufficient funds."))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAYMENT_FAILED
    assert order.payment_failure_reason == "Your card has insufficient funds."
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.RELEASED
    assert mail.outbox == []


def test_payment_failed_after_succeeded_does_not_unpay(stripe_signer, order):
    assert stripe_signer.post(succeeded(order)).status_code == 200
    assert stripe_signer.post(failed(order)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_failure_reason == ""
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.CONVERTED
    assert len(mail.outbox) == 1


def test_succeeded_after_failed_pays_the_order(stripe_signer, order):
    """A customer retries with another card on the same PaymentIntent."""
    stripe_signer.post(failed(order))
    stripe_signer.post(succeeded(order))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert len(mail.outbox) == 1


def test_unknown_payment_intent_is_logged_and_answered_200(stripe_signer, order, caplog):
    event = make_event("payment_intent.succeeded", payment_intent_object("pi_nobody_knows", 999))
    with caplog.at_level(logging.WARNING, logger="shop.payments"):
        response = stripe_signer.post(event)
    assert response.status_code == 200
    assert any("pi_nobody_knows" in r.getMessage() for r in caplog.records)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert PaymentEvent.objects.get(event_id=event["id"]).outcome == "unknown_payment_intent"


def test_amount_mismatch_does_not_mark_paid(stripe_signer, order, caplog):
    event = succeeded(order)
    event["data"]["object"]["amount"] = order.total - 100
    with caplog.at_level(logging.ERROR, logger="shop.payments"):
        assert stripe_signer.post(event).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_unhandled_event_type_is_recorded_and_ignored(stripe_signer, order):
    event = make_event("customer.created", {"id": "cus_1", "object": "customer"})
    assert stripe_signer.post(event).status_code == 200
    assert PaymentEvent.objects.get(event_id=event["id"]).outcome == "ignored"


def test_charge_refunded_goes_to_the_refunds_hook(stripe_signer, order, monkeypatch):
    seen = []
    monkeypatch.setattr(webhooks, "apply_charge_refunded", lambda charge, refunds=None: seen.append(charge["id"]) or 1)
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": order.stripe_payment_intent_id,
        "amount": order.total,
        "amount_refunded": order.total,
        "refunded": True,
        "refunds": {"object": "list", "data": []},  # embedded: nothing to list from Stripe
    }
    event = make_event("charge.refunded", charge)
    assert stripe_signer.post(event).status_code == 200
    assert stripe_signer.post(event).status_code == 200  # duplicate: hook not called again
    assert seen == ["ch_1"]
    record = PaymentEvent.objects.get(event_id=event["id"])
    assert record.order == order and record.outcome == "refund"


def test_get_is_not_allowed(client):
    assert client.get("/shop/stripe/webhook/").status_code == 405
