"""Holds of an order's lines, taken and released in the one lock order (docs/architecture.md).

Lock order for every money path: the **cart** row, the **order** row(s) by primary key, the
**purchasables** sorted by :meth:`~shop.purchasable.Purchasable.lock_order` (product variants,
course sessions, lesson offers), then the **offer** (coupon) rows by primary key. Checkout,
payment, refund, cancellation and expiry all follow it, so concurrent ones cannot deadlock.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from shop.catalogue import stock
from shop.catalogue.models import shop_config
from shop.exceptions import CheckoutError, NotPurchasable
from shop.models.cart import Cart
from shop.models.orders import Order
from shop.offers.reservations import release_reservations, reserve_for_order

logger = logging.getLogger(__name__)

#: Hold length when ShopSettings is not available (DESIGN.md: 30 minutes).
DEFAULT_HOLD_MINUTES = 30


def hold_minutes() -> int:
    """ShopSettings.hold_minutes (Settings → Shop settings), 30 by default."""
    return shop_config().hold_minutes or DEFAULT_HOLD_MINUTES


def lock_cart_of(order: Order) -> None:
    """Step 1 of the lock order: the cart ``order`` came from (if it still exists)."""
    if order.cart_id:
        Cart.objects.select_for_update().filter(pk=order.cart_id).first()


def locked_lines(order: Order) -> list:
    """Step 3: resolve and lock each line's purchasable, sorted by ``lock_order``.

    Returns ``[(purchasable, line)]`` in that order. Raises ``NotPurchasable`` when an item
    no longer exists (a product deleted, a teacher's offer withdrawn).
    """
    pairs = sorted(((line.purchasable(), line) for line in order.lines.all()), key=lambda p: p[0].lock_order())
    for purchasable, _line in pairs:
        purchasable.lock()
    return pairs


def retake(order: Order, expires_at: datetime) -> str:
    """Hold every line of ``order`` (row locked by the caller) until ``expires_at``, all or nothing.

    Used before a payment is applied: a hold that is still live is kept (``hold`` is idempotent
    per line), one that lapsed or was released (failed attempt, expiry, cancellation) is taken
    again if the item is still free. The coupon use is reserved again too. Runs in a savepoint:
    on failure nothing changes and the reason is returned (``""`` when every line is held).
    """
    try:
        with transaction.atomic():
            pairs = locked_lines(order)
            for purchasable, line in pairs:
                purchasable.hold(line, line.quantity, expires_at)
            reserve_for_order(order, strict=False)
    except CheckoutError as exc:  # OutOfStock, SeatsUnavailable, SlotTaken, NotPurchasable
        logger.info("order %s cannot be held again: %s", order.reference, exc.detail or exc)
        return str(exc.user_message) if getattr(exc, "user_message", None) else str(exc)
    order.hold_expires_at = expires_at
    return ""


def release(order: Order) -> None:
    """Release every line's hold and the coupon reservation of ``order`` (row locked). Idempotent."""
    for line in order.lines.all():
        try:
            line.purchasable().release(line)
        except NotPurchasable:
            stock.release(line)  # the product is gone: at least free its variant hold
    release_reservations(order)
