"""Test-mode help on the payment page (localstripe or Stripe test keys): a declined test card
leaves a PaymentIntent that cannot be retried, so the page gets a fresh one."""

from __future__ import annotations

import logging

import stripe
from django.db import transaction
from django.utils import timezone

from shop.models.orders import Order
from shop.payments.lifecycle import idempotency_key, payment_intent_params
from shop.payments.stripe_client import get_client, is_test_stack

logger = logging.getLogger(__name__)


def replace_failed_test_payment_intent(order: Order):
    """TEST MODE ONLY (localstripe): give the order a fresh PaymentIntent after a declined attempt.

    Real Stripe lets the customer retry on the same PaymentIntent; localstripe 1.15.10 keeps a
    declined PaymentIntent in ``requires_payment_method`` for good (its ``confirm`` refuses it), so
    the demo could never retry. Cancels the old one and creates a new one (idempotency key with a
    ``-retry-<n>`` suffix). Raises ``RuntimeError`` against the real Stripe API.
    """

    if not is_test_stack():
        raise RuntimeError("replace_failed_test_payment_intent is for localstripe only")
    client = get_client()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        old = locked.stripe_payment_intent_id
        if old:
            try:
                client.v1.payment_intents.cancel(old)
            except stripe.StripeError as exc:
                logger.info("TEST MODE: could not cancel %s: %s", old, exc)
        retry = locked.payment_events.count() + 1
        pi = client.v1.payment_intents.create(
            params=payment_intent_params(locked),
            options={"idempotency_key": f"{idempotency_key(locked)}-retry-{retry}-{timezone.now().timestamp()}"},
        )
        locked.stripe_payment_intent_id = pi.id
        locked.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    logger.info("TEST MODE: order %s now uses %s instead of %s", locked.reference, pi.id, old)
    return pi


# ---------------------------------------------------------------------------------------------
# Webhook events
# ---------------------------------------------------------------------------------------------
