"""``load_demo`` builds the Petit Four site idempotently; every internal link works; pages are cheap."""

import re
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page, Site

from base.models import SiteSettings
from home.models import HomePage
from home.tests.factories import ensure_root

LINK_RE = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"#]*)', re.IGNORECASE)
SKIP_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/")


def internal_links(html, base):
    for href in LINK_RE.findall(html):
        href = href.replace("&amp;", "&").strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        url = urlsplit(urljoin(base, href))
        if url.netloc not in ("", "testserver", "localhost"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not path.startswith(SKIP_PREFIXES):
            yield path


def crawl(client, start="/", limit=400):
    """Follow every same-host link from ``start``; return {path: status} (redirects followed)."""
    seen, queue, statuses = {start}, [start], {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        response = client.get(path, follow=True)
        statuses[path] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for link in internal_links(response.content.decode(), path):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return statuses


@pytest.mark.django_db
def test_load_demo_twice_then_crawl_every_internal_link():
    """One test so the (slow) demo is built once: idempotence first, then the crawl."""
    ensure_root()
    call_command("load_demo", stdout=StringIO())
    counts = (Page.objects.count(), HomePage.objects.count(), Site.objects.count())
    revisions = Page.objects.filter(live=True).values_list("pk", "latest_revision_id")
    before = dict(revisions)
    call_command("load_demo", stdout=StringIO())
    assert (Page.objects.count(), HomePage.objects.count(), Site.objects.count()) == counts
    assert dict(Page.objects.filter(live=True).values_list("pk", "latest_revision_id")) == before
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert site.root_page.title == "Petit Four"
    assert not Page.objects.filter(depth=2, title__startswith="Welcome").exists()
    assert SiteSettings.for_site(site).contact_email == "hello@petitfour.example"
    slugs = set(Page.objects.filter(depth=3).values_list("slug", flat=True))
    assert {
        "about",
        "faq",
        "delivery-returns",
        "terms",
        "privacy",
        "wedding-cakes",
        "gift-boxes",
        "journal",
        "contact",
    } <= slugs
    assert Page.objects.get(slug="journal").get_children().live().count() >= 4

    statuses = crawl(Client())
    assert len(statuses) > 15  # the crawl really went through the site
    broken = {path: status for path, status in statuses.items() if status >= 400}
    assert broken == {}
