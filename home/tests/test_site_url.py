"""The public address comes from SITE_URL: ``set_site_url`` writes it to the default Site, the
demo uses it, and every absolute URL a crawler reads (canonical, og:url, og:image, JSON-LD,
sitemap ``<loc>``) starts with it. Every page type has a meta description of ≤ 155 characters.
"""

import re
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site
from wagtailseo.models import SeoSettings

from base.site_url import parse_site_url, site_root_url
from home.tests import jsonld
from home.tests.factories import ensure_root

pytestmark = pytest.mark.django_db

META_RE = re.compile(r'<(?:meta|link)\s+(?:name|property|rel)="([^"]+)"\s+(?:content|href)="([^"]*)"')


@pytest.mark.parametrize(
    ("url", "hostname", "port", "root"),
    [
        ("https://shop.example.com", "shop.example.com", 443, "https://shop.example.com"),
        ("https://shop.example.com:443/", "shop.example.com", 443, "https://shop.example.com"),
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("http://testserver", "testserver", 80, "http://testserver"),
    ],
)
def test_parse_site_url(url, hostname, port, root):
    address = parse_site_url(url)
    assert (address.hostname, address.port) == (hostname, port)
    assert site_root_url(url) == root


@pytest.mark.parametrize(
    "url",
    [
        "",
        "shop.example.com",
        "ftp://shop.example.com",
        "https://shop.example.com/shop/",
        "https://x.example:8443",
        "http://x.example:443",
        "https://user:pw@x.example",
        "http://x.example:99999",
    ],
)
def test_bad_site_urls_are_refused_with_a_message(url):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        parse_site_url(url)


def test_set_site_url_command_updates_the_default_site_and_refuses_bad_input():
    root = ensure_root()
    Site.objects.all().delete()
    site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    out = StringIO()
    call_command("set_site_url", "https://shop.example.com", stdout=out)
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == ("shop.example.com", 443, "https://shop.example.com")
    assert "https://shop.example.com/" in out.getvalue()
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("set_site_url", "https://shop.example.com/shop/", stdout=StringIO())
    site.refresh_from_db()
    assert site.hostname == "shop.example.com"  # unchanged by the refused URL
    call_command("set_site_url", stdout=StringIO())  # settings.SITE_URL (tests: http://testserver)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("testserver", 80)


def test_demo_serves_absolute_urls_from_site_url_and_describes_every_page(client, settings):
    ensure_root()
    settings.SITE_URL = "https://shop.example.com"
    call_command("load_demo", stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://shop.example.com"
    assert not Site.objects.filter(hostname="localhost").exists()
    assert not SeoSettings.for_site(site).twitter_site

    page_types = set()
    for page in Page.objects.live().public().filter(depth__gte=2).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        meta = dict(META_RE.findall(html))
        canonical = meta["canonical"]
        assert canonical == "https://shop.example.com" + page.url, page.url
        assert meta.get("og:url") == canonical
        assert meta.get("og:image", "https://shop.example.com/").startswith("https://shop.example.com/")
        description = meta.get("description", "")
        assert 20 <= len(description) <= 160, f"{page.url}: {description!r}"
        assert "twitter:site" not in meta, page.url  # no handle set in the demo
        for block in jsonld.blocks_in(html):
            for url in jsonld.urls_in(block):
                assert url.startswith("https://shop.example.com/"), f"{page.url}: {url}"
        page_types.add(type(page).__name__)
    assert {"HomePage", "ProductPage", "CoursePage", "TeacherPage", "BlogPage", "ContactPage"} <= page_types

    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("https://shop.example.com/") for loc in locs)


def test_twitter_site_only_with_a_handle(client):
    ensure_root()
    call_command("load_demo", stdout=StringIO())
    seo = SeoSettings.for_site(Site.objects.get(is_default_site=True))
    seo.twitter_site = "petitfour"
    seo.save()
    meta = dict(META_RE.findall(client.get("/").content.decode()))
    assert meta.get("twitter:site") == "@petitfour"
