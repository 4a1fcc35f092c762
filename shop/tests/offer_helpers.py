"""Builders for offers/downloads/refunds tests: offers, priced lines, paid orders with offers.

- ``make_offer(**kw)`` → an :class:`~shop.models.Offer` (defaults: code ``SPRING10``, 10 % off
  the whole order); ``targets=[page, ...]`` and ``categories=[...]`` set the scope's items.
- ``priced_line(total, scopes=..., key=...)`` → a :class:`shop.pricing.PricedLine` of one unit.
- ``paid_order(items, email=..., user=..., coupon_code=..., pi=...)`` → a real order placed
  through ``shop.checkout.place_order`` from a cart, then marked paid with SHOP-B's ``mark_paid``.
"""

from __future__ import annotations

import itertools
import uuid

from shop.checkout import place_order
from shop.models.cart import Cart, CartLine
from shop.money import Money
from shop.offers.models import Offer, OfferTarget
from shop.payments.lifecycle import mark_paid
from shop.pricing import PricedLine
from shop.tests.factories import checkout_data, make_cart, make_shipping_method

_seq = itertools.count(1)


def make_offer(**kwargs):

    targets = kwargs.pop("targets", [])
    categories = kwargs.pop("categories", [])
    defaults = {"name": "Spring sale", "code": "SPRING10", "discount_type": "percent", "percent": 10}
    defaults.update(kwargs)
    if defaults["discount_type"] == "amount":
        defaults.pop("percent", None)
    offer = Offer.objects.create(**defaults)
    for page in targets:
        OfferTarget.objects.create(offer=offer, page=page)
    if categories:
        offer.categories.set(categories)
        offer.save()  # a ParentalManyToManyField is written when the cluster is saved
    return offer


def priced_line(total: int, scopes: dict | None = None, key: str | None = None, currency: str = "EUR") -> PricedLine:
    n = next(_seq)
    key = key or f"test:{n}"
    return PricedLine(
        key=key,
        kind="test",
        purchasable_key=str(n),
        options={},
        title=f"Item {n}",
        description="",
        sku=f"T-{n}",
        unit_price=Money(total, currency),
        quantity=1,
        line_total=Money(total, currency),
        requires_shipping=False,
        max_quantity=99,
        available=None,
        scopes=scopes or {},
    )


def place(items, *, email="camille@example.com", user=None, coupon_code=""):
    """A pending order placed from a real cart through SHOP-A's checkout."""

    cart = Cart.objects.filter(user=user).first() if user is not None else None
    if cart is None:
        cart = make_cart(items, user=user, coupon_code=coupon_code)
    else:  # one cart per customer: reuse it
        cart.lines.all().delete()
        cart.coupon_code = coupon_code
        cart.save()
        for variant, quantity in items:
            CartLine.objects.create(
                cart=cart, purchasable_kind="variant", purchasable_key=str(variant.pk), quantity=quantity
            )
    shipping = make_shipping_method("Click & collect", 0, False)
    return place_order(cart, checkout_data(email=email, shipping_method=shipping), user=user)


def pay(order, pi: str | None = None):
    """Give ``order`` a PaymentIntent id and mark it paid (SHOP-B's ``mark_paid``)."""

    if not order.stripe_payment_intent_id:
        order.stripe_payment_intent_id = pi or f"pi_test_{uuid.uuid4().hex[:20]}"
        order.save(update_fields=["stripe_payment_intent_id"])
    order, _changed = mark_paid(order)
    order.refresh_from_db()
    return order


def paid_order(items, **kwargs):
    pi = kwargs.pop("pi", None)
    return pay(place(items, **kwargs), pi=pi)
