"""Checkout: the order snapshots the cart under locks, holds stock, and the page asks only what is needed."""

import pytest
from django.urls import reverse

from shop import pricing
from shop.cart import empty_cart_for_order
from shop.checkout import EmptyCart, place_order
from shop.models import Cart, Order, StockHold
from shop.money import Money
from shop.pricing import Adjustment, OffersResult
from shop.tests.factories import (
    checkout_data,
    make_cart,
    make_product,
    make_shipping_method,
    make_variant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def methods():
    return (
        make_shipping_method("Local delivery", 590, requires_address=True, sort_order=1),
        make_shipping_method("Click & collect", 0, requires_address=False, sort_order=2),
    )


def test_place_order_snapshots_lines_totals_and_holds(methods, monkeypatch):
    monkeypatch.setattr(
        pricing,
        "apply_offers",
        lambda lines, subtotal, **kw: OffersResult([Adjustment("offer:7", "Welcome −€2", Money(-200, "EUR"))]),
    )
    page = make_product("Macaron box", variants=[{"name": "Box of 12", "sku": "MAC-12", "price": 1850, "stock": 5}])
    variant = page.variants.get()
    cart = make_cart([(variant, 2)], coupon_code="HELLO")
    data = checkout_data(
        shipping_method=methods[0], address_line1="3 rue des Lilas", city="Lyon", postcode="69001", country="FR"
    )
    order = place_order(cart, data)

    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.reference == f"PF-{order.pk:06d}"
    assert (order.subtotal, order.discount_total, order.shipping_total, order.total) == (3700, 200, 590, 4090)
    assert order.shipping_method_name == "Local delivery" and order.city == "Lyon"
    assert order.cart == cart and order.coupon_code == "HELLO"
    line = order.lines.get()
    assert (line.title, line.sku, line.unit_price, line.quantity, line.discount) == (
        "Macaron box – Box of 12",
        "MAC-12",
        1850,
        2,
        200,
    )
    assert list(order.adjustments.values_list("label", "amount")) == [("Welcome −€2", -200)]
    hold = StockHold.objects.get(order_line=line)
    assert hold.quantity == 2 and hold.expires_at == order.hold_expires_at
    # Later price changes never change the order.
    variant.price = 9999
    variant.save()
    assert order.lines.get().unit_price == 1850
    # The cart is kept until the order is paid.
    assert cart.lines.count() == 1


def test_collect_order_drops_address_and_costs_nothing_to_ship(methods):
    cart = make_cart([(make_variant(price=1000), 1)])
    order = place_order(cart, checkout_data(shipping_method=methods[1], address_line1="ignored", city="ignored"))
    assert order.shipping_total == 0 and order.address_line1 == "" and order.total == 1000


def test_new_checkout_supersedes_the_carts_previous_unpaid_order(methods):
    variant = make_variant(stock=1)
    cart = make_cart([(variant, 1)])
    first = place_order(cart, checkout_data(shipping_method=methods[1]))
    second = place_order(cart, checkout_data(shipping_method=methods[1]))
    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    assert second.status == Order.Status.PENDING_PAYMENT
    assert StockHold.objects.filter(status="held").count() == 1


def test_empty_cart_is_refused():
    with pytest.raises(EmptyCart):
        place_order(make_cart([]), checkout_data())
    assert not Order.objects.exists()


def test_empty_cart_for_order_takes_only_the_ordered_units(methods):

    a, b = make_variant(), make_variant()
    cart = make_cart([(a, 3)])
    order = place_order(cart, checkout_data(shipping_method=methods[1]))
    cart.lines.filter(purchasable_key=str(a.pk)).update(quantity=4)  # one more added after checkout
    cart.lines.create(purchasable_kind="variant", purchasable_key=str(b.pk), quantity=1)
    empty_cart_for_order(order)
    empty_cart_for_order(order)  # idempotent
    assert sorted(cart.lines.values_list("purchasable_key", "quantity")) == sorted([(str(a.pk), 1), (str(b.pk), 1)])


# --------------------------------------------------------------------------- the page


def add(client, variant, quantity=1):
    return client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": quantity})


def test_checkout_page_places_order_and_goes_to_payment(client, methods):
    variant = make_variant(price=1850, stock=4)
    add(client, variant, 2)
    page = client.get(reverse("shop:checkout"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Local delivery" in html and "Click &amp; collect" in html and "€37.00" in html
    response = client.post(
        reverse("shop:checkout"),
        {
            "email": "camille@example.com",
            "name": "Camille Martin",
            "shipping_method": methods[1].pk,
            # Tampering: none of these are read.
            "total": "1",
            "subtotal": "1",
            "currency": "USD",
            "price": "1",
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:payment", args=[order.token])
    assert (order.total, order.currency, order.email) == (3700, "EUR", "camille@example.com")


def test_delivery_needs_an_address(client, methods):
    add(client, make_variant())
    response = client.post(
        reverse("shop:checkout"), {"email": "a@example.com", "name": "A", "shipping_method": methods[0].pk}
    )
    assert response.status_code == 200
    assert "Needed for delivery." in response.content.decode()
    assert not Order.objects.exists()


def test_digital_only_cart_asks_no_shipping_or_address(client, methods):
    add(client, make_variant(kind="digital", price=900, stock=None))
    html = client.get(reverse("shop:checkout")).content.decode()
    assert 'name="shipping_method"' not in html and 'name="address_line1"' not in html
    response = client.post(reverse("shop:checkout"), {"email": "reader@example.com", "name": "Reader"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.shipping_method is None and order.total == 900


def test_sold_out_at_checkout_shows_message_and_creates_nothing(client, methods):
    variant = make_variant(stock=1)
    add(client, variant, 1)
    place_order(make_cart([(variant, 1)]), checkout_data(shipping_method=methods[1]))  # someone else was faster
    response = client.post(
        reverse("shop:checkout"), {"email": "a@example.com", "name": "A", "shipping_method": methods[1].pk}, follow=True
    )
    assert response.status_code == 200
    assert "sold out" in response.content.decode()
    assert Order.objects.count() == 1


def test_checkout_with_empty_cart_redirects(client):
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 302 and response["Location"] == reverse("shop:cart")


def test_signed_in_email_is_prefilled(client, django_user_model, methods):
    user = django_user_model.objects.create_user("ana", "ana@example.com", "pw")
    client.force_login(user)
    add(client, make_variant())
    assert 'value="ana@example.com"' in client.get(reverse("shop:checkout")).content.decode()
    assert Cart.objects.get().user == user
