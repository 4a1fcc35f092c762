"""Builders for payment/order tests: real product variants and pending orders with real holds.

``make_variant`` publishes a ProductPage (under a ProductIndexPage under the site root) with one
variant; ``make_order`` creates a ``pending_payment`` Order whose lines snapshot the variants and
hold their stock through the purchasable interface, as checkout does.
"""

from __future__ import annotations

import itertools
import time
from datetime import timedelta

from django.db import OperationalError, transaction
from django.utils import timezone

from shop.models import (
    Order,
    OrderAdjustment,
    OrderLine,
    ProductIndexPage,
    ProductPage,
    ProductVariant,
)
from shop.purchasable import resolve
from shop.tests.factories import make_site

_seq = itertools.count(1)


def wait_for(predicate, timeout=10.0):
    """Poll ``predicate`` until true. On SQLite the live server shares this thread's in-memory
    database connection, so a read can meet "database table is locked" while the server is in a
    transaction (e.g. handling the webhook): that read is simply retried."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:
            pass
        time.sleep(0.3)
    return predicate()


def shop_index() -> ProductIndexPage:
    """A published ProductIndexPage under the default site's root (SHOP-A's ``make_site``)."""
    index = ProductIndexPage.objects.filter(slug="pay-test-shop").first()
    if index:
        return index
    index = ProductIndexPage(title="Shop", slug="pay-test-shop")
    make_site().add_child(instance=index)
    index.save_revision().publish()
    return index


def make_variant(
    title: str = "Macaron box", price: int = 1800, stock: int | None = 10, name: str = "Box of 12"
) -> ProductVariant:
    n = next(_seq)
    page = ProductPage(title=title, slug=f"pay-test-product-{n}")
    page.variants = [ProductVariant(name=name, sku=f"PAY-{n:04d}", price=price, stock=stock)]
    shop_index().add_child(instance=page)
    page.save_revision().publish()
    return ProductVariant.objects.get(sku=f"PAY-{n:04d}")


def make_order(
    items=None,
    *,
    email: str = "guest@example.com",
    name: str = "Camille Martin",
    user=None,
    shipping: int = 0,
    discount: int = 0,
    currency: str = "EUR",
    hold_minutes: int = 30,
) -> Order:
    """A pending order for ``items`` (list of ``(variant, quantity)``), holds placed. Totals add up."""
    if items is None:
        items = [(make_variant(), 2)]
    with transaction.atomic():  # the locks need a transaction, as in checkout
        return _make_order(items, email, name, user, shipping, discount, currency, hold_minutes)


def _make_order(items, email, name, user, shipping, discount, currency, hold_minutes) -> Order:
    subtotal = sum(v.price * q for v, q in items)
    order = Order.objects.create(
        email=email,
        name=name,
        user=user,
        currency=currency,
        subtotal=subtotal,
        discount_total=discount,
        shipping_total=shipping,
        total=subtotal - discount + shipping,
        shipping_method_name="Click & collect" if not shipping else "Local delivery",
        hold_expires_at=timezone.now() + timedelta(minutes=hold_minutes),
    )
    order.assign_reference()
    for variant, quantity in items:
        purchasable = resolve("variant", str(variant.pk))
        line = OrderLine.objects.create(
            order=order,
            purchasable_kind="variant",
            purchasable_key=str(variant.pk),
            title=purchasable.title,
            sku=variant.sku,
            unit_price=variant.price,
            quantity=quantity,
            requires_shipping=True,
        )
        purchasable.lock()
        purchasable.hold(line, quantity, order.hold_expires_at)
    if discount:
        OrderAdjustment.objects.create(order=order, code="offer:test", label="Spring offer", amount=-discount)
    return order
