"""Refunds through the Stripe Refund API, and their effects on orders — applied exactly once.

Public API
----------
- :func:`refund_order` — staff refund the whole order or chosen lines.
- :func:`refund_order_line` — refund ``quantity`` units of one line (used by ``learning`` when a
  teacher declines a lesson or a customer cancels a seat).
- :func:`apply_charge_refunded` — the ``charge.refunded`` webhook handler's entry point.
- :func:`apply_refund` — the one idempotent function both the API answer and the webhook go
  through: line quantities/amounts, order status (``partially_refunded`` / ``refunded`` via
  :data:`shop.status.ORDER_TRANSITIONS`), :data:`shop.signals.order_refunded`, entitlements
  revoked, ``Purchasable.on_refunded`` (bookings cancelled) — and nothing the second time.

Amounts are integers in minor units of the order's currency. A line's refundable amount is its
total minus its share of the order's discounts (``OrderLine.discount``); a partial quantity
gets ``net × qty / quantity`` rounded once, half up (:func:`shop.money.percent_of`), and the
last unit refunded gets whatever is left, so a line never refunds more than was paid for it.
Refunding the whole order (``lines=None``) also refunds shipping: the amount is the order total
minus what was already refunded.

Rules followed: Stripe "Refunds" API (``POST /v1/refunds`` with ``payment_intent`` and
``amount``; idempotent requests via the ``Idempotency-Key`` header; ``charge.refunded`` events).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import stripe
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.emails import queue_cancelled_refunded
from shop.exceptions import CheckoutError
from shop.models.orders import Order
from shop.models.refunds import Refund
from shop.payments.stripe_client import get_client
from shop.refund_outcomes import (
    apply_charge_refunded,
    apply_refund,
    get_value,
    line_amount,
    line_discounts,
    record_stripe_answer,
    report_failed_refund,
)
from shop.status import PAID_STATES, OrderStatus

logger = logging.getLogger(__name__)

__all__ = [
    "RefundError",
    "refund_order",
    "refund_order_line",
    "refund_cancelled_order_payment",
    "apply_refund",
    "apply_charge_refunded",
    "refundable_quantities",
]


PENDING_GRACE = timedelta(minutes=15)


class RefundError(CheckoutError):
    """A refund could not be made; ``user_message`` says why (safe to show to staff)."""

    default_message = _("The refund could not be made. Please try again.")


def _client():
    """SHOP-B's configured ``stripe.StripeClient`` (``shop.stripe_client.get_client``)."""
    return get_client()


# --------------------------------------------------------------------------------- amounts
def _pending_refunds(order):
    return Refund.objects.filter(order=order, applied_at__isnull=True).exclude(status=Refund.Status.FAILED)


def refundable_quantities(order) -> dict[int, int]:
    """``{line.pk: units that can still be refunded}`` (refunded and pending refunds excluded)."""
    pending: dict[int, int] = {}
    for refund in _pending_refunds(order):
        for key, qty in refund.lines.items():
            pending[int(key)] = pending.get(int(key), 0) + int(qty)
    return {
        line.pk: max(line.quantity - line.refunded_quantity - pending.get(line.pk, 0), 0) for line in order.lines.all()
    }


def _refunded_total(order) -> int:

    return Refund.objects.filter(order=order).exclude(status=Refund.Status.FAILED).aggregate(s=Sum("amount"))["s"] or 0


# --------------------------------------------------------------------------------- refunding
def refund_order(
    order, lines: dict[int, int] | None = None, *, reason: str = "", restock: bool = False, initiated_by=None
):
    """Refund ``order`` through Stripe and apply the effects; return the :class:`~shop.models.Refund`.

    ``lines`` maps order-line ids to quantities to refund; ``None`` refunds everything not yet
    refunded, shipping included. ``restock`` is passed on with :data:`shop.signals.order_refunded`
    for stock receivers. ``initiated_by`` is the staff user (or ``None`` for automatic refunds).

    A ``Refund`` row is created first (inside a transaction that locks the order), so its id is
    the Stripe idempotency key; Stripe is then called outside any lock, and its answer applied
    with :func:`apply_refund` — the webhook arriving first or later changes nothing twice.

    Raises :class:`RefundError` (nothing refunded) when the order was never paid, is fully
    refunded, a quantity is not refundable, or Stripe refuses.
    """

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in PAID_STATES or not order.stripe_payment_intent_id:
            raise RefundError(_("Only a paid order can be refunded."))
        if order.status == OrderStatus.REFUNDED:
            raise RefundError(_("This order has already been refunded in full."))
        if _pending_refunds(order).filter(created_at__gte=timezone.now() - PENDING_GRACE).exists():
            raise RefundError(_("Another refund of this order is in progress; try again in a minute."))
        # A refund left pending longer than that never got Stripe's answer: it stops reserving
        # quantities (the webhook still applies it, via its metadata, if Stripe did refund).
        _pending_refunds(order).filter(created_at__lt=timezone.now() - PENDING_GRACE).update(status="failed")
        order_lines = list(order.lines.select_for_update().order_by("pk"))
        by_id = {line.pk: line for line in order_lines}
        available = refundable_quantities(order)
        already_total = _refunded_total(order)
        if lines is None:
            wanted = {pk: qty for pk, qty in available.items() if qty > 0}
            amount = order.total - already_total
        else:
            wanted = {}
            for key, qty in lines.items():
                try:
                    pk, qty = int(key), int(qty)
                except (TypeError, ValueError):
                    raise RefundError(_("Please choose valid quantities to refund.")) from None
                if qty == 0:
                    continue
                if pk not in by_id or qty < 0 or qty > available.get(pk, 0):
                    raise RefundError(_("That quantity cannot be refunded for this line."))
                wanted[pk] = qty
            if not wanted:
                raise RefundError(_("Choose at least one item to refund."))
            discounts = line_discounts(order, order_lines)
            amount = 0
            for pk, qty in wanted.items():
                line = by_id[pk]
                amount += line_amount(
                    line, line.line_total - discounts[pk], qty, line.refunded_quantity, line.refunded_amount
                )
            amount = min(amount, order.total - already_total)
        if amount <= 0:
            raise RefundError(_("There is nothing left to refund on this order."))
        refund = Refund.objects.create(
            order=order,
            amount=amount,
            lines={str(pk): qty for pk, qty in wanted.items()},
            reason=reason[:255],
            restock=restock,
            initiated_by=initiated_by,
        )

    try:
        answer = _client().v1.refunds.create(
            params={
                "payment_intent": order.stripe_payment_intent_id,
                "amount": amount,
                "metadata": {
                    "order_reference": order.reference or "",
                    "refund_id": str(refund.pk),
                    "reason": reason[:200],
                },
            },
            options={"idempotency_key": refund.idempotency_key},
        )
    except stripe.StripeError as exc:
        message = getattr(exc, "user_message", None) or str(exc) or "Stripe error"
        Refund.objects.filter(pk=refund.pk, applied_at__isnull=True).update(
            status=Refund.Status.FAILED, failure_message=message[:255]
        )
        logger.warning("refund %s of %s failed at Stripe: %s", refund.pk, order, message)
        raise RefundError(_("Stripe refused the refund: %(message)s") % {"message": message}) from exc

    record_stripe_answer(refund, answer)
    refund.refresh_from_db()
    return refund


def refund_order_line(line, quantity: int, *, reason: str = "", restock: bool = False, initiated_by=None):
    """Refund ``quantity`` units of one :class:`~shop.models.OrderLine`; see :func:`refund_order`.

    Used by ``learning`` when a teacher declines a lesson or a customer cancels a booking: the
    line's purchasable gets ``on_refunded(line, quantity)`` once the refund is applied. Call it
    outside a transaction that holds row locks (it talks to Stripe). Raises :class:`RefundError`.
    """
    return refund_order(line.order, {line.pk: quantity}, reason=reason, restock=restock, initiated_by=initiated_by)


#: ``Refund.reason`` of the automatic refund of a payment that arrived for a cancelled order.
CANCELLED_ORDER_REASON = "Paid after the order was cancelled; items no longer available"


def has_automatic_refund(order) -> bool:
    """Whether ``order``'s payment was (or is being) refunded because its items were gone; such
    an order is never paid again by a late or repeated "succeeded"."""
    return Refund.objects.filter(order=order, reason=CANCELLED_ORDER_REASON).exists()


def refund_cancelled_order_payment(order):
    """Refund in full a payment that succeeded for a *cancelled* order; return the ``Refund`` or ``None``.

    Also run by reconciliation for an automatic refund that Stripe did not accept yet (same
    row, same idempotency key: Stripe makes one refund). A failure is reported under
    "Needs attention" (:func:`shop.refund_outcomes.report_failed_refund`).

    Called by :func:`shop.payments.mark_paid` (after commit) when a PaymentIntent succeeded after
    ``release_expired_holds`` cancelled the order and its items could not be held again. The
    order stays ``cancelled``; nothing was sold, so the :class:`~shop.models.Refund` row (amount =
    ``order.total``, no lines) is created already *applied* — ``apply_refund`` / the
    ``charge.refunded`` webhook then change nothing. Stripe's Refund API is called with the row's
    idempotency key, and at most one such refund exists per order (a second call returns the
    first). On success the customer gets the "could not be completed, refunded" email, once.
    A Stripe error is logged and leaves the row ``failed`` with the message for staff (they can
    refund from the Stripe dashboard; its ``charge.refunded`` is recorded). Never raises for
    Stripe errors.
    """

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.CANCELLED or not order.stripe_payment_intent_id or order.total <= 0:
            return None
        refund = Refund.objects.filter(order=order, reason=CANCELLED_ORDER_REASON).first()
        if refund is not None and refund.status == Refund.Status.SUCCEEDED:
            return refund
        if refund is None:
            refund = Refund.objects.create(
                order=order, amount=order.total, reason=CANCELLED_ORDER_REASON, applied_at=timezone.now()
            )
    try:
        answer = _client().v1.refunds.create(
            params={
                "payment_intent": order.stripe_payment_intent_id,
                "amount": refund.amount,
                "metadata": {
                    "order_reference": order.reference or "",
                    "refund_id": str(refund.pk),
                    "reason": CANCELLED_ORDER_REASON[:200],
                },
            },
            options={"idempotency_key": refund.idempotency_key},
        )
    except stripe.StripeError as exc:
        message = getattr(exc, "user_message", None) or str(exc) or "Stripe error"
        with transaction.atomic():
            Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED, failure_message=message[:255])
            report_failed_refund(refund, message)
        logger.error("automatic refund of cancelled order %s failed at Stripe: %s", order, message)
        refund.refresh_from_db()
        return refund
    status = get_value(answer, "status")
    if status in ("failed", "canceled"):
        with transaction.atomic():
            Refund.objects.filter(pk=refund.pk).update(
                status=Refund.Status.FAILED, stripe_refund_id=get_value(answer, "id")
            )
            report_failed_refund(refund, f"Stripe says the refund {status}")
        logger.error("automatic refund of cancelled order %s: Stripe says %s", order, status)
        refund.refresh_from_db()
        return refund
    with transaction.atomic():
        # Stripe accepted it (``pending`` refunds almost always succeed; a later failure arrives
        # as refund.updated / is found by reconciliation and reported): tell the customer now.
        changed = (
            Refund.objects.filter(pk=refund.pk)
            .exclude(status=Refund.Status.SUCCEEDED)
            .update(status=Refund.Status.SUCCEEDED, stripe_refund_id=get_value(answer, "id"))
        )
        if changed:
            queue_cancelled_refunded(order, reason=order.payment_failure_reason)
    logger.warning("payment of cancelled order %s refunded in full (%s minor units)", order, refund.amount)
    refund.refresh_from_db()
    return refund
