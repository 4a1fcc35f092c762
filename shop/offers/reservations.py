"""Coupon uses reserved at order placement, like stock holds, so the last use of a code goes to
one pending order only.

An :class:`~shop.offers.models.OfferRedemption` row is written for each offer of an order when
the order is placed (``status=reserved``), becomes ``used`` when the order is paid
(:func:`shop.offers.rules.record_redemptions`) and ``released`` with the order's holds (failed
payment, cancellation, expiry, a newer checkout of the same cart). A reservation counts towards
``max_uses`` while its order is ``pending_payment`` and its hold has not lapsed (the same rule as
stock holds), so an abandoned checkout gives its use back on its own.

Lock order: the offer rows are the last step (cart → order → purchasables → offers), taken by
:func:`lock_offers` before pricing, so two checkouts of the last use are serialised.
"""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from base import parsing
from base.attention import Kind, report
from shop.exceptions import CouponUsedUp
from shop.offers.models import Offer, OfferRedemption
from shop.status import OrderStatus

logger = logging.getLogger(__name__)

RESERVED, USED, RELEASED = "reserved", "used", "released"


def counting(now=None) -> Q:
    """The redemptions that count as uses now: used ones, and reservations of live pending orders."""
    now = now or timezone.now()
    return Q(over_limit=False) & (
        Q(status=USED) | Q(status=RESERVED, order__status=OrderStatus.PENDING_PAYMENT, order__hold_expires_at__gt=now)
    )


def lock_offers(code: str | None) -> list[Offer]:
    """Lock (``select_for_update``, by pk) the offers a checkout may use: the one whose code is
    ``code`` and every automatic offer with a use limit. Returns them."""
    wanted = Q(code="", max_uses__isnull=False) | Q(code="", max_uses_per_customer__isnull=False)
    code = "".join((code or "").split())
    if code:
        wanted |= Q(code__iexact=code)
    return list(Offer.objects.select_for_update().filter(wanted).order_by("pk"))


def offer_ids_of(order) -> list[int]:
    """The offers ``order``'s adjustments name (``offer:<pk>`` codes), sorted."""
    ids = set()
    for adj in order.adjustments.all():
        offer_id = parsing.optional_id(adj.code[6:]) if adj.code.startswith("offer:") else None
        if offer_id is not None:
            ids.add(offer_id)
    return sorted(ids)


def _amounts(order) -> dict[int, int]:
    amounts: dict[int, int] = {}
    for adj in order.adjustments.all():
        if adj.code.startswith("offer:") and adj.code[6:].isdigit():
            amounts[int(adj.code[6:])] = amounts.get(int(adj.code[6:]), 0) - adj.amount
    return amounts


def over_limit(offer: Offer, order, now=None) -> bool:
    """Whether one more use by ``order``'s customer would exceed ``offer``'s limits (the
    order's own reservation excluded)."""
    counted = offer.redemptions.filter(counting(now)).exclude(order=order)
    if offer.max_uses is not None and counted.count() >= offer.max_uses:
        return True
    if offer.max_uses_per_customer is not None:
        who = Q(email__iexact=order.email) if order.email else Q(pk__in=[])
        if order.user_id:
            who |= Q(user_id=order.user_id)
        if counted.filter(who).count() >= offer.max_uses_per_customer:
            return True
    return False


def reserve_for_order(order, *, strict: bool, status: str = RESERVED) -> list[OfferRedemption]:
    """Reserve (or, with ``status="used"``, record) ``order``'s offer uses; offer rows are locked.

    ``strict`` (checkout): a use beyond a limit raises
    :class:`~shop.exceptions.CouponUsedUp` (the caller's transaction rolls back). Otherwise
    (a late payment, the customer already paid the discounted price) the row is stored with
    ``over_limit=True``, does not count as a use, and is logged. Idempotent per order and offer.
    """
    ids = offer_ids_of(order)
    if not ids:
        return []
    amounts = _amounts(order)
    rows = []
    for offer in Offer.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        row = OfferRedemption.objects.filter(offer=offer, order=order).first()
        if row is not None and (row.status == status or row.status == USED):
            rows.append(row)
            continue
        over = over_limit(offer, order)
        if over and strict:
            raise CouponUsedUp(detail=f"offer {offer.pk} used up")
        if over:
            logger.warning("offer %s (%s) used beyond its limit by order %s", offer.pk, offer, order)
            report(
                f"offer-over-limit:{offer.pk}:{order.pk}",
                kind=Kind.STOCK,
                title=f"Code {offer.code or offer.name} used beyond its limit by order {order.reference}",
                detail="The payment arrived after the order's reservation of the use was released.",
                url=f"/admin/shop_orders/inspect/{order.pk}/",
            )
        if row is None:
            row = OfferRedemption(offer=offer, order=order)
        row.user_id = order.user_id
        row.email = order.email
        row.amount = max(amounts.get(offer.pk, 0), 0)
        row.over_limit = over
        row.status = status
        row.save()
        rows.append(row)
    return rows


def release_reservations(order) -> int:
    """Give back ``order``'s reserved uses (its holds were released). Returns how many."""
    return OfferRedemption.objects.filter(order=order, status=RESERVED).update(status=RELEASED)
