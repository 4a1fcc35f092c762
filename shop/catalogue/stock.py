"""Variant stock: holds placed at checkout, turned into sales when paid, released when they expire.

Rules (issue 3, "Checkout and payment"):

- What can still be sold is ``stock - sum(live holds)``; a hold is live while ``status=held``
  and ``expires_at > now``, so an expired hold stops counting *immediately*, before
  :func:`release_expired_holds` (the scheduler, every minute) tidies it up.
- Stock is decremented only when the order is paid (:func:`convert_hold`); PostgreSQL's
  ``variant_stock_not_negative`` constraint makes a negative stock impossible.
- Every function that changes state runs inside the caller's ``transaction.atomic()`` after the
  variant row was locked (``select_for_update``) — see :mod:`shop.checkout`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from base import purge
from base.attention import Kind, report
from shop.catalogue.models import (
    ProductVariant,
    StockHold,
    held_quantity,
)
from shop.exceptions import OutOfStock

logger = logging.getLogger(__name__)


def hold(variant, line, quantity: int, expires_at: datetime) -> None:
    """Reserve ``quantity`` units of ``variant`` (row already locked) for order ``line``.

    Idempotent per line: an existing hold for the line is updated. Raises :class:`OutOfStock`
    (message says "sold out" when nothing is left, "only N left" otherwise).
    """

    if variant.stock is not None:
        available = variant.stock - held_quantity(variant, exclude_line=line)
        if available < quantity:
            title = str(variant)
            if available <= 0:
                message = _("Sorry, %(title)s is sold out.") % {"title": title}
            else:
                message = _("Sorry, only %(n)d of %(title)s left.") % {"n": available, "title": title}
            raise OutOfStock(message, detail=f"variant {variant.pk}: asked {quantity}, available {available}")
    StockHold.objects.update_or_create(
        order_line=line,
        defaults={"variant": variant, "quantity": quantity, "expires_at": expires_at, "status": StockHold.Status.HELD},
    )


def release(line) -> bool:
    """Release ``line``'s hold if it is still held. Returns whether something changed. Idempotent.

    The product's cached pages are purged (its availability grows)."""
    held = StockHold.objects.filter(order_line=line, status=StockHold.Status.HELD)
    product_ids = list(held.values_list("variant__product_id", flat=True))
    changed = bool(held.update(status=StockHold.Status.RELEASED, updated_at=timezone.now()))
    if changed:
        purge.purge_tags(f"page:{pk}" for pk in product_ids)
    return changed


def convert_hold(variant, line) -> None:
    """The order was paid: decrement stock by the line's quantity and mark its hold sold. Idempotent.

    ``variant`` must be locked by the caller. A payment that arrives after the hold expired still
    counts as a sale; if the shelf no longer has enough, stock stops at 0 and a warning is logged
    (staff then refund or restock) — the constraint never breaks.
    """

    stock_hold = StockHold.objects.select_for_update().filter(order_line=line).first()
    if stock_hold and stock_hold.status == StockHold.Status.CONVERTED:
        return
    quantity = line.quantity
    if variant.stock is not None:
        if stock_hold is None or stock_hold.status != StockHold.Status.HELD or stock_hold.expires_at <= timezone.now():
            # The hold lapsed: only sell what other live holds leave free.
            free = variant.stock - held_quantity(variant, exclude_line=line)
            if free < quantity:
                logger.warning("oversold variant %s on %s: paid %s, free %s", variant.pk, line.order, quantity, free)
                report(
                    f"oversold:{line.pk}",
                    kind=Kind.STOCK,
                    title=f"{variant} oversold by order {line.order.reference}",
                    detail=f"Paid {quantity}, only {max(free, 0)} free; stock stopped at 0. Restock or refund.",
                    url=f"/admin/shop_orders/inspect/{line.order_id}/",
                )
        new_stock = max(variant.stock - quantity, 0)
        ProductVariant.objects.filter(pk=variant.pk).update(stock=new_stock)
        variant.stock = new_stock
    if stock_hold:
        stock_hold.status = StockHold.Status.CONVERTED
        stock_hold.save(update_fields=["status", "updated_at"])
    else:
        StockHold.objects.create(
            variant=variant,
            order_line=line,
            quantity=quantity,
            expires_at=timezone.now(),
            status=StockHold.Status.CONVERTED,
        )


def restock(variant, quantity: int) -> None:
    """Put ``quantity`` units back on the shelf (refund with restock); untracked stock is left alone."""
    if variant.stock is not None and quantity > 0:
        ProductVariant.objects.filter(pk=variant.pk).update(stock=models.F("stock") + quantity)
        variant.refresh_from_db(fields=["stock"])
