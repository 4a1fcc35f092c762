"""Builders shared by the marketing tests (newsletter, testimonials, SEO, sitemap, search)."""

import datetime

from wagtail.models import Locale, Page, PageViewRestriction, Site

from home.models import BlogIndexPage, BlogPage, HomePage, StandardPage


def make_site():
    """A HomePage as the default site's root (replacing Wagtail's welcome page). Returns it."""
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Petit Four", slug="petit-four-home"))
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Petit Four"},
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


def add_page(parent, page, publish=True):
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


def make_blog(home, title="Macaron masterclass notes", **kwargs):
    index = BlogIndexPage.objects.first() or add_page(home, BlogIndexPage(title="Journal", slug="journal"))
    defaults = {"date": datetime.date(2026, 3, 1), "intro": "What we learned.", "author": "Élise Martin"}
    defaults.update(kwargs)
    return add_page(index, BlogPage(title=title, **defaults))


def make_standard(home, title, publish=True, **kwargs):
    return add_page(home, StandardPage(title=title, **kwargs), publish=publish)


def make_private(page, password="secret"):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password=password)
    return page
