"""Page bodies are served from the block cache (home.cache) yet show what changed: stock sold,
pages republished; blocks with a form are rendered for each visitor."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from shop.tests.factories import make_product
from shop.tests.offer_helpers import paid_order

from .factories import build_site

pytestmark = pytest.mark.django_db


def _publish_body(page, body):
    page.refresh_from_db()
    page.body = body
    page.save_revision().publish()


def _grid(product, heading="Our boxes"):
    return {
        "type": "product_grid",
        "value": {
            "heading": heading,
            "text": "",
            "products": [product.pk],
            "category": None,
            "count": 4,
            "link_text": "",
        },
    }


def test_product_sold_out_after_its_last_unit_is_paid(client):

    pages = build_site()
    product = make_product("Pistachio box", variants=[{"name": "Box of 6", "stock": 1, "price": 1500}])
    _publish_body(pages["home"], [_grid(product)])

    html = client.get("/").content.decode()
    assert "Pistachio box" in html and "Sold out" not in html
    assert "Sold out" not in client.get("/").content.decode()  # served from the cache now

    order = paid_order([(product.variants.get(), 1)])
    assert order.status == "paid"
    html = client.get("/").content.decode()
    assert "Pistachio box" in html and "Sold out" in html


def test_republished_body_shows_at_once(client):
    pages = build_site()
    _publish_body(pages["landing"], [{"type": "heading", "value": {"text": "Spring boxes", "level": "h2"}}])
    assert "Spring boxes" in client.get(pages["landing"].url).content.decode()
    _publish_body(pages["landing"], [{"type": "heading", "value": {"text": "Summer boxes", "level": "h2"}}])
    html = client.get(pages["landing"].url).content.decode()
    assert "Summer boxes" in html and "Spring boxes" not in html


def test_newsletter_block_is_rendered_for_each_request(client, settings):
    settings.PAGE_CACHE_SECONDS = 3600  # the full-page cache as in production (off in test settings)
    pages = build_site()
    _publish_body(
        pages["home"],
        [
            {"type": "heading", "value": {"text": "Hello", "level": "h2"}},
            {
                "type": "newsletter_signup",
                "value": {"heading": "Sweet news", "text": "", "button_label": "Subscribe", "style": "butter"},
            },
        ],
    )
    # Anonymous visitors share one copy: no CSRF token in it (site.js fetches the visitor's own).
    html = client.get("/").content.decode()
    assert "Sweet news" in html and "csrfmiddlewaretoken" not in html
    # Visitors with a session get a fresh render each time: their own token and form ids.
    customer = get_user_model().objects.create_user("nl@example.com", "nl@example.com", "pw-12345678")
    client.force_login(customer)
    ids = set()
    for _ in range(2):
        html = client.get("/").content.decode()
        assert "Sweet news" in html and "csrfmiddlewaretoken" in html
        ids.update(re.findall(r'id="nl-block-title-(\w+)"', html))
    assert len(ids) == 2  # a fresh render (own form ids, CSRF token) each time, not a cached copy


def test_preview_is_never_cached(client, admin_client):
    pages = build_site()
    landing = pages["landing"]
    assert "Boxes" in client.get(landing.url).content.decode()
    landing.refresh_from_db()
    landing.body = [{"type": "heading", "value": {"text": "Draft heading", "level": "h2"}}]
    landing.save_revision()  # a draft: the live page keeps its heading
    assert "Draft heading" not in client.get(landing.url).content.decode()
    preview = admin_client.get(f"/admin/pages/{landing.pk}/view_draft/")
    assert preview.status_code == 200 and "Draft heading" in preview.content.decode()


def test_view_restriction_added_after_pages_were_cached_is_enforced(client):

    pages = build_site()
    about = pages["about"]
    assert "We bake." in client.get(about.url).content.decode()  # warm: "no restriction anywhere" cached
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="tarte")
    response = client.get(about.url)
    assert "We bake." not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_a_page_shows_one_newsletter_form(client):
    pages = build_site()
    html = client.get(pages["landing"].url).content.decode()
    assert html.count('name="email"') == 1 and "nl-footer" in html  # the footer's form
    _publish_body(
        pages["landing"],
        [
            {
                "type": "newsletter_signup",
                "value": {"heading": "Sweet news", "text": "", "button_label": "Subscribe", "style": "butter"},
            },
        ],
    )
    html = client.get(pages["landing"].url).content.decode()
    assert "Sweet news" in html
    assert html.count('name="email"') == 1 and "nl-footer" not in html  # the block's form only
