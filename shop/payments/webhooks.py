"""Stripe webhook events: each verified event is recorded once (``PaymentEvent``) and handed to
its handler, which runs the same idempotent code as the success page.

Stripe reference: https://docs.stripe.com/webhooks (events may arrive more than once and out of order).
"""

from __future__ import annotations

import json
import logging

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.models.orders import Order
from shop.payments.lifecycle import mark_failed, mark_paid
from shop.payments.models import PaymentEvent
from shop.payments.stripe_client import field
from shop.refund_outcomes import apply_refund_object, charge_refunds
from shop.refunds import apply_charge_refunded
from shop.status import PAID_STATES, OrderStatus

logger = logging.getLogger(__name__)


def handle_payment_intent_succeeded(event: dict, record: PaymentEvent) -> str:
    pi = event["data"]["object"]
    order, changed = mark_paid(pi["id"], pi)
    record.order = order
    if order is None:
        logger.warning("Stripe event %s: unknown PaymentIntent %s", event["id"], pi["id"])
        return "unknown_payment_intent"
    if changed:
        return "paid"
    if order.status in PAID_STATES:
        return "already_paid"
    if order.status == OrderStatus.CANCELLED:
        return "paid_but_order_cancelled"  # items gone: refunded in full after commit (see mark_paid)
    return "refused"  # amount/currency/PaymentIntent mismatch, logged as an error


def handle_payment_intent_failed(event: dict, record: PaymentEvent) -> str:
    pi = event["data"]["object"]
    reason = field(field(pi, "last_payment_error"), "message", "") or "Payment failed"
    order, changed = mark_failed(pi["id"], pi, reason)
    record.order = order
    if order is None:
        logger.warning("Stripe event %s: unknown PaymentIntent %s", event["id"], pi["id"])
        return "unknown_payment_intent"
    return "failed" if changed else f"ignored ({order.status})"


def handle_charge_refunded(event: dict, record: PaymentEvent | None = None) -> str:
    """``charge.refunded``: hand the charge to ``shop.refunds.apply_charge_refunded(charge)``.

    The refunds module (offers/refunds work) owns what a refund changes; when it is not
    installed the event is only recorded.
    """
    charge = event["data"]["object"]
    if record is not None:
        pi_id = field(charge, "payment_intent", "")
        record.order = Order.objects.filter(stripe_payment_intent_id=pi_id).first() if pi_id else None
    apply_charge_refunded(charge, event.get("_refunds"))
    return "refund"


def handle_refund_updated(event: dict, record: PaymentEvent | None = None) -> str:
    """``refund.updated`` / ``charge.refund.updated``: a refund's status changed (``pending`` →
    ``succeeded`` / ``failed`` / ``canceled``); applied or reported by
    :func:`shop.refund_outcomes.apply_refund_object`."""
    refund = event["data"]["object"]
    if record is not None:
        pi_id = field(refund, "payment_intent", "")
        record.order = Order.objects.filter(stripe_payment_intent_id=pi_id).first() if pi_id else None
    apply_refund_object(refund)
    return f"refund {field(refund, 'status', '')}".strip()


def prepare(event: dict) -> dict:
    """Network calls an event needs, made before :func:`handle_stripe_event` takes any lock:
    a ``charge.refunded`` without its refunds gets them listed from Stripe (``_refunds``)."""
    if event.get("type") == "charge.refunded":
        charge = event.get("data", {}).get("object", {}) or {}
        if field(field(charge, "refunds", {}), "data", None) is None:
            try:
                event = {**event, "_refunds": charge_refunds(charge)}
            except stripe.StripeError as exc:  # answer 500: Stripe retries the event later
                logger.warning("could not list the refunds of event %s: %s", event.get("id"), exc)
                raise
    return event


EVENT_HANDLERS = {
    "payment_intent.succeeded": handle_payment_intent_succeeded,
    "payment_intent.payment_failed": handle_payment_intent_failed,
    "charge.refunded": handle_charge_refunded,
    "charge.refund.updated": handle_refund_updated,
    "refund.updated": handle_refund_updated,
}


def handle_stripe_event(event: dict) -> PaymentEvent:
    """Process one *verified* Stripe event (parsed JSON) at most once. Returns its record.

    The :class:`PaymentEvent` row (unique event id) is written in the same transaction as the
    event's effects, so a crash rolls both back and Stripe's retry processes it again, while a
    duplicate delivery finds the row and changes nothing. Types we do not handle are recorded as
    ``ignored``.
    """
    event = prepare(event)
    obj = event.get("data", {}).get("object", {}) or {}
    pi_id = obj.get("id", "") if obj.get("object") == "payment_intent" else obj.get("payment_intent") or ""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record, created = PaymentEvent.objects.select_for_update().get_or_create(
                    event_id=event["id"],
                    defaults={
                        "type": event.get("type", ""),
                        "payment_intent_id": pi_id or "",
                        "payload": json.loads(json.dumps({k: v for k, v in event.items() if k != "_refunds"})),
                    },
                )
        except IntegrityError:
            record, _created = PaymentEvent.objects.select_for_update().get(event_id=event["id"]), False
        if record.processed_at is not None:
            logger.info("Stripe event %s already processed; ignored", event["id"])
            return record
        handler = EVENT_HANDLERS.get(event.get("type"))
        record.outcome = handler(event, record) if handler else "ignored"
        record.processed_at = timezone.now()
        record.save()
    return record


__all__ = ["EVENT_HANDLERS", "handle_charge_refunded", "handle_refund_updated", "handle_stripe_event", "prepare"]
