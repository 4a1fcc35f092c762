"""End to end in headless Chromium: two products → cart → guest checkout → payment page with
localstripe's Stripe.js → success page. Also a declined card. Runs with the site's real CSP."""

import re

import pytest
from django.core import mail

from conftest import watch_csp
from shop.models import Order
from shop.tests.factories import make_shipping_method
from shop.tests.payment_helpers import make_variant, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def shop_setup(localstripe, localstripe_webhook):
    make_shipping_method("Click & collect", price=0, requires_address=False, sort_order=0)
    a = make_variant(title="Pistachio macarons", price=1800, stock=10, name="")
    b = make_variant(title="Lemon meringue tart", price=2450, stock=5, name="")
    return [a, b]


def add_to_cart_and_checkout(page, live_server, variants, email):
    for variant in variants:
        page.goto(live_server.url + variant.product.url)
        # The form posts with fetch when JavaScript runs: wait for the server's answer.
        with page.expect_response(lambda r: "/shop/cart/add/" in r.url and r.request.method == "POST"):
            page.get_by_role("button", name="Add to cart").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/shop/checkout/")
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", "Camille Martin")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/shop/checkout/[^/]+/pay/"))


def read(func):
    """Run a database read, retrying while the live server holds the shared SQLite connection."""
    result = []
    assert wait_for(lambda: result.append(func()) or True)
    return result[-1]


def test_guest_buys_two_products_and_lands_on_success_page(chromium, live_server, shop_setup, artifacts_dir):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    violations = watch_csp(page)
    add_to_cart_and_checkout(page, live_server, shop_setup, "camille@example.com")

    response = page.reload()
    assert "127.0.0.1" in response.headers["content-security-policy"]
    order = read(lambda: Order.objects.get(email="camille@example.com"))
    assert order.total == 1800 + 2450
    assert page.get_by_text("Test mode").is_visible()
    assert page.get_by_role("button", name=re.compile(r"Pay €42\.50")).is_visible()
    page.screenshot(path=str(artifacts_dir / "payment-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts_dir / "payment-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name=re.compile(r"Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()  # localstripe's "3D Secure" dialog
    page.wait_for_url(re.compile(rf"/shop/orders/{order.token}/"))
    page.get_by_text("Thank you, your order is confirmed!").wait_for()
    assert page.get_by_text("Pistachio macarons").first.is_visible()

    assert read(lambda: Order.objects.get(pk=order.pk).status) == Order.Status.PAID
    # The webhook arrives about a second later: still exactly one email.
    assert wait_for(lambda: Order.objects.filter(pk=order.pk, payment_events__type="payment_intent.succeeded").exists())
    assert len([m for m in mail.outbox if m.to == ["camille@example.com"]]) == 1
    assert violations == []

    page.screenshot(path=str(artifacts_dir / "success-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts_dir / "success-phone.png"), full_page=True)
    # The cart was emptied once the order was paid.
    page.goto(f"{live_server.url}/shop/cart/")
    assert page.get_by_text("Pistachio macarons").count() == 0
    context.close()


def test_declined_card_shows_the_error_and_leaves_order_unpaid(chromium, live_server, shop_setup, artifacts_dir):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    violations = watch_csp(page)
    add_to_cart_and_checkout(page, live_server, shop_setup[:1], "declined@example.com")
    page.get_by_label("Decline the card").check()
    page.get_by_role("button", name=re.compile(r"Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()
    error = page.locator("#card-errors")
    error.filter(has_text=re.compile(r"\w")).wait_for()
    assert "declined" in error.inner_text().lower() or "insufficient" in error.inner_text().lower()
    page.screenshot(path=str(artifacts_dir / "payment-declined-phone.png"), full_page=True)
    order = read(lambda: Order.objects.get(email="declined@example.com"))
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAYMENT_FAILED)
    assert read(lambda: Order.objects.get(pk=order.pk).status) not in (Order.Status.PAID, Order.Status.FULFILLED)
    assert [m for m in mail.outbox if m.to == ["declined@example.com"]] == []
    assert "/pay/" in page.url  # still on the payment page, free to try again
    assert violations == []
    context.close()


def test_retry_after_a_decline_pays_the_same_order(chromium, live_server, shop_setup):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    add_to_cart_and_checkout(page, live_server, shop_setup[1:], "retry@example.com")
    page.get_by_label("Decline the card").check()
    page.get_by_role("button", name=re.compile(r"Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()
    page.locator("#card-errors").filter(has_text=re.compile(r"\w")).wait_for()
    order = read(lambda: Order.objects.get(email="retry@example.com"))
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAYMENT_FAILED)
    page.get_by_label("Approve (3-D Secure)").check()
    page.get_by_role("button", name=re.compile(r"Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_text("Thank you, your order is confirmed!").wait_for()
    assert read(lambda: Order.objects.get(pk=order.pk).status) == Order.Status.PAID
    assert len([m for m in mail.outbox if m.to == ["retry@example.com"]]) == 1
    # Let the webhook for the new PaymentIntent land before the database is flushed.
    assert wait_for(lambda: Order.objects.filter(pk=order.pk, payment_events__type="payment_intent.succeeded").exists())
    context.close()
