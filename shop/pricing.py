"""The one place that prices a cart (after django-oscar's ``partner/strategy.py``).

``price_cart(cart, ...)`` returns a frozen :class:`CartPrice`: each line's unit price and line
total (:class:`~shop.money.Money`, from the purchasable — never from the browser), the subtotal,
the discount lines the offers engine returns, shipping, the total, and each line's availability
problem. Views, templates, the header and the checkout all read this value; nothing else
computes a price.

The offers engine (:mod:`shop.offers.rules`) is called through the contract of
:mod:`shop.priced_lines`::

    apply_offers(lines: list[PricedLine], subtotal: Money, *, code: str | None, user,
                 email: str | None, now: datetime) -> OffersResult

``OffersResult.adjustments`` are :class:`Adjustment` values with a *negative* ``amount``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shop.catalogue.models import shop_config
from shop.catalogue.purchasables import resolve_many
from shop.exceptions import CheckoutError, InvalidQuantity, NotPurchasable, OutOfStock
from shop.money import Money, allocate
from shop.offers.rules import apply_offers
from shop.priced_lines import Adjustment, OffersResult, PricedLine

__all__ = [
    "Adjustment",
    "CartPrice",
    "OffersResult",
    "PricedLine",
    "allocate",
    "line_problem",
    "price_cart",
    "price_entries",
    "with_shipping",
]


@dataclass(frozen=True)
class CartPrice:
    """A priced cart. All amounts in ``currency``; ``total = subtotal + discount + shipping``
    where ``discount`` is the (negative) sum of adjustments, never more than the subtotal."""

    currency: str
    lines: tuple[PricedLine, ...]
    subtotal: Money
    adjustments: tuple[Adjustment, ...]
    discount_total: Money  # positive amount taken off
    shipping: Money
    total: Money
    requires_shipping: bool
    shipping_method: Any = None
    coupon_code: str = ""
    code_error: str | None = None
    removed: tuple[str, ...] = ()  # messages about lines that could not be resolved at all

    @property
    def count(self) -> int:
        """Number of units in the cart."""
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def problems(self) -> list[PricedLine]:
        return [line for line in self.lines if line.problem]

    @property
    def can_checkout(self) -> bool:
        return bool(self.lines) and not self.problems


def line_problem(purchasable, quantity: int, available: int | None) -> CheckoutError | None:
    """Why ``quantity`` units of ``purchasable`` cannot be bought now (or ``None``)."""
    if quantity > purchasable.max_quantity:
        return InvalidQuantity(
            _("You can buy at most %(n)d of %(title)s.") % {"n": purchasable.max_quantity, "title": purchasable.title}
        )
    if available is not None and quantity > available:
        if available <= 0:
            return OutOfStock(_("Sorry, %(title)s is sold out.") % {"title": purchasable.title})
        return OutOfStock(_("Sorry, only %(n)d of %(title)s left.") % {"n": available, "title": purchasable.title})
    return None


def price_entries(
    entries: Sequence[tuple[Any, Any, int]],
    *,
    currency: str,
    coupon_code: str = "",
    shipping_method=None,
    user=None,
    email: str | None = None,
    now: datetime | None = None,
    removed: Sequence[str] = (),
) -> CartPrice:
    """Price ``(cart_line_or_None, purchasable, quantity)`` entries (already resolved).

    The building block of :func:`price_cart`; the checkout calls it after locking the
    purchasables so availability is read under the lock.
    """
    now = now or timezone.now()
    lines = []
    for cart_line, purchasable, quantity in entries:
        unit = purchasable.unit_price
        if unit.currency != currency:
            problem = NotPurchasable(detail=f"{purchasable.kind}:{purchasable.key} priced in {unit.currency}")
            available = 0
        else:
            available = purchasable.available()
            problem = line_problem(purchasable, quantity, available)
        lines.append(
            PricedLine(
                key=f"{purchasable.kind}:{purchasable.key}",
                kind=purchasable.kind,
                purchasable_key=purchasable.key,
                options=dict(purchasable.options or {}),
                title=purchasable.title,
                description=purchasable.describe(),
                sku=purchasable.sku,
                unit_price=unit,
                quantity=quantity,
                line_total=unit * quantity,
                requires_shipping=purchasable.requires_shipping,
                max_quantity=purchasable.max_quantity,
                available=available,
                scopes=dict(purchasable.scopes or {}),
                url=purchasable.url,
                image=purchasable.image,
                cart_line_id=getattr(cart_line, "pk", None),
                problem=problem,
                purchasable=purchasable,
            )
        )
    subtotal = sum((line.line_total for line in lines if line.unit_price.currency == currency), Money.zero(currency))

    adjustments: list[Adjustment] = []
    code_error = None
    if lines:
        result = apply_offers(lines, subtotal, code=coupon_code or None, user=user, email=email, now=now)
        adjustments = [a for a in result.adjustments if a.amount.currency == currency and a.amount.amount < 0]
        code_error = result.code_error

    discount = min(-sum(a.amount.amount for a in adjustments), subtotal.amount)
    # Spread each adjustment over its lines so order lines carry their share (for refunds).
    shares = [0] * len(lines)
    remaining = discount
    for adjustment in adjustments:
        amount = min(-adjustment.amount.amount, remaining)
        remaining -= amount
        idx = [i for i, line in enumerate(lines) if not adjustment.lines or line.key in adjustment.lines]
        for i, share in zip(idx, allocate(amount, [lines[i].line_total.amount for i in idx]), strict=True):
            shares[i] += share
    lines = [
        _replace(line, discount=Money(min(share, line.line_total.amount), currency))
        for line, share in zip(lines, shares, strict=True)
    ]

    requires_shipping = any(line.requires_shipping for line in lines)
    shipping_amount = shipping_method.price if (shipping_method is not None and requires_shipping) else 0
    shipping = Money(shipping_amount, currency)
    return CartPrice(
        currency=currency,
        lines=tuple(lines),
        subtotal=subtotal,
        adjustments=tuple(adjustments),
        discount_total=Money(discount, currency),
        shipping=shipping,
        total=Money(subtotal.amount - discount + shipping_amount, currency),
        requires_shipping=requires_shipping,
        shipping_method=shipping_method if requires_shipping else None,
        coupon_code=coupon_code if (coupon_code and not code_error) else "",
        code_error=code_error,
        removed=tuple(removed),
    )


def _replace(line: PricedLine, **changes) -> PricedLine:

    return replace(line, **changes)


def price_cart(
    cart, *, shipping_method=None, user=None, email: str | None = None, now: datetime | None = None
) -> CartPrice:
    """Price ``cart`` (a :class:`shop.models.Cart` or ``None``) as it stands; read-only.

    Lines whose purchasable no longer exists are left out and described in ``removed``
    (:func:`shop.cart.clean_cart` deletes them and tells the customer). Queries: the lines, one
    for all variants, one per line for live holds, plus whatever the offers engine needs.
    """

    currency = shop_config().currency
    cart_lines = list(cart.lines.all()) if cart is not None and cart.pk else []
    resolved = resolve_many(
        ((cl.purchasable_kind, cl.purchasable_key, cl.options) for cl in cart_lines), with_images=True
    )
    entries, removed = [], []
    for cart_line, purchasable in zip(cart_lines, resolved, strict=True):
        if isinstance(purchasable, NotPurchasable):
            removed.append(str(purchasable.user_message))
        else:
            entries.append((cart_line, purchasable, cart_line.quantity))
    return price_entries(
        entries,
        currency=currency,
        coupon_code=getattr(cart, "coupon_code", "") or "",
        shipping_method=shipping_method,
        user=user,
        email=email,
        now=now,
        removed=removed,
    )


def with_shipping(priced: CartPrice, shipping_method) -> CartPrice:
    """``priced`` with ``shipping_method``'s price instead of its shipping (no other re-pricing).

    Lets the checkout show the total for each fulfilment method without pricing the cart again.
    """

    amount = shipping_method.price if (shipping_method is not None and priced.requires_shipping) else 0
    shipping = Money(amount, priced.currency)
    total = Money(priced.subtotal.amount - priced.discount_total.amount + amount, priced.currency)
    return replace(
        priced, shipping=shipping, total=total, shipping_method=shipping_method if priced.requires_shipping else None
    )
