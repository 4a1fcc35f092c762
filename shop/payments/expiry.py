"""Expiry of unpaid orders: their holds lapse and the order is cancelled (scheduled, and
``manage.py release_expired_holds``)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from shop.catalogue.models import StockHold
from shop.models.orders import Order
from shop.payments.lifecycle import cancel_order
from shop.status import OrderStatus

logger = logging.getLogger(__name__)


def release_expired_holds(now: datetime | None = None) -> dict:
    """Release every lapsed hold and cancel the unpaid orders whose hold time is over.

    - Orders in ``pending_payment`` / ``payment_failed`` whose ``hold_expires_at`` has passed
      are cancelled through :func:`shop.payments.lifecycle.cancel_order` (``expired_before=now``): one
      transaction per order, row locked, each line's purchasable ``release(line)`` (so course
      seats and lesson slots are freed too), then their Stripe PaymentIntent is cancelled (a
      Stripe error is logged; the order stays cancelled).
    - Remaining variant holds past ``expires_at`` are marked released.

    Returns ``{"orders_cancelled": n, "holds_released": m}``. Safe to run at any time (the scheduler runs it every minute).
    """

    now = now or timezone.now()
    stale = Order.objects.filter(
        status__in=[OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_FAILED], hold_expires_at__lte=now
    ).values_list("pk", flat=True)
    cancelled = 0
    for pk in list(stale):
        try:
            changed = cancel_order(Order(pk=pk), expired_before=now)
        except Order.DoesNotExist:
            continue
        if changed:
            cancelled += 1
            logger.info("order %s cancelled: holds expired", pk)
    released = StockHold.objects.filter(status=StockHold.Status.HELD, expires_at__lte=now).update(
        status=StockHold.Status.RELEASED, updated_at=now
    )
    return {"orders_cancelled": cancelled, "holds_released": released}
