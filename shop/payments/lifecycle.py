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

from base.attention import Kind, report
from shop import signals
from shop.cart import empty_cart_for_order
from shop.emails import queue_order_emails
from shop.exceptions import PaymentError
from shop.models.orders import Order
from shop.money import format_money
from shop.offers import reservations
from shop.payments import holds
from shop.payments.stripe_client import field, get_client
from shop.refunds import has_automatic_refund, refund_cancelled_order_payment
from shop.status import PAID_STATES, OrderStatus

logger = logging.getLogger(__name__)

#: Bump the suffix only if the PaymentIntent parameters for an order ever change shape.
IDEMPOTENCY_VERSION = "v1"


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

    Stripe is never called while a row lock is held: the PaymentIntent is retrieved or created
    first (with an idempotency key derived from the order, so a double click or two tabs make
    one PaymentIntent), then the order row is locked only to store its id. Returns a
    ``stripe.PaymentIntent``. Raises :class:`PaymentError` when Stripe cannot be reached or
    refuses (the customer sees a clear message and may retry), and ``ValueError`` for an order
    with nothing to pay.
    """
    if order.total <= 0:
        raise ValueError("an order with a zero total has no PaymentIntent")
    client = get_client()
    known = Order.objects.filter(pk=order.pk).values_list("stripe_payment_intent_id", flat=True).first()
    try:
        if known:
            pi = client.v1.payment_intents.retrieve(known)
        else:
            pi = client.v1.payment_intents.create(
                params=payment_intent_params(order), options={"idempotency_key": idempotency_key(order)}
            )
    except stripe.StripeError as exc:
        logger.error("Stripe error creating PaymentIntent for %s: %s", order.reference, exc)
        raise PaymentError(detail=str(exc)) from exc
    if not known:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if not locked.stripe_payment_intent_id:
                locked.stripe_payment_intent_id = pi.id
                locked.save(update_fields=["stripe_payment_intent_id", "updated_at"])
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


def mark_paid(order_or_pi_id, payment_intent=None) -> tuple[Order | None, bool]:
    """Mark the order paid, once, whatever happened to it before. Returns ``(order or None, changed)``.

    ``order_or_pi_id``: an :class:`Order` or a PaymentIntent id. ``payment_intent``: the
    PaymentIntent as Stripe sent or returned it (StripeObject or dict); when given it must be
    ``succeeded`` and match the order's PaymentIntent id, total and currency, otherwise nothing
    changes and an error is logged.

    One transaction, locks in the documented order (cart → order → purchasables → offers):
    every line is held again first (:func:`shop.payments.holds.retake`): a live hold is kept, a
    hold that lapsed or was released (a failed attempt, an expiry, a cancellation) is taken
    again if the item is still free. Then status → ``paid`` through the transition table,
    ``paid_at``, each line's ``purchasable().on_paid(line)`` (hold → sale), ``order_paid``
    (coupon use, entitlements), the cart emptied, the confirmation and staff emails queued.

    When some line cannot be held again (sold to someone else meanwhile), nothing is sold: the
    order is ``cancelled`` with its holds released, a "needs attention" entry is made in the same
    transaction, and after commit the payment is refunded in full and the customer emailed why
    (:func:`shop.refunds.refund_cancelled_order_payment`); returns ``(order, False)`` then.
    An order already paid (or further along) is left alone.
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
        holds.lock_cart_of(order)
        order = Order.objects.select_for_update().get(pk=order.pk)
        problem = _check_payment_intent(order, payment_intent)
        if problem:
            logger.error("mark_paid refused for %s: %s", order.reference, problem)
            return order, False
        if order.status in PAID_STATES:
            return order, False
        if order.status == OrderStatus.CANCELLED and has_automatic_refund(order):
            return order, False  # its payment was refunded because the items were gone
        if payment_intent is not None and not order.stripe_payment_intent_id:
            order.stripe_payment_intent_id = field(payment_intent, "id")
        was = order.status
        why = holds.retake(order, timezone.now() + timedelta(minutes=holds.hold_minutes()))
        if why:
            _paid_but_unavailable(order, was, why)
            return order, False
        if was != OrderStatus.PENDING_PAYMENT:
            logger.warning("Payment succeeded for %s order %s: items held again, order paid", was, order.reference)
        order.cancelled_at = None
        order.set_status(OrderStatus.PAID)
        order.paid_at = timezone.now()
        order.payment_failure_reason = ""
        order.save()
        for purchasable, line in holds.locked_lines(order):
            purchasable.on_paid(line)
        signals.order_paid.send(sender=Order, order=order)
        empty_cart_for_order(order)
        queue_order_emails(order)
    logger.info("Order %s paid", order.reference)
    return order, True


def _paid_but_unavailable(order: Order, was: str, why: str) -> None:
    """A payment succeeded for ``order`` (row locked) but its items are gone: cancel it, release
    what it still holds, report it, and refund it in full after commit."""
    logger.error(
        "Payment succeeded for %s order %s (PaymentIntent %s) but its items are gone (%s): refunding it",
        was,
        order.reference,
        order.stripe_payment_intent_id,
        why,
    )
    if order.status != OrderStatus.CANCELLED:
        order.set_status(OrderStatus.CANCELLED)
        order.cancelled_at = timezone.now()
    order.payment_failure_reason = f"Paid after the items were gone: {why}"[:255]
    order.save()
    holds.release(order)
    report(
        f"paid-unavailable:{order.pk}",
        kind=Kind.PAYMENT_REFUNDED,
        title=f"Order {order.reference} paid after its items were gone: refunded in full",
        detail=(
            f"The payment ({format_money(order.total_money)}, PaymentIntent "
            f"{order.stripe_payment_intent_id}) arrived after the order was {was} and its holds "
            f"released; {why}. Nothing was sold; the payment is refunded in full and the customer "
            "emailed. Check the refund under the order."
        ),
        url=f"/admin/shop_orders/inspect/{order.pk}/",
    )
    if order.stripe_payment_intent_id:
        order_pk = order.pk
        transaction.on_commit(lambda: refund_cancelled_order_payment(Order.objects.get(pk=order_pk)))


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
        holds.release(order)
    logger.info("Order %s payment failed: %s", order.reference, order.payment_failure_reason)
    return order, True


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
        holds.release(order)
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


def ensure_holds(order: Order) -> Order:
    """Before a (new) payment attempt: make sure the order's lines are held, all or nothing.

    - ``payment_failed`` (holds were released) → ``pending_payment`` with fresh holds;
    - ``pending_payment`` whose holds lapsed (``hold_expires_at`` passed, not yet cancelled by
      ``release_expired_holds``) → fresh holds;
    - anything else is returned unchanged.

    Locks the order, then each purchasable in ``lock_order``, then the offers (the coupon use is
    reserved again). Raises the purchasable's ``CheckoutError`` (e.g. ``OutOfStock``) when an
    item sold out meanwhile, ``CouponUsedUp`` when the code's last use went to someone else;
    nothing changes then.
    """
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        lapsed = order.status == OrderStatus.PENDING_PAYMENT and order.hold_expires_at and order.hold_expires_at <= now
        if order.status != OrderStatus.PAYMENT_FAILED and not lapsed:
            return order
        expires = now + timedelta(minutes=holds.hold_minutes())
        for purchasable, line in holds.locked_lines(order):
            purchasable.hold(line, line.quantity, expires)
        order.hold_expires_at = expires  # a reservation counts only while the hold is live
        reservations.reserve_for_order(order, strict=True)
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
