"""sitemap.xml lists exactly the live public pages of the site, with lastmod, and validates
against the sitemaps.org schema (tests/data/sitemap.xsd)."""

import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page

from marketing.tests.helpers import make_blog, make_private, make_site, make_standard

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
XSD = Path(settings.BASE_DIR) / "tests" / "data" / "sitemap.xsd"


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD))


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    entries = {}
    for url in root.findall("sm:url", NS):
        lastmod = url.find("sm:lastmod", NS)
        entries[url.find("sm:loc", NS).text] = lastmod.text if lastmod is not None else None
    return response.content, entries


def test_sitemap_lists_exactly_live_public_pages(client, schema):
    home = make_site()
    about = make_standard(home, "About us")
    post = make_blog(home, title="Lemon tart")
    make_standard(home, "Draft page", publish=False)
    secret = make_private(make_standard(home, "Staff only"))
    make_standard(secret, "Under staff only")
    expired = make_standard(home, "Old offer")
    expired.unpublish()

    content, entries = sitemap_entries(client)
    blog_index = post.get_parent()
    expected = {f"http://testserver{p.url}" for p in (home, about, blog_index, post)}
    assert set(entries) == expected
    for lastmod in entries.values():
        assert datetime.date.fromisoformat(lastmod)  # every URL has a lastmod date
    schema.validate(content)  # raises XMLSchemaValidationError when invalid


def test_no_cart_checkout_or_account_urls(client):
    make_site()
    content, entries = sitemap_entries(client)
    for loc in entries:
        assert not any(part in loc for part in ("/shop/cart", "/shop/checkout", "/accounts/", "/admin/"))


def test_schema_rejects_an_invalid_sitemap(schema):
    bad = (
        b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><lastmod>yesterday</lastmod></url></urlset>"
    )
    assert not schema.is_valid(bad)


def test_demo_sitemap_is_valid_and_every_url_has_lastmod(client, schema):

    call_command("load_demo", stdout=open("/dev/null", "w"))
    content, entries = sitemap_entries(client)
    schema.validate(content)
    live = Page.objects.live().public().filter(depth__gte=2)
    assert len(entries) == live.count()
    assert all(entries.values())
