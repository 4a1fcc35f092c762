"""0 errors from the W3C Nu HTML validator (vnu-jar, pinned in package.json) on the demo site:
every live page, the cart and checkout with a product in the cart, sign-in and sign-up, search,
and the signed-in customer's account, orders, downloads and bookings pages, plus a 404.

The payment page needs a PaymentIntent (localstripe); the browser accessibility test
(tests/test_accessibility.py) validates it too.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from home.tests.factories import ensure_root
from shop.models import ProductVariant
from tests.a11y import vnu_errors

pytestmark = pytest.mark.django_db


def test_demo_pages_have_no_html_errors(client):
    ensure_root()
    call_command("load_demo", stdout=StringIO())
    documents = {}

    def grab(path, name=None):
        response = client.get(path)
        assert response.status_code in (200, 404), f"{path}: {response.status_code}"
        documents[name or path] = response.content.decode()

    for page in Page.objects.live().public().filter(depth__gte=2).specific():
        grab(page.url)
    grab("/search/?q=macaron")
    grab("/this-page-does-not-exist/", "404")
    grab("/accounts/login/")
    grab("/accounts/signup/")
    variant = ProductVariant.objects.filter(active=True, product__live=True).first()
    response = client.post("/shop/cart/add/", {"variant": variant.pk, "quantity": "1", "go": "cart"})
    assert response.status_code == 302
    grab("/shop/cart/")
    grab("/shop/checkout/")

    customer = get_user_model().objects.get(email="claire.customer@example.com")
    client.force_login(customer)
    for path in ("/accounts/", "/shop/account/orders/", "/shop/downloads/", "/learning/bookings/", "/shop/cart/"):
        grab(path, f"{path} (signed in)")

    assert len(documents) > 30
    errors = {name: found for name, found in vnu_errors(documents).items() if found}
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found[:8]) for name, found in errors.items())
    assert not errors, f"{sum(map(len, errors.values()))} HTML errors on {len(errors)} pages:\n{report}"
