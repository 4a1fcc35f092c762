"""The cart: add / change / remove with and without JavaScript, validation, tampering, merge at sign-in."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from conftest import watch_csp
from shop.cart import empty_cart_for_order
from shop.checkout import place_order
from shop.context_processors import cart as cart_context_processor
from shop.models import Cart, CartLine, ProductVariant
from shop.tests.factories import checkout_data, make_product, make_shipping_method, make_variant

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def add(client, variant_id, quantity="1", **extra):
    """POST to cart_add; ``HTTP_*`` keywords are headers, the rest extra form fields."""
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    fields = {k: v for k, v in extra.items() if not k.startswith("HTTP_")}
    return client.post(reverse("shop:cart_add"), {"variant": variant_id, "quantity": quantity, **fields}, **headers)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def lines():
    return list(CartLine.objects.values_list("purchasable_key", "quantity"))


def test_add_without_js_redirects_with_message_and_header_shows_count(client):
    variant = make_variant("Pistachio box", price=1850)
    response = add(client, variant.pk, "2")
    assert response.status_code == 302
    assert messages_of(response) == ["Added Pistachio box – Box of 12 to your cart."]
    assert lines() == [(str(variant.pk), 2)]
    page = client.get(reverse("shop:cart")).content.decode()
    assert "€37.00" in page and "Pistachio box" in page
    assert 'data-cart-count>2</span><span class="visually-hidden"> items</span>' in page


def test_add_with_fetch_returns_json_summary(client):
    variant = make_variant(price=1200)
    response = add(client, variant.pk, "3", **JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] and data["cart"] == {"count": 3, "total": "€36.00", "total_minor": 3600, "currency": "EUR"}
    again = add(client, variant.pk, "1", **JSON).json()
    assert again["cart"]["count"] == 4 and lines() == [(str(variant.pk), 4)]


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1.5", "", "100", "99999999999", "1e3"])
def test_bad_quantities_are_refused_with_a_message(client, quantity):
    variant = make_variant()
    response = add(client, variant.pk, quantity)
    assert response.status_code == 302
    assert messages_of(response) and "Added" not in messages_of(response)[0]
    assert lines() == []
    as_json = add(client, variant.pk, quantity, **JSON)
    assert as_json.status_code == 400 and as_json.json()["ok"] is False
    assert lines() == []


@pytest.mark.parametrize("variant_id", ["999999", "abc", "", "-3"])
def test_unknown_variant_is_a_form_error_or_404_never_500(client, variant_id):
    make_variant()
    response = add(client, variant_id)
    assert response.status_code == 302 and messages_of(response)
    as_json = add(client, variant_id, **JSON)
    assert as_json.status_code in (400, 404)
    assert lines() == []


def test_posted_prices_and_currencies_are_ignored(client):
    variant = make_variant(price=1850)
    add(client, variant.pk, "1", price="1", unit_price="1", total="1", currency="USD", **JSON)
    page = client.get(reverse("shop:cart")).content.decode()
    assert "€18.50" in page and "$" not in page


def test_stock_is_checked_when_adding(client):
    variant = make_variant(stock=2)
    assert add(client, variant.pk, "2", **JSON).status_code == 200
    refused = add(client, variant.pk, "1", **JSON)
    assert refused.status_code == 400 and "only 2" in refused.json()["message"].lower()
    assert lines() == [(str(variant.pk), 2)]


def test_quantity_over_stock_says_how_many_are_left_or_sold_out(client):
    variant = make_variant(stock=3)
    assert "only 3" in add(client, variant.pk, "5", **JSON).json()["message"].lower()
    sold_out = make_variant(stock=0)
    assert "sold out" in add(client, sold_out.pk, "1", **JSON).json()["message"].lower()


def test_change_quantity_and_remove_with_and_without_js(client):
    variant = make_variant(price=1000, stock=10)
    add(client, variant.pk, "1")
    line = CartLine.objects.get()
    url = reverse("shop:cart_line_update", args=[line.pk])
    assert client.post(url, {"quantity": "4"}).status_code == 302
    assert lines() == [(str(variant.pk), 4)]
    bad = client.post(url, {"quantity": "0"}, **JSON)
    assert bad.status_code == 400 and lines() == [(str(variant.pk), 4)]
    ok = client.post(url, {"quantity": "2"}, **JSON).json()
    assert ok["cart"]["count"] == 2 and "€20.00" in ok["html"]
    removed = client.post(reverse("shop:cart_line_remove", args=[line.pk]), **JSON).json()
    assert removed["cart"]["count"] == 0 and "Your cart is empty" in removed["html"]
    assert lines() == []


def test_cannot_touch_someone_elses_line(client):
    other = Cart.objects.create()
    line = CartLine.objects.create(
        cart=other, purchasable_kind="variant", purchasable_key=str(make_variant().pk), quantity=1
    )
    add(client, make_variant().pk)
    assert client.post(reverse("shop:cart_line_update", args=[line.pk]), {"quantity": "5"}, **JSON).status_code == 404
    assert client.post(reverse("shop:cart_line_remove", args=[line.pk]), **JSON).status_code == 404
    assert CartLine.objects.get(pk=line.pk).quantity == 1


def test_inactive_and_deleted_variants_are_dropped_with_a_message(client):
    page = make_product(variants=[{"name": "A", "sku": "A-1"}, {"name": "B", "sku": "B-1"}])
    a, b = page.variants.order_by("sort_order")
    add(client, a.pk)
    add(client, b.pk)
    ProductVariant.objects.filter(pk=a.pk).update(active=False)
    ProductVariant.objects.filter(pk=b.pk).delete()
    response = client.get(reverse("shop:cart"))
    assert response.status_code == 200
    assert len([m for m in messages_of(response) if "no longer available" in m]) == 2
    assert lines() == []
    assert add(client, a.pk).status_code == 302 and lines() == []  # inactive cannot be added either


def test_cart_merges_at_sign_in(client, django_user_model):
    user = django_user_model.objects.create_user("ana", "ana@example.com", "secret-pass-123")
    box, cake, rare = make_variant(stock=10), make_variant(stock=None), make_variant(stock=3)
    stored = Cart.objects.create(user=user)
    stored.lines.create(purchasable_kind="variant", purchasable_key=str(box.pk), quantity=2)
    stored.lines.create(purchasable_kind="variant", purchasable_key=str(rare.pk), quantity=2)
    add(client, box.pk, "3")
    add(client, cake.pk, "1")
    add(client, rare.pk, "2")
    anonymous_id = client.session["shop_cart_id"]
    client.login(username="ana", password="secret-pass-123")
    assert sorted(Cart.objects.get(user=user).lines.values_list("purchasable_key", "quantity")) == sorted(
        [(str(box.pk), 5), (str(cake.pk), 1), (str(rare.pk), 3)]  # rare capped by stock
    )
    assert not Cart.objects.filter(pk=anonymous_id).exists()
    assert client.get(reverse("shop:cart_summary")).json()["count"] == 9


def test_order_placed_before_sign_in_still_empties_the_merged_cart(client, django_user_model):

    user = django_user_model.objects.create_user("cy", "cy@example.com", "secret-pass-123")
    box, cake = make_variant(), make_variant()
    Cart.objects.create(user=user).lines.create(purchasable_kind="variant", purchasable_key=str(cake.pk), quantity=1)
    add(client, box.pk, "2")
    order = place_order(
        Cart.objects.get(pk=client.session["shop_cart_id"]),
        checkout_data(shipping_method=make_shipping_method("Click & collect", 0, False)),
    )
    client.login(username="cy", password="secret-pass-123")
    order.refresh_from_db()
    assert order.cart == Cart.objects.get(user=user)
    empty_cart_for_order(order)
    assert list(Cart.objects.get(user=user).lines.values_list("purchasable_key", "quantity")) == [(str(cake.pk), 1)]


def test_anonymous_cart_becomes_the_customers_when_they_had_none(client, django_user_model):
    user = django_user_model.objects.create_user("bo", "bo@example.com", "secret-pass-123")
    add(client, make_variant().pk, "2")
    client.login(username="bo", password="secret-pass-123")
    assert Cart.objects.get().user == user and client.get(reverse("shop:cart_summary")).json()["count"] == 2


def test_header_summary_costs_at_most_two_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        add(client, make_variant().pk, "2")
    request = RequestFactory().get("/")
    request.session = client.session

    request.user = AnonymousUser()
    summary = cart_context_processor(request)["cart_summary"]
    with django_assert_max_num_queries(2):
        assert summary.count == 10
    assert summary.total_display == "€180.00"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_fetch_updates_header_and_cart_without_reload(chromium, live_server, artifacts_dir):
    page_obj = make_product(
        "Rose box",
        image=True,
        variants=[{"name": "Box of 6", "price": 1450, "stock": 10}, {"name": "Box of 12", "price": 2600, "stock": 10}],
    )
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    csp = watch_csp(page)
    page.goto(live_server.url + page_obj.url)
    page.locator("label.shop-variant").nth(1).click()
    assert page.inner_text("[data-price-display]").strip() == "€26.00"
    page.fill("input[name=quantity]", "2")
    page.evaluate("window.__noReload = true")
    with page.expect_response(lambda r: "/shop/cart/add/" in r.url):
        page.get_by_role("button", name="Add to cart").click()
    page.wait_for_function("document.querySelector('[data-cart-count]').textContent.trim() === '2'")
    assert page.evaluate("window.__noReload") is True  # same document: no reload happened
    assert "Added Rose box – Box of 12" in page.inner_text("[data-cart-feedback]")

    page.goto(live_server.url + "/shop/cart/")
    quantity = page.locator("input[name=quantity]").first
    quantity.fill("3")
    page.evaluate("window.__noReload = true")
    with page.expect_response(lambda r: "/shop/cart/lines/" in r.url):
        quantity.dispatch_event("change")
    page.wait_for_function("document.querySelector('.shop-totals__total dd').textContent.includes('78.00')")
    assert page.inner_text("[data-cart-count]").strip() == "3"
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=str(artifacts_dir / "shop-cart-phone.png"), full_page=True)
    assert csp == []
