"""Figure: reconciliation with webhooks turned off — 10 orders paid at (local)Stripe, one
``reconcile_payments`` run → all 10 paid, each with one confirmation; a second run changes
nothing. And refunds that Stripe reports later: pending → applied on success, failed → "needs
attention". Runs on SQLite and PostgreSQL."""

import pytest
from django.core import mail
from django.core.management import call_command

from base.models.attention import NeedsAttention
from base.models.outbox import OutboxMessage
from shop.models import Order, Refund
from shop.refund_outcomes import record_stripe_answer
from shop.tests.payment_helpers import make_order, make_variant
from tests.stripe_fixtures import make_event, pay_with_test_card

pytestmark = pytest.mark.django_db


def test_ten_orders_paid_while_webhooks_were_off_are_paid_by_one_run(localstripe, django_capture_on_commit_callbacks):
    variant = make_variant(price=1500, stock=20)
    orders = [make_order([(variant, 1)], email=f"buyer{i}@example.com") for i in range(10)]
    for order in orders:  # each customer paid; no webhook reached us
        Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=pay_with_test_card(order.total, "eur"))
    unpaid = make_order([(variant, 1)], email="browsing@example.com")  # a PaymentIntent never confirmed
    Order.objects.filter(pk=unpaid.pk).update(stripe_payment_intent_id=None)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reconcile_payments", stdout=open("/dev/null", "w"))
    assert set(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True)) == {"paid"}
    assert Order.objects.get(pk=unpaid.pk).status == Order.Status.PENDING_PAYMENT
    for order in orders:
        assert len([m for m in mail.outbox if m.to == [order.email]]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reconcile_payments", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 10
    assert OutboxMessage.objects.filter(key__startswith="order-confirmation:", status="sent").count() == 10


def test_a_pending_refund_is_applied_only_when_stripe_says_it_succeeded(stripe_signer):
    order = make_order([(make_variant(price=2000, stock=5), 1)])
    Order.objects.filter(pk=order.pk).update(status="paid", stripe_payment_intent_id="pi_ref_1")
    refund = Refund.objects.create(order=order, amount=order.total, reason="customer asked")
    record_stripe_answer(refund, {"id": "re_1", "status": "pending", "payment_intent": "pi_ref_1"})
    refund.refresh_from_db()
    assert (refund.status, refund.applied_at) == ("pending", None)  # not treated as done
    assert Order.objects.get(pk=order.pk).status == "paid"
    updated = {
        "id": "re_1",
        "object": "refund",
        "status": "succeeded",
        "payment_intent": "pi_ref_1",
        "amount": order.total,
    }
    assert stripe_signer.post(make_event("refund.updated", updated)).status_code == 200
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.applied_at is not None
    assert Order.objects.get(pk=order.pk).status == "refunded"


def test_a_refund_that_fails_later_is_reported(stripe_signer):
    order = make_order([(make_variant(price=2000, stock=5), 1)])
    Order.objects.filter(pk=order.pk).update(status="paid", stripe_payment_intent_id="pi_ref_2")
    refund = Refund.objects.create(order=order, amount=order.total, reason="customer asked", stripe_refund_id="re_2")
    failed = {
        "id": "re_2",
        "object": "refund",
        "status": "failed",
        "failure_reason": "expired_or_canceled_card",
        "payment_intent": "pi_ref_2",
        "amount": order.total,
    }
    assert stripe_signer.post(make_event("charge.refund.updated", failed)).status_code == 200
    refund.refresh_from_db()
    assert refund.status == "failed" and "expired_or_canceled_card" in refund.failure_message
    entry = NeedsAttention.objects.get(key=f"refund-failed:{refund.pk}")
    assert entry.kind == "refund_failed" and order.reference in entry.title
    assert Order.objects.get(pk=order.pk).status == "paid"  # nothing was given back
