"""Pricing: unit prices from the server, totals, discount lines from the offers engine, shipping."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

from shop import pricing
from shop.models import ShopSettings
from shop.money import Money
from shop.pricing import Adjustment, OffersResult, allocate, price_cart, with_shipping
from shop.tests.factories import (
    make_cart,
    make_product,
    make_shipping_method,
    make_variant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_offers(monkeypatch):
    monkeypatch.setattr(pricing, "apply_offers", lambda lines, subtotal, **kw: OffersResult())


def test_totals_from_variant_prices(no_offers):
    box = make_variant(price=1850, stock=10)
    cake = make_variant(price=3200, stock=None)
    priced = price_cart(make_cart([(box, 2), (cake, 1)]))
    assert [line.line_total for line in priced.lines] == [Money(3700, "EUR"), Money(3200, "EUR")]
    assert priced.subtotal == Money(6900, "EUR")
    assert priced.total == Money(6900, "EUR")
    assert priced.count == 3
    assert priced.can_checkout


def test_shipping_added_only_when_a_line_needs_it(no_offers):
    delivery = make_shipping_method("Local delivery", 590)
    physical = make_variant(price=1000)
    ebook = make_variant(price=900, kind="digital")
    assert price_cart(make_cart([(physical, 1)]), shipping_method=delivery).total == Money(1590, "EUR")
    digital_only = price_cart(make_cart([(ebook, 1)]), shipping_method=delivery)
    assert not digital_only.requires_shipping
    assert digital_only.total == Money(900, "EUR")
    assert with_shipping(price_cart(make_cart([(physical, 2)])), delivery).total == Money(2590, "EUR")


def test_discount_lines_from_offers_engine_are_spread_over_lines(monkeypatch):
    calls = {}

    def fake_apply_offers(lines, subtotal, *, code, user, email, now):
        calls.update(code=code, subtotal=subtotal, keys=[line.key for line in lines])
        return OffersResult([Adjustment("offer:1", "Spring sale −10%", Money(-301, "EUR"))], None)

    monkeypatch.setattr(pricing, "apply_offers", fake_apply_offers)
    a, b = make_variant(price=1000), make_variant(price=2010)
    priced = price_cart(make_cart([(a, 1), (b, 1)], coupon_code="SPRING10"))
    assert calls["code"] == "SPRING10" and calls["subtotal"] == Money(3010, "EUR")
    assert priced.adjustments[0].label == "Spring sale −10%"
    assert priced.discount_total == Money(301, "EUR")
    assert priced.total == Money(2709, "EUR")
    assert sum(line.discount.amount for line in priced.lines) == 301
    assert priced.coupon_code == "SPRING10"


def test_discount_never_exceeds_subtotal_and_bad_code_reported(monkeypatch):
    monkeypatch.setattr(
        pricing,
        "apply_offers",
        lambda lines, subtotal, **kw: OffersResult([Adjustment("x", "Huge", Money(-99999, "EUR"))], "Expired"),
    )
    priced = price_cart(make_cart([(make_variant(price=1000), 1)], coupon_code="OLD"))
    assert priced.total == Money(0, "EUR")
    assert priced.code_error == "Expired"
    assert priced.coupon_code == ""


@pytest.fixture
def clear_cache():

    cache.clear()
    yield
    cache.clear()


def test_currency_comes_from_shop_settings(no_offers, clear_cache):

    variant = make_variant(price=1500)
    site = Site.objects.get(is_default_site=True)
    ShopSettings.objects.update_or_create(site=site, defaults={"currency": "GBP"})  # save() drops the cache
    assert price_cart(make_cart([(variant, 1)])).total == Money(1500, "GBP")


def test_line_problems_for_stock_and_inactive_variants(no_offers):
    page = make_product(
        variants=[{"name": "Box of 6", "price": 900, "stock": 2}, {"name": "Box of 12", "price": 1700, "active": False}]
    )
    six, twelve = page.variants.order_by("sort_order")
    priced = price_cart(make_cart([(six, 3), (twelve, 1)]))
    assert len(priced.lines) == 1 and priced.removed  # the inactive variant cannot be priced
    assert "only 2" in priced.lines[0].problem_message
    assert not priced.can_checkout


def test_allocate_sums_exactly():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert sum(allocate(301, [1000, 2010])) == 301
    assert allocate(0, [5, 5]) == [0, 0]
