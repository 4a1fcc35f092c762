"""Payments: the Stripe PaymentIntent for an order and the one idempotent "paid"/"failed" path.

Who moves money state (STYLE.md: never the browser):

- the verified webhook (:func:`shop.payments.webhooks.handle_stripe_event`, called by ``shop.views.webhook``), and
- the success page, which retrieves the PaymentIntent from Stripe server-side
  (:func:`sync_payment_intent`) when the webhook has not arrived yet.

Both end in :func:`mark_paid` / :func:`mark_failed`: one transaction, the order row locked with
``select_for_update()``, the state change through the order transition table, and nothing done
twice (a second call, a duplicate or a late event changes nothing).

Stripe references: PaymentIntents lifecycle https://docs.stripe.com/payments/paymentintents/lifecycle,
idempotent requests https://docs.stripe.com/api/idempotent_requests, webhook events
https://docs.stripe.com/webhooks (events may arrive more than once and out of order).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import stripe
from django.db import transaction
from django.utils import timezone

from shop import signals
from shop.cart import empty_cart_for_order
from shop.catalogue import stock
from shop.catalogue.models import shop_config
from shop.emails import queue_order_emails
from shop.exceptions import CheckoutError, NotPurchasable, PaymentError
from shop.models.orders import Order
from shop.payments.stripe_client import field, get_client
from shop.refunds import refund_cancelled_order_payment
from shop.status import PAID_STATES, OrderStatus

logger = logging.getLogger(__name__)

#: Bump the suffix only if the PaymentIntent parameters for an order ever change shape.
IDEMPOTENCY_VERSION = "v1"

#: Hold length when ShopSettings is not available (DESIGN.md: 30 minutes).
DEFAULT_HOLD_MINUTES = 30


def idempotency_key(order: Order) -> str:
    """``order-PF-000123-pi-v1``: the same order always asks Stripe for the same PaymentIntent."""
    return f"order-{order.reference}-pi-{IDEMPOTENCY_VERSION}"


def payment_intent_params(order: Order) -> dict:
    """The PaymentIntent create parameters: the server's total in minor units, lower-case currency."""
    return {
        "amount": order.total,
        "currency": order.currency.lower(),
        "payment_method_types": ["card"],
        "metadata": {"order_reference": order.reference},
    }


def create_or_get_payment_intent(order: Order):
    """Return the order's PaymentIntent, creating it once.

    The order row is locked while we look for an existing PaymentIntent, and Stripe gets an
    idempotency key derived from the order, so a double click or two tabs make one PaymentIntent.
    Returns a ``stripe.PaymentIntent``. Raises :class:`PaymentError` when Stripe cannot be reached
    or refuses, and ``ValueError`` for an order with nothing to pay.
    """
    if order.total <= 0:
        raise ValueError("an order with a zero total has no PaymentIntent")
    client = get_client()
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.stripe_payment_intent_id:
                pi = client.v1.payment_intents.retrieve(locked.stripe_payment_intent_id)
            else:
                pi = client.v1.payment_intents.create(
                    params=payment_intent_params(locked), options={"idempotency_key": idempotency_key(locked)}
                )
                locked.stripe_payment_intent_id = pi.id
                locked.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    except stripe.StripeError as exc:
        logger.error("Stripe error creating PaymentIntent for %s: %s", order.reference, exc)
        raise PaymentError(detail=str(exc)) from exc
    order.stripe_payment_intent_id = pi.id
    return pi


def _order_for(order_or_pi_id, payment_intent=None) -> Order | None:
    """Find the order for an Order, a PaymentIntent id, or (fallback) the PI's metadata reference."""
    if isinstance(order_or_pi_id, Order):
        return order_or_pi_id
    order = Order.objects.filter(stripe_payment_intent_id=order_or_pi_id).first()
    if order is None and payment_intent is not None:
        reference = field(field(payment_intent, "metadata", {}), "order_reference")
        if reference:
            order = Order.objects.filter(reference=reference, stripe_payment_intent_id__isnull=True).first()
    return order


def _check_payment_intent(order: Order, pi) -> str:
    """Why ``pi`` cannot pay ``order`` (``""`` when it can): id, amount and currency must match."""
    if pi is None:
        return ""
    pi_id = field(pi, "id")
    if order.stripe_payment_intent_id and pi_id != order.stripe_payment_intent_id:
        return f"PaymentIntent {pi_id} is not the order's ({order.stripe_payment_intent_id})"
    if field(pi, "amount") != order.total or str(field(pi, "currency", "")).upper() != order.currency:
        return f"amount {field(pi, 'amount')} {field(pi, 'currency')} != order total {order.total} {order.currency}"
    return ""


def _empty_cart(order: Order) -> None:

    empty_cart_for_order(order)


def mark_paid(order_or_pi_id, payment_intent=None) -> tuple[Order | None, bool]:
    """Mark the order paid, once. Returns ``(order or None, changed)``.

    ``order_or_pi_id``: an :class:`Order` or a PaymentIntent id. ``payment_intent``: the
    PaymentIntent as Stripe sent or returned it (StripeObject or dict); when given it must be
    ``succeeded`` and match the order's PaymentIntent id, total and currency, otherwise nothing
    changes and an error is logged.

    In one transaction with the order row locked: status → ``paid`` through the transition table,
    ``paid_at``, each line's ``purchasable().on_paid(line)`` (hold → sale), ``order_paid`` sent,
    the cart emptied, and the confirmation and staff emails queued in the outbox. An order already paid
    (or further along) is left alone.

    A *cancelled* order (its holds expired, ``release_expired_holds`` cancelled it, and the card
    payment still went through — a race): its lines are held again, all or nothing, under the
    same lock (:func:`_retake_holds`); if everything is still available the order is paid as
    usual. Otherwise it stays cancelled and, after commit, the PaymentIntent is refunded in full
    and the customer emailed (:func:`shop.refunds.refund_cancelled_order_payment`); returns
    ``(order, False)`` then.
    """
    order = _order_for(order_or_pi_id, payment_intent)
    if order is None:
        logger.warning("mark_paid: no order for PaymentIntent %s", order_or_pi_id)
        return None, False
    if payment_intent is not None and field(payment_intent, "status") != "succeeded":
        logger.warning(
            "mark_paid: PaymentIntent %s is %s, not succeeded",
            field(payment_intent, "id"),
            field(payment_intent, "status"),
        )
        return order, False
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        problem = _check_payment_intent(order, payment_intent)
        if problem:
            logger.error("mark_paid refused for %s: %s", order.reference, problem)
            return order, False
        if order.status in PAID_STATES:
            return order, False
        if payment_intent is not None and not order.stripe_payment_intent_id:
            order.stripe_payment_intent_id = field(payment_intent, "id")
        if order.status == OrderStatus.CANCELLED:
            if not _retake_holds(order):
                logger.error(
                    "Payment succeeded for cancelled order %s (PaymentIntent %s) and its items are gone: refunding it",
                    order.reference,
                    order.stripe_payment_intent_id,
                )
                if order.stripe_payment_intent_id:
                    order.save(update_fields=["stripe_payment_intent_id", "updated_at"])
                    order_pk = order.pk
                    transaction.on_commit(lambda: _refund_cancelled(order_pk))
                return order, False
            logger.warning(
                "Payment succeeded for cancelled order %s: items held again, order reinstated", order.reference
            )
            order.cancelled_at = None
        order.set_status(OrderStatus.PAID)
        order.paid_at = timezone.now()
        order.payment_failure_reason = ""
        order.save()
        for line in order.lines.all():
            try:
                line.purchasable().on_paid(line)
            except NotPurchasable:
                logger.error(
                    "Order %s line %s: %s:%s is gone; paid without converting its hold",
                    order.reference,
                    line.pk,
                    line.purchasable_kind,
                    line.purchasable_key,
                )
        signals.order_paid.send(sender=Order, order=order)
        _empty_cart(order)
        queue_order_emails(order)
    logger.info("Order %s paid", order.reference)
    return order, True


def _retake_holds(order: Order) -> bool:
    """Hold every line of a cancelled ``order`` (row locked by the caller) again, all or nothing.

    Purchasables are locked in ``lock_order`` and held until now + hold minutes inside a
    savepoint; a line that cannot be held (sold out, slot taken, product gone: any
    ``CheckoutError``) rolls the savepoint back and returns ``False``.
    """
    expires = timezone.now() + timedelta(minutes=_hold_minutes())
    try:
        with transaction.atomic():
            pairs = sorted(((line.purchasable(), line) for line in order.lines.all()), key=lambda p: p[0].lock_order())
            for purchasable, _line in pairs:
                purchasable.lock()
            for purchasable, line in pairs:
                purchasable.hold(line, line.quantity, expires)
    except CheckoutError as exc:
        logger.info("Order %s cannot be held again: %s", order.reference, exc)
        return False
    order.hold_expires_at = expires
    return True


def _refund_cancelled(order_pk: int) -> None:

    refund_cancelled_order_payment(Order.objects.get(pk=order_pk))


def mark_failed(order_or_pi_id, payment_intent=None, reason: str = "") -> tuple[Order | None, bool]:
    """Record a failed payment attempt: ``pending_payment`` → ``payment_failed``, holds released.

    Returns ``(order or None, changed)``. ``reason`` (e.g. Stripe's ``last_payment_error.message``)
    is stored for the customer and staff. A failure reported after the order was paid (events
    arrive out of order) or cancelled changes nothing; a second failure only updates the reason.
    """
    order = _order_for(order_or_pi_id, payment_intent)
    if order is None:
        logger.warning("mark_failed: no order for PaymentIntent %s", order_or_pi_id)
        return None, False
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.PENDING_PAYMENT:
            if order.status == OrderStatus.PAYMENT_FAILED and reason:
                order.payment_failure_reason = reason[:255]
                order.save(update_fields=["payment_failure_reason", "updated_at"])
            return order, False
        order.set_status(OrderStatus.PAYMENT_FAILED)
        order.payment_failure_reason = (reason or "Payment failed")[:255]
        order.save()
        _release_holds(order)
    logger.info("Order %s payment failed: %s", order.reference, order.payment_failure_reason)
    return order, True


def _release_holds(order: Order) -> None:

    for line in order.lines.all():
        try:
            line.purchasable().release(line)
        except NotPurchasable:
            stock.release(line)  # the product is gone: at least free its variant hold


def cancel_order(order: Order, *, expired_before=None) -> bool:
    """Cancel an unpaid order, release its holds and cancel its PaymentIntent. Returns whether it changed.

    Used by staff (admin action) and, with ``expired_before=now``, by
    :func:`shop.payments.expiry.release_expired_holds`: then only an order still ``pending_payment`` /
    ``payment_failed`` whose ``hold_expires_at`` is at or before ``expired_before`` is cancelled
    (checked under the row lock), anything else is left alone.

    Raises ``shop.status.InvalidTransition`` for a paid order (refund it instead). The Stripe
    PaymentIntent, if any, is cancelled after the commit so a late card confirmation cannot
    succeed; a Stripe error there (already succeeded, unreachable) is logged and the order stays
    cancelled — a payment that still arrives is handled by :func:`mark_paid`.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == OrderStatus.CANCELLED:
            return False
        if expired_before is not None and (
            order.status not in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_FAILED)
            or not order.hold_expires_at
            or order.hold_expires_at > expired_before
        ):
            return False
        order.set_status(OrderStatus.CANCELLED)
        order.cancelled_at = timezone.now()
        order.save()
        _release_holds(order)
        pi_id = order.stripe_payment_intent_id
    if pi_id:
        try:
            get_client().v1.payment_intents.cancel(pi_id)
        except stripe.StripeError as exc:
            logger.warning("Could not cancel PaymentIntent %s of %s: %s", pi_id, order.reference, exc)
    return True


def mark_fulfilled(order: Order) -> bool:
    """Staff action: a paid order was delivered or collected. Raises ``InvalidTransition`` otherwise."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == OrderStatus.FULFILLED:
            return False
        order.set_status(OrderStatus.FULFILLED)
        order.fulfilled_at = timezone.now()
        order.save()
    return True


def _hold_minutes() -> int:
    """ShopSettings.hold_minutes (Settings → Shop settings), 30 by default."""
    return shop_config().hold_minutes or DEFAULT_HOLD_MINUTES


def ensure_holds(order: Order) -> Order:
    """Before a (new) payment attempt: make sure the order's lines are held, all or nothing.

    - ``payment_failed`` (holds were released) → ``pending_payment`` with fresh holds;
    - ``pending_payment`` whose holds lapsed (``hold_expires_at`` passed, not yet cancelled by
      ``release_expired_holds``) → fresh holds;
    - anything else is returned unchanged.

    Locks the order, then each purchasable in ``lock_order``. Raises the purchasable's
    ``CheckoutError`` (e.g. ``OutOfStock``) when an item sold out meanwhile; nothing changes.
    """
    minutes = _hold_minutes()
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        lapsed = order.status == OrderStatus.PENDING_PAYMENT and order.hold_expires_at and order.hold_expires_at <= now
        if order.status != OrderStatus.PAYMENT_FAILED and not lapsed:
            return order
        expires = now + timedelta(minutes=minutes)
        pairs = sorted(((line.purchasable(), line) for line in order.lines.all()), key=lambda p: p[0].lock_order())
        for purchasable, _line in pairs:
            purchasable.lock()
        for purchasable, line in pairs:
            purchasable.hold(line, line.quantity, expires)
        if order.status == OrderStatus.PAYMENT_FAILED:
            order.set_status(OrderStatus.PENDING_PAYMENT)
        order.hold_expires_at = expires
        order.save()
    return order


def sync_payment_intent(order: Order) -> Order:
    """Success page: ask Stripe (server-side) for the order's PaymentIntent and apply its state.

    Used when the webhook has not arrived yet. Runs the same :func:`mark_paid` / :func:`mark_failed`
    as the webhook. Stripe being unreachable is logged and leaves the order as it was.
    """
    if order.status != OrderStatus.PENDING_PAYMENT or not order.stripe_payment_intent_id:
        return order
    try:
        pi = get_client().v1.payment_intents.retrieve(order.stripe_payment_intent_id)
    except stripe.StripeError as exc:
        logger.warning("Could not retrieve %s for %s: %s", order.stripe_payment_intent_id, order.reference, exc)
        return order
    status = field(pi, "status")
    if status == "succeeded":
        order, _changed = mark_paid(order, pi)
    elif status == "requires_payment_method" and field(pi, "last_payment_error"):
        order, _changed = mark_failed(order, pi, field(field(pi, "last_payment_error"), "message", ""))
    else:
        order.refresh_from_db()
    return order


__all__ = [
    "cancel_order",
    "create_or_get_payment_intent",
    "ensure_holds",
    "idempotency_key",
    "mark_failed",
    "mark_fulfilled",
    "mark_paid",
    "sync_payment_intent",
]
