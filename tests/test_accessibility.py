"""0 serious or critical axe-core violations (axe-core pinned in package.json, injected into
Chromium) on the demo's home, product listing, product, course, teacher, blog post, cart,
checkout, payment and account pages, at 390 px and 1366 px; the payment page's HTML also passes
the W3C Nu validator (the other pages are validated in tests/test_html_validity.py).

Screenshots of every page at both widths land in ``test-artifacts/a11y/``.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from home.models import BlogPage
from home.tests.factories import ensure_root
from learning.models import CoursePage, TeacherPage
from shop.models import ProductPage
from tests.a11y import axe_violations, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
CUSTOMER, PASSWORD = "claire.customer@example.com", "bake-demo-2026"  # demo.learning.DEMO_CUSTOMER


def check(page, name, url, found, shots):
    """Open ``url`` at both widths; record axe's serious/critical violations and screenshots."""
    for width_name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        for violation in axe_violations(page):
            found.append(
                f"{name} @{viewport['width']}px: {violation['impact']} {violation['id']} "
                f"({violation['help']}) at {violation['targets']}"
            )
        path = shots / f"{name}-{width_name}.png"
        page.screenshot(path=str(path), full_page=True)


def test_demo_pages_have_no_serious_axe_violations(chromium, live_server, localstripe, settings, artifacts_dir):
    localstripe.register_webhook("a11y", f"{live_server.url}/shop/stripe/webhook/", settings.STRIPE_WEBHOOK_SECRET)
    ensure_root()
    call_command("load_demo", stdout=StringIO())
    product = ProductPage.objects.live().filter(gallery_images__isnull=False).distinct().first()
    pages = {
        "home": "/",
        "listing": ProductPage.objects.live().first().get_parent().url,
        "product": product.url,
        "course": CoursePage.objects.live().first().url,
        "teacher": TeacherPage.objects.live().first().url,
        "blog-post": BlogPage.objects.live().first().url,
    }
    shots = artifacts_dir / "a11y"
    shots.mkdir(exist_ok=True)
    found: list[str] = []
    context = chromium.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    for name, path in pages.items():
        check(page, name, live_server.url + path, found, shots)

    # A product in the cart, then checkout and the payment page (a real PaymentIntent on localstripe).
    page.set_viewport_size(WIDTHS["desktop"])
    page.goto(live_server.url + product.url)
    with page.expect_response(lambda r: "/shop/cart/add/" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Add to cart").first.click()
    check(page, "cart", f"{live_server.url}/shop/cart/", found, shots)
    check(page, "checkout", f"{live_server.url}/shop/checkout/", found, shots)
    page.goto(f"{live_server.url}/shop/checkout/")
    page.fill("input[name=email]", "a11y@example.com")
    page.fill("input[name=name]", "Alex Martin")
    page.locator("input[name=shipping_method][data-needs-address='0']").first.check()  # click & collect
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/shop/checkout/[^/]+/pay/"))
    payment_url = page.url
    check(page, "payment", payment_url, found, shots)
    payment_html = page.request.get(payment_url).text()

    # Signed in: the account pages.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", CUSTOMER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.acct-form button[type=submit]").click()
    page.wait_for_load_state()
    for name, path in (
        ("account", "/accounts/"),
        ("account-orders", "/shop/account/orders/"),
        ("account-bookings", "/learning/bookings/"),
        ("account-downloads", "/shop/downloads/"),
    ):
        check(page, name, live_server.url + path, found, shots)
    context.close()

    assert len(list(shots.glob("*.png"))) >= 2 * 13
    assert not found, f"{len(found)} serious/critical axe violations:\n" + "\n".join(found)
    assert vnu_errors({"payment": payment_html}) == {"payment": []}
