"""End to end in headless Chromium: a signed-in customer applies SPRING10 in the cart, pays the
e-book on the payment page (localstripe's Stripe.js), then downloads it from "My downloads"."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from shop.models import DigitalAsset, Entitlement, Order
from shop.tests.factories import make_product
from shop.tests.offer_helpers import make_offer
from shop.tests.test_browser_checkout import read, wait_for, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% Petit Four macaron masterclass\n%%EOF\n"


@pytest.fixture
def ebook_setup(localstripe, live_server, settings):
    localstripe.register_webhook("offers", f"{live_server.url}/shop/stripe/webhook/", settings.STRIPE_WEBHOOK_SECRET)
    product = make_product(
        "Macaron masterclass e-book", kind="digital", variants=[{"name": "", "price": 1200, "stock": None}]
    )
    asset = DigitalAsset(product=product, title="Macaron masterclass (PDF)")
    asset.file.save("macaron-masterclass.pdf", ContentFile(PDF), save=False)
    asset.save()
    make_offer(code="SPRING10", percent=10)
    get_user_model().objects.create_user("claire", "claire@example.com", "bake-demo-2026")
    return product


def test_apply_code_pay_and_download_the_ebook(chromium, live_server, ebook_setup, artifacts_dir, tmp_path):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    violations = watch_csp(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "claire@example.com")
    page.fill("input[name=password]", "bake-demo-2026")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto(live_server.url + ebook_setup.url)
    with page.expect_response(lambda r: "/shop/cart/add/" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{live_server.url}/shop/cart/")
    page.get_by_role("textbox", name="Have a discount code?").fill("spring10")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Code SPRING10 applied.").wait_for()
    assert page.locator(".coupon__tag").inner_text().strip() == "SPRING10 applied"
    summary = page.locator(".shop-summary").inner_text()
    assert "Code SPRING10 (10% off)" in summary and "€1.20" in summary and "€10.80" in summary
    page.screenshot(path=str(artifacts_dir / "offers-cart-code-desktop.png"), full_page=True)

    page.goto(f"{live_server.url}/shop/checkout/")
    page.fill("input[name=name]", "Claire Dubois")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/shop/checkout/[^/]+/pay/"))
    page.get_by_role("button", name=re.compile(r"Pay €10\.80")).click()
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_text("Thank you, your order is confirmed!").wait_for()

    order = read(lambda: Order.objects.get(email="claire@example.com"))
    assert (order.status, order.total, order.discount_total) == (Order.Status.PAID, 1080, 120)
    assert read(lambda: order.offer_redemptions.count()) == 1
    assert wait_for(lambda: Entitlement.objects.filter(order_line__order=order).exists())

    page.goto(f"{live_server.url}/shop/downloads/")
    page.get_by_text("5 downloads left").wait_for()
    page.screenshot(path=str(artifacts_dir / "offers-downloads-desktop.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    saved = tmp_path / "ebook.pdf"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "macaron-masterclass.pdf"
    assert saved.read_bytes() == PDF
    assert read(lambda: Entitlement.objects.get(order_line__order=order).download_count) == 1
    assert violations == []
    # Let localstripe's webhook (about a second after payment) finish before the database is flushed.
    assert wait_for(lambda: Order.objects.filter(pk=order.pk, payment_events__type="payment_intent.succeeded").exists())
    context.close()
