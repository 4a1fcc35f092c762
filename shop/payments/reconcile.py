"""Reconciliation: ask Stripe what happened to recent unpaid orders and pending refunds, and run
the same idempotent code as the webhook (Stripe's advice for missed webhooks:
https://docs.stripe.com/webhooks#handle-missed-events — a webhook endpoint that was down for an
hour loses nothing).

Scheduled every 10 minutes (``ShopConfig.ready``) and ``manage.py reconcile_payments``. Stripe is
called with no transaction open; each answer is applied by :func:`mark_paid`,
:func:`mark_failed`, :func:`shop.refund_outcomes.apply_refund_object` or
:func:`shop.refunds.refund_cancelled_order_payment`, which lock rows themselves.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import stripe
from django.conf import settings
from django.utils import timezone

from shop.models.orders import Order
from shop.models.refunds import Refund
from shop.payments.lifecycle import mark_failed, mark_paid
from shop.payments.stripe_client import field, get_client
from shop.refund_outcomes import apply_refund_object
from shop.refunds import CANCELLED_ORDER_REASON, has_automatic_refund, refund_cancelled_order_payment
from shop.status import OrderStatus

logger = logging.getLogger(__name__)

UNPAID = [OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_FAILED, OrderStatus.CANCELLED]


def reconcile_payments(*, days: int | None = None, now=None) -> dict:
    """Reconcile every order and refund younger than ``days`` (``RECONCILE_DAYS``, 3) with Stripe.

    - unpaid orders (pending, failed, or cancelled without an automatic refund) that have a
      PaymentIntent: ``succeeded`` → :func:`mark_paid` (which holds the items again or refunds),
      a failed attempt → :func:`mark_failed`;
    - refunds still ``pending`` with a Stripe id: their status is applied (succeeded → applied,
      failed → "needs attention");
    - automatic refunds Stripe has not accepted (it was unreachable): asked again, same
      idempotency key.

    Returns counts: ``{"orders_checked", "paid", "failed", "refunds_checked", "refunds_applied",
    "automatic_refunds_retried", "errors"}``. A Stripe error on one object is logged and counted;
    the others go on.
    """
    now = now or timezone.now()
    since = now - timedelta(days=days if days is not None else settings.RECONCILE_DAYS)
    client = get_client()
    counts = dict.fromkeys(
        [
            "orders_checked",
            "paid",
            "failed",
            "refunds_checked",
            "refunds_applied",
            "automatic_refunds_retried",
            "errors",
        ],
        0,
    )
    orders = Order.objects.filter(
        status__in=UNPAID, created_at__gte=since, stripe_payment_intent_id__isnull=False
    ).exclude(stripe_payment_intent_id="")
    for order in orders.order_by("pk"):
        if order.status == OrderStatus.CANCELLED and has_automatic_refund(order):
            continue
        counts["orders_checked"] += 1
        try:
            pi = client.v1.payment_intents.retrieve(order.stripe_payment_intent_id)
        except stripe.StripeError as exc:
            counts["errors"] += 1
            logger.warning("reconcile: cannot retrieve %s of %s: %s", order.stripe_payment_intent_id, order, exc)
            continue
        status = field(pi, "status")
        if status == "succeeded":
            _order, changed = mark_paid(order, pi)
            counts["paid"] += int(changed)
        elif status == "requires_payment_method" and field(pi, "last_payment_error"):
            _order, changed = mark_failed(order, pi, field(field(pi, "last_payment_error"), "message", ""))
            counts["failed"] += int(changed)

    pending = Refund.objects.filter(
        status=Refund.Status.PENDING, applied_at__isnull=True, created_at__gte=since, stripe_refund_id__isnull=False
    )
    for refund in pending.order_by("pk"):
        counts["refunds_checked"] += 1
        try:
            answer = client.v1.refunds.retrieve(refund.stripe_refund_id)
        except stripe.StripeError as exc:
            counts["errors"] += 1
            logger.warning("reconcile: cannot retrieve refund %s: %s", refund.stripe_refund_id, exc)
            continue
        counts["refunds_applied"] += apply_refund_object(answer)

    automatic = Refund.objects.filter(
        reason=CANCELLED_ORDER_REASON, created_at__gte=since, order__status=OrderStatus.CANCELLED
    ).exclude(status=Refund.Status.SUCCEEDED)
    for refund in automatic.select_related("order").order_by("pk"):
        counts["automatic_refunds_retried"] += 1
        refund_cancelled_order_payment(refund.order)
    if any(counts[k] for k in ("paid", "failed", "refunds_applied", "errors")):
        logger.warning("reconcile_payments: %s", counts)
    return counts
