"""The full-page cache on the demo site (``base/page_cache.py``, ``base/purge.py``).

Anonymous GETs of pages are served whole from the cache with 0 queries; signed-in customers,
carts, previews and POSTs never get or fill a shared entry; publishing, paid orders and holds
purge only the pages that show what changed; time-based facts cap the lifetime.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from base import page_cache
from home.models import BlogPage
from learning.models import CoursePage, CourseSession
from shop.catalogue.models import ProductVariant, StockHold
from shop.catalogue.pages import ProductIndexPage, ProductPage
from shop.catalogue.purges import purge_products
from shop.models.orders import Order, OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PAGE_CACHE_SECONDS = 3600  # off by default in the test settings
    call_command("load_demo", stdout=StringIO())


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def test_anonymous_pages_are_served_from_the_cache_with_no_query(demo, django_assert_num_queries):
    client = Client()
    urls = [
        "/",
        ProductIndexPage.objects.live().first().url,
        ProductPage.objects.live().first().url,
        CoursePage.objects.live().first().url,
        BlogPage.objects.live().first().url,
    ]
    for url in urls:
        first = get(client, url)
        assert first["X-Page-Cache"] == "miss", url
        assert re.fullmatch(r"public, max-age=\d+, s-maxage=\d+", first["Cache-Control"]), first["Cache-Control"]
        assert "Cookie" in first["Vary"]
        assert not first.cookies  # nothing set for an anonymous visitor
        html = first.content.decode()
        assert "csrfmiddlewaretoken" not in html  # site.js adds the visitor's own
        assert 'data-visitor-url="/shop/visitor/"' in html
        with django_assert_num_queries(0):
            hit = get(client, url)
        assert hit["X-Page-Cache"] == "hit" and hit.content == first.content


def test_signed_in_carts_posts_and_previews_never_get_or_fill_shared_entries(demo):
    product = ProductPage.objects.live().first()
    anonymous = Client()
    assert get(anonymous, product.url)["X-Page-Cache"] == "miss"

    customer = get_user_model().objects.create_user("pc@example.com", "pc@example.com", "pw-12345678")
    signed_in = Client()
    signed_in.force_login(customer)
    for _ in range(2):
        mine = get(signed_in, product.url)
        assert mine["X-Page-Cache"] == "skip" and mine["Cache-Control"] == "private, no-cache"
        assert "csrfmiddlewaretoken" in mine.content.decode()  # rendered for this visitor
        assert ">Account<" in mine.content.decode()

    # A visitor with a cart (a session cookie) sees their own count, never the shared copy.
    cart_client = Client()
    variant = ProductVariant.objects.filter(product=product, active=True).first()
    visitor = cart_client.get("/shop/visitor/").json()
    cart_client.post("/shop/cart/add/", {"variant": variant.pk, "quantity": 2, "csrfmiddlewaretoken": visitor["csrf"]})
    response = get(cart_client, product.url)
    assert response["X-Page-Cache"] == "skip"
    assert re.search(r'data-cart-count>2</span><span class="visually-hidden"> items<', response.content.decode())
    data = cart_client.get("/shop/visitor/")
    assert data["Cache-Control"] == "private, no-store" and data.json()["cart"]["count"] == 2

    # POSTs are never answered from the cache (the shared copy is still there for GETs).
    post = anonymous.post(product.url, {})
    assert "X-Page-Cache" not in post or post["X-Page-Cache"] != "hit"
    assert get(anonymous, product.url)["X-Page-Cache"] == "hit"

    # Previews live under /admin/ and are never cached.
    admin = get_user_model().objects.create_superuser("pcadmin", "pcadmin@example.com", "pw-12345678")
    staff = Client()
    staff.force_login(admin)
    preview = staff.get(f"/admin/pages/{product.pk}/view_draft/")
    assert preview.status_code == 200 and "X-Page-Cache" not in preview


def test_publishing_and_paid_orders_purge_only_the_pages_that_show_them(demo):
    client = Client()
    product = ProductPage.objects.live().first()
    listing = product.get_parent().specific
    blog = BlogPage.objects.live().first()
    urls = {"product": product.url, "listing": listing.url, "blog": blog.url, "home": "/"}
    for url in urls.values():
        get(client, url)
    assert all(get(client, url)["X-Page-Cache"] == "hit" for url in urls.values())

    # Stock held / sold: the product and the listing showing it go, the blog post stays.
    variant = ProductVariant.objects.filter(product=product, active=True).first()
    variant.save()
    states = {name: get(client, url)["X-Page-Cache"] for name, url in urls.items()}
    assert states["product"] == "miss" and states["listing"] == "miss" and states["blog"] == "hit"

    # A paid order's receiver purges the same way (the product's tag), not the whole site.
    purge_products([product.pk])
    # While another worker renders it again (its lock), a request gets the old copy, uncacheable.
    lock = f"pc:lock:pc:e:{page_cache._digest('testserver' + urls['product'])}:0"
    cache.add(lock, 1, 10)
    stale = get(client, urls["product"])
    assert stale["X-Page-Cache"] == "stale" and stale["Cache-Control"] == "no-cache"
    cache.delete(lock)
    assert get(client, urls["product"])["X-Page-Cache"] == "miss"
    assert get(client, urls["blog"])["X-Page-Cache"] == "hit"

    # Publishing the product: its page, its parent listing; the blog post stays.
    product.title = "A renamed product"
    product.save_revision().publish()
    states = {name: get(client, url)["X-Page-Cache"] for name, url in urls.items()}
    assert states["product"] == "miss" and states["listing"] == "miss" and states["blog"] == "hit"
    assert "A renamed product" in get(client, urls["listing"]).content.decode()


def test_a_hold_lapsing_or_a_session_starting_caps_the_lifetime(demo):
    client = Client()
    course = CoursePage.objects.live().first()
    CourseSession.objects.filter(page=course).delete()
    soon = timezone.now() + timedelta(minutes=7)
    CourseSession.objects.create(page=course, start=soon, end=soon + timedelta(hours=3), capacity=6)
    response = get(client, course.url)
    max_age = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 0 < max_age <= 7 * 60

    product = ProductPage.objects.live().first()
    variant = ProductVariant.objects.filter(product=product, active=True, stock__isnull=False).first()
    if variant is None:
        variant = ProductVariant.objects.filter(product=product, active=True).first()
        variant.stock = 10
        variant.save()
    order_line = _pending_line(variant)
    StockHold.objects.create(
        variant=variant, order_line=order_line, quantity=1, expires_at=timezone.now() + timedelta(minutes=4)
    )
    response = get(client, product.url)
    max_age = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 0 < max_age <= 4 * 60


def _pending_line(variant):
    order = Order.objects.create(email="hold@example.com", name="Hold", currency="EUR")
    return OrderLine.objects.create(
        order=order,
        purchasable_kind="variant",
        purchasable_key=str(variant.pk),
        title="x",
        unit_price=100,
        quantity=1,
    )


def test_a_form_posted_without_its_token_gets_a_confirm_page_that_works(demo):
    client = Client(enforce_csrf_checks=True)
    product = ProductPage.objects.live().first()
    variant = ProductVariant.objects.filter(product=product, active=True).first()
    response = client.post("/shop/cart/add/", {"variant": variant.pk, "quantity": 1})
    assert response.status_code == 403
    html = response.content.decode()
    assert "One more click" in html and f'name="variant" value="{variant.pk}"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    again = client.post("/shop/cart/add/", {"variant": variant.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    assert again.status_code in (200, 302)
    assert client.get("/shop/visitor/").json()["cart"]["count"] == 1
