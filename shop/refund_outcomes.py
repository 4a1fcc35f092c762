"""Refund outcomes: what Stripe answers to a refund request, or reports later through
``charge.refunded``, applied to our ``Refund`` rows exactly once (:func:`apply_refund`).

Stripe reference: https://docs.stripe.com/api/refunds/object (status ``pending``, ``succeeded``,
``failed``, ``canceled``).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from base import parsing
from base.attention import Kind, report
from shop.entitlements import revoke_for_lines
from shop.exceptions import NotPurchasable
from shop.models.orders import Order
from shop.models.refunds import Refund
from shop.money import Money, allocate, format_money, percent_of
from shop.payments.stripe_client import get_client
from shop.signals import order_refunded
from shop.status import InvalidTransition, OrderStatus

logger = logging.getLogger(__name__)


def line_discounts(order, lines) -> dict[int, int]:
    """``{line.pk: discount}`` in minor units, summing to ``order.discount_total``.

    Uses ``OrderLine.discount`` as stored at checkout; if those do not add up to the order's
    discount (an older order, or lines priced without allocation) the difference is spread
    over the lines in proportion to their totals (:func:`shop.pricing.allocate`).
    """

    stored = {line.pk: line.discount for line in lines}
    missing = order.discount_total - sum(stored.values())
    if missing > 0:
        weights = [max(line.line_total - stored[line.pk], 0) for line in lines]
        for line, extra in zip(lines, allocate(missing, weights), strict=False):
            stored[line.pk] += extra
    return stored


def line_amount(line, net: int, quantity: int, already_qty: int, already_amount: int) -> int:
    """Refundable minor units for ``quantity`` more units of ``line`` (see module docstring)."""
    if already_qty + quantity >= line.quantity:
        return max(net - already_amount, 0)
    share = percent_of(Money(net, "XXX"), Decimal(100 * quantity) / Decimal(line.quantity)).amount
    return max(min(share, net - already_amount), 0)


def record_stripe_answer(refund, answer) -> None:
    """Apply what Stripe answered (or later reports) about ``refund``: its status decides.

    ``succeeded`` → :func:`apply_refund` (once); ``pending`` / ``requires_action`` → recorded,
    nothing applied yet (``refund.updated`` / ``charge.refund.updated`` or reconciliation
    brings the outcome); ``failed`` / ``canceled`` → the row is ``failed`` and reported under
    "Needs attention" (money did not go back to the customer).
    """
    stripe_id = get_value(answer, "id")
    status = get_value(answer, "status") or "succeeded"
    with transaction.atomic():
        row = Refund.objects.select_for_update().get(pk=refund.pk)
        if stripe_id and not row.stripe_refund_id:
            row.stripe_refund_id = stripe_id
            row.save(update_fields=["stripe_refund_id"])
    if status in ("failed", "canceled"):
        with transaction.atomic():
            reason = get_value(answer, "failure_reason") or status
            changed = (
                Refund.objects.filter(pk=refund.pk)
                .exclude(status=Refund.Status.FAILED)
                .update(status=Refund.Status.FAILED, failure_message=f"Stripe: {reason}"[:255])
            )
            if changed:
                report_failed_refund(row, f"Stripe reports the refund {status} ({reason})")
        return
    if status != "succeeded":
        logger.info("refund %s is %s at Stripe; applied when it succeeds", refund.pk, status)
        return
    apply_refund(refund)


def report_failed_refund(refund, why: str) -> None:
    """A "needs attention" entry for a refund that did not go through (inside the caller's
    transaction); staff refund by hand in the Stripe dashboard or retry from the order."""
    order = Order.objects.filter(pk=refund.order_id).only("pk", "reference", "currency").first()
    amount = format_money(Money(refund.amount, order.currency)) if order else f"{refund.amount} minor units"
    report(
        f"refund-failed:{refund.pk}",
        kind=Kind.REFUND_FAILED,
        title=f"Refund of {amount} on order {order.reference if order else refund.order_id} failed",
        detail=f"{why}. Refund #{refund.pk} ({refund.reason or 'no reason given'}). The customer has not been refunded.",
        url=f"/admin/shop_orders/inspect/{refund.order_id}/",
    )


# --------------------------------------------------------------------------------- applying
def apply_refund(refund) -> bool:
    """Apply ``refund``'s effects once; return ``True`` if this call applied it.

    In one transaction (order row locked first, then the refund row, then the lines in pk
    order): refunded quantities and amounts on the lines, the order's status
    (``partially_refunded`` or ``refunded`` — refunded once every unit or the whole total is
    refunded), entitlements of fully refunded lines revoked, ``on_refunded(line, qty)`` on each
    line's purchasable, and :data:`shop.signals.order_refunded` sent (with ``restock``).
    A refund already applied changes nothing.
    """

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.applied_at is not None:
            return False
        lines = list(order.lines.select_for_update().order_by("pk"))
        by_id = {line.pk: line for line in lines}
        discounts = line_discounts(order, lines)
        applied_total = (
            Refund.objects.filter(order=order, applied_at__isnull=False).aggregate(s=Sum("amount"))["s"] or 0
        ) + refund.amount

        if refund.lines:
            wanted = {int(k): int(v) for k, v in refund.lines.items() if int(k) in by_id}
        elif applied_total >= order.total:
            wanted = {line.pk: line.quantity - line.refunded_quantity for line in lines}
        else:
            wanted = {}

        changed = []
        for pk, qty in sorted(wanted.items()):
            line = by_id[pk]
            qty = min(qty, line.quantity - line.refunded_quantity)
            if qty <= 0:
                continue
            amount = line_amount(
                line, line.line_total - discounts[pk], qty, line.refunded_quantity, line.refunded_amount
            )
            line.refunded_quantity += qty
            line.refunded_amount += amount
            line.save(update_fields=["refunded_quantity", "refunded_amount"])
            changed.append((line, qty))

        fully = all(line.refunded_quantity >= line.quantity for line in lines) or applied_total >= order.total
        new_status = OrderStatus.REFUNDED if fully else OrderStatus.PARTIALLY_REFUNDED
        if order.status != new_status or new_status == OrderStatus.PARTIALLY_REFUNDED:
            try:
                order.set_status(new_status)
                order.save(update_fields=["status", "updated_at"])
            except InvalidTransition:
                logger.warning("refund %s: order %s is %s, status left unchanged", refund.pk, order, order.status)

        refund.status = Refund.Status.SUCCEEDED
        refund.applied_at = timezone.now()
        refund.save(update_fields=["status", "applied_at"])

        revoke_for_lines([line for line, _qty in changed if line.refunded_quantity >= line.quantity])
        for line, qty in changed:
            # Seats, lesson slots and files are always given back; physical goods go back on
            # the shelf only when staff chose to restock (the variant's on_refunded restocks).
            if line.requires_shipping and not refund.restock:
                continue
            try:
                purchasable = line.purchasable()
            except NotPurchasable:
                continue
            purchasable.on_refunded(line, qty)
        order_refunded.send(sender=Order, order=order, refunds=changed, restock=refund.restock)
    logger.info("refund %s applied to %s (%s minor units)", refund.pk, order, refund.amount)
    return True


def get_value(obj, key, default=None):
    """Read ``key`` from a StripeObject or a plain dict (events posted in tests are dicts)."""
    try:
        value = obj[key]
    except (KeyError, TypeError, AttributeError):
        value = getattr(obj, key, default)
    return default if value is None else value


def charge_refunds(charge) -> list:
    """The Stripe refunds of ``charge``: ``charge.refunds.data`` when the event carries it, else
    listed from Stripe by PaymentIntent (a network call: make it before taking any lock)."""
    refunds = get_value(get_value(charge, "refunds", {}), "data", None)
    if refunds is not None:
        return list(refunds)
    payment_intent = _payment_intent_id(charge)
    if not payment_intent:
        return []
    listed = get_client().v1.refunds.list(params={"payment_intent": payment_intent, "limit": 100})
    return list(get_value(listed, "data", []))


def _payment_intent_id(obj) -> str:
    payment_intent = get_value(obj, "payment_intent")
    if isinstance(payment_intent, dict) or hasattr(payment_intent, "get"):
        payment_intent = get_value(payment_intent, "id")
    return payment_intent or ""


def _row_for(order, data, *, create: bool):
    """Our :class:`Refund` for the Stripe refund ``data`` (by Stripe id, then
    ``metadata.refund_id``); a refund made elsewhere (the Stripe dashboard) gets a new
    amount-only row when ``create``. Call with the order row locked."""
    stripe_id = get_value(data, "id")
    row = Refund.objects.filter(stripe_refund_id=stripe_id).first() if stripe_id else None
    if row is None:
        local_id = parsing.optional_id(get_value(get_value(data, "metadata", {}), "refund_id", ""))
        if local_id is not None:
            row = Refund.objects.filter(pk=local_id, order=order).first()
            if row is not None and not row.stripe_refund_id and stripe_id:
                row.stripe_refund_id = stripe_id
                row.save(update_fields=["stripe_refund_id"])
    if row is None and create:
        row = Refund.objects.create(
            order=order,
            amount=int(get_value(data, "amount", 0)),
            stripe_refund_id=stripe_id,
            reason=str(get_value(data, "reason", "") or "Refunded in Stripe")[:255],
        )
    return row


def apply_stripe_refunds(order, refunds) -> int:
    """Bring our rows in line with Stripe's ``refunds`` of ``order`` (Refund objects as Stripe
    sent or returned them); returns how many were applied now. Each goes through
    :func:`record_stripe_answer`: succeeded → applied once, pending → waits, failed/canceled →
    "needs attention"."""
    pairs = []
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        for data in refunds:
            status = get_value(data, "status", "succeeded")
            row = _row_for(order, data, create=status in ("succeeded", "pending"))
            if row is not None and row.applied_at is None:
                pairs.append((row, data))
    applied = 0
    for row, data in pairs:
        before = row.applied_at
        record_stripe_answer(row, data)
        row.refresh_from_db()
        applied += int(before is None and row.applied_at is not None)
    return applied


def apply_charge_refunded(charge, refunds: list | None = None) -> int:
    """Handle a ``charge.refunded`` event's ``data.object`` (a Charge); return refunds applied.

    ``refunds``: the charge's Stripe refunds when the caller fetched them already (the webhook
    does, before its transaction); else :func:`charge_refunds`. An unknown PaymentIntent is
    logged and ignored. See :func:`apply_stripe_refunds`.
    """
    payment_intent = _payment_intent_id(charge)
    order = Order.objects.filter(stripe_payment_intent_id=payment_intent).first() if payment_intent else None
    if order is None:
        logger.warning("charge.refunded for unknown PaymentIntent %r ignored", payment_intent)
        return 0
    return apply_stripe_refunds(order, charge_refunds(charge) if refunds is None else refunds)


def apply_refund_object(refund) -> int:
    """Handle ``refund.updated`` / ``charge.refund.updated`` (``data.object`` is a Refund), and
    reconciliation's answers: the same code as :func:`apply_charge_refunded` for one refund."""
    payment_intent = _payment_intent_id(refund)
    order = Order.objects.filter(stripe_payment_intent_id=payment_intent).first() if payment_intent else None
    if order is None:
        logger.warning("refund update for unknown PaymentIntent %r ignored", payment_intent)
        return 0
    return apply_stripe_refunds(order, [refund])


__all__ = [
    "apply_charge_refunded",
    "apply_refund_object",
    "apply_stripe_refunds",
    "charge_refunds",
    "apply_refund",
    "get_value",
    "line_amount",
    "line_discounts",
    "record_stripe_answer",
    "report_failed_refund",
]
