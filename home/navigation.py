"""Site chrome data (main menu, footer links) cached per site across requests.

Both are small lists of ``{"title", "url", "path"}`` dicts. They are rebuilt after any page is
published, unpublished, moved or deleted and after Site settings are saved (signals connected
in :meth:`home.apps.HomeConfig.ready`), and expire after ``CACHE_SECONDS`` regardless, so a
warm page spends no query on them.
"""

from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction, Site

CACHE_SECONDS = 600
VERSION_KEY = "home:nav:version"


def _key(name, site):
    version = cache.get_or_set(VERSION_KEY, 1, None)
    return f"home:nav:{version}:{name}:{site.pk}"


def invalidate(**kwargs):
    """Forget every cached menu and footer (bumps the version part of the keys)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def menu_items(site: Site) -> list[dict]:
    """Live pages with "show in menus" directly under ``site``'s root page, in tree order.

    Pages with a view restriction (password, login, groups) are left out.
    """
    key = _key("menu", site)
    items = cache.get(key)
    if items is None:
        pages = (
            Page.objects.child_of(site.root_page).live().in_menu()
            .exclude(pk__in=PageViewRestriction.objects.values("page_id"))
            .only("id", "title", "url_path", "path", "depth", "locale_id")
            .order_by("path")
        )
        items = [{"title": p.title, "url": p.relative_url(site), "path": p.path} for p in pages]
        cache.set(key, items, CACHE_SECONDS)
    return items


def footer_links(site: Site, site_settings) -> list[dict]:
    """The Site settings' footer links resolved to ``{"title", "url"}`` (dead page links dropped)."""
    key = _key("footer", site)
    items = cache.get(key)
    if items is None:
        items = []
        for child in site_settings.footer_links:
            value = child.value
            page = value.get("page")
            url = page.relative_url(site) if page else value.get("link_url")
            if url:
                items.append({"title": value.text, "url": url})
        cache.set(key, items, CACHE_SECONDS)
    return items
