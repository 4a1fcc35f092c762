"""A coupon that stops applying at checkout (the per-customer limit, once the email is known) is
never dropped silently: the checkout shows why and places no order until the customer removes it."""

import pytest
from django.urls import reverse

from shop.checkout import CouponNotApplicable, place_order
from shop.models import Order
from shop.tests.factories import checkout_data, make_cart, make_variant
from shop.tests.offer_helpers import make_offer, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def used_once():
    """SPRING10 (10 %, once per customer), already used by ana@example.com on a paid order."""
    make_offer(code="SPRING10", percent=10, max_uses_per_customer=1)
    paid_order(
        [(make_variant(kind="digital", price=1000, stock=None), 1)], email="ana@example.com", coupon_code="SPRING10"
    )
    return Order.objects.count()


def test_place_order_refuses_a_code_that_no_longer_applies(used_once):
    cart = make_cart([(make_variant(kind="digital", price=2000, stock=None), 1)], coupon_code="SPRING10")
    with pytest.raises(CouponNotApplicable) as refused:
        place_order(cart, checkout_data(email="ana@example.com"))
    assert "already used this code" in str(refused.value.user_message)
    assert refused.value.code == "SPRING10"
    assert Order.objects.count() == used_once
    order = place_order(cart, checkout_data(email="bob@example.com"))  # another customer: applies
    assert (order.coupon_code, order.discount_total, order.total) == ("SPRING10", 200, 1800)


def test_checkout_page_shows_the_code_error_and_places_nothing_until_removed(client, used_once):
    ebook = make_variant(kind="digital", price=2000, stock=None)
    client.post(reverse("shop:cart_add"), {"variant": ebook.pk, "quantity": 1})
    client.post(reverse("shop:cart_coupon"), {"code": "spring10"})  # a guest: no email yet, it applies
    page = client.get(reverse("shop:checkout")).content.decode()
    assert "SPRING10" in page and "€18.00" in page

    details = {"email": "ana@example.com", "name": "Ana Lopez"}
    response = client.post(reverse("shop:checkout"), details)

    assert response.status_code == 200
    html = response.content.decode()
    assert "already used this code" in html and "Your order was not placed." in html
    assert 'value="ana@example.com"' in html  # the form is shown again, filled in
    assert "€20.00" in html and "€18.00" not in html  # the summary: what Ana would pay without it
    assert Order.objects.count() == used_once

    removed = client.post(reverse("shop:cart_coupon"), {"action": "remove", "next": reverse("shop:checkout")})
    assert removed["Location"] == reverse("shop:checkout")
    response = client.post(reverse("shop:checkout"), details)
    assert response.status_code == 302
    order = Order.objects.latest("pk")
    assert (order.email, order.coupon_code, order.discount_total, order.total) == ("ana@example.com", "", 0, 2000)
