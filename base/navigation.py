"""Site chrome data (main menu, footer links) cached per site across requests.

Both are small lists of ``{"title", "url", "path"}`` dicts. They are rebuilt after any page is
published, unpublished, moved or deleted and after Site settings are saved (signals connected
in :meth:`home.apps.HomeConfig.ready`), and expire after ``CACHE_SECONDS`` regardless, so a
warm page spends no query on them.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtailseo.models import SeoSettings

from base import request_memo
from base.models.settings import SiteSettings

CACHE_SECONDS = 600
VERSION_KEY = "base:nav:version"


def _version():
    return cache.get_or_set(VERSION_KEY, 1, None)


def set_routed_page(request, page) -> None:
    """Remember ``page`` as the Wagtail page this request is serving (or previewing).

    Called by :meth:`base.models.pages.BasePage.get_context`. Template tags ask
    :func:`routed_page` instead of guessing that a context variable named ``page`` is a
    Wagtail page (views pass paginator pages, chooser values... under that name).
    """
    if request is not None:
        request.routed_page = page


def routed_page(request):
    """The Wagtail page this request serves or previews, or ``None`` (app views, errors)."""
    return getattr(request, "routed_page", None) if request is not None else None


def _key(name, site):
    version = request_memo.memo(VERSION_KEY, _version)  # once per request, not per menu item
    return f"base:nav:{version}:{name}:{site.pk if site else 0}"


PREFETCH_MEMO = "base:nav:prefetched"


def _get(key):
    """``cache.get(key)``, answered from this request's prefetch (:func:`prefetch`) when it has it."""
    prefetched = request_memo.memo(PREFETCH_MEMO, dict)
    if key in prefetched:
        return prefetched[key]
    return cache.get(key)


def prefetch(site) -> None:
    """Read the site chrome's cached values (settings, menu, footer links, "any restriction")
    in one cache round trip at the start of a request, instead of one per use."""
    keys = [_key("settings", site), _key("menu", site), _key("footer", site), _key("restricted", None)]
    found = cache.get_many(keys)
    request_memo.memo(PREFETCH_MEMO, dict).update({key: found.get(key) for key in keys})


def invalidate(**kwargs):
    """Forget every cached menu and footer (bumps the version part of the keys)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
    request_memo.forget(VERSION_KEY)
    request_memo.forget(PREFETCH_MEMO)


def menu_items(site: Site) -> list[dict]:
    """Live pages with "show in menus" directly under ``site``'s root page, in tree order.

    Pages with a view restriction (password, login, groups) are left out.
    """
    key = _key("menu", site)
    items = _get(key)
    if items is None:
        pages = (
            Page.objects.child_of(site.root_page)
            .live()
            .in_menu()
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
    items = _get(key)
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


def logo_html(site: Site, site_settings, spec: str, css_class: str) -> str:
    """The logo ``<img>`` tag (rendition ``spec``, with width/height), cached like the menu.

    Costs no query when warm: the Image row and its rendition are only loaded on a miss. Image
    saves also rebuild it (see :meth:`home.apps.HomeConfig.ready`).
    """

    key = _key(f"logo:{site_settings.logo_id}:{spec}:{css_class}", site)
    html = cache.get(key)
    if html is None:
        logo = site_settings.logo
        html = str(logo.get_rendition(spec).img_tag({"class": css_class, "alt": ""})) if logo else ""
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)


def page_url(page_id: int, load_page) -> str:
    """The URL of page ``page_id`` (``load_page()`` returns the page on a miss), cached like the menu."""
    key = _key(f"url:{page_id}", None)
    url = cache.get(key)
    if url is None:
        page = load_page()
        url = (page.url if page is not None else "") or ""
        cache.set(key, url, CACHE_SECONDS)
    return url


def ancestors(page) -> list:
    """``page``'s ancestors below the tree root, home page first (Page objects; cached like the menu)."""
    key = _key(f"ancestors:{page.path}", None)
    items = cache.get(key)
    if items is None:
        items = list(page.get_ancestors().filter(depth__gt=1))
        cache.set(key, items, CACHE_SECONDS)
    return items


def any_view_restriction() -> bool:
    """True when some page has a view restriction (password, login, groups); cached like the menu
    (saving or deleting a PageViewRestriction bumps the version)."""
    key = _key("restricted", None)
    found = _get(key)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(key, found, CACHE_SECONDS)
    return found


def public(queryset):
    """``queryset.public()`` without its query when no page has a view restriction."""
    return queryset.public() if any_view_restriction() else queryset


def prime_site_settings(request) -> None:
    """Put SiteSettings and wagtail-seo's SeoSettings on ``request`` from the cache (one cache
    read, no query when warm), where ``for_request`` finds them: templates' ``settings.*``,
    ``BasePage.seo_org_fields``, ``home.seo``. Their images (logo, default share image, org
    logo) are fetched once and pickled with them."""

    site = Site.find_for_request(request)
    if site is None:
        return
    prefetch(site)
    objs = _get(_key("settings", site))
    if objs is None:
        objs = []
        for model, related in ((SiteSettings, ("logo",)), (SeoSettings, ("og_image_default", "struct_org_logo"))):
            obj = model.for_site(site)
            for name in related:
                getattr(obj, name, None)  # the related object is cached on, and pickled with, the instance
            objs.append(obj)
        # Creating a settings row on first use bumps the version: take the key afterwards.
        cache.set(_key("settings", site), objs, CACHE_SECONDS)
    for obj in objs:
        obj._request = request
        setattr(request, obj.get_cache_attr_name(), obj)


class CachedSiteSettingsMiddleware:
    """Saves the two site-settings queries (and the default share image's) on every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/admin/"):
            prime_site_settings(request)
        return self.get_response(request)


def child_page(parent: Page, slug: str):
    """The specific child page of ``parent`` with this ``slug`` (live or not), or None if unknown.

    The child's id and content type are cached per (parent, slug) like the menu; the page row is
    always fetched (one query) and checked to still be that slug under that parent, so a stale
    hint only costs the normal lookup. None for slugs that do not exist (callers fall back to
    Wagtail's routing, which raises 404).
    """

    if not slug or len(slug) > 100:
        return None

    key = _key(f"child:{parent.pk}:{hashlib.md5(slug.encode(), usedforsecurity=False).hexdigest()}", None)
    hint = cache.get(key)
    if hint is None:
        hint = Page.objects.child_of(parent).filter(slug=slug).values_list("pk", "content_type_id").first()
        if hint is None:
            return None
        cache.set(key, hint, CACHE_SECONDS)
    model = ContentType.objects.get_for_id(hint[1]).model_class()
    if model is None:
        return None
    page = (
        model.objects.filter(pk=hint[0], slug=slug, depth=parent.depth + 1, path__startswith=parent.path)
        .select_related(*getattr(model, "route_select_related", ()))
        .first()
    )
    if page is not None:
        page._cached_parent_obj = parent
    return page


def connect_signals() -> None:
    """Rebuild cached menus and footer links when pages, Site settings, sites or images change.

    Called once from :meth:`base.apps.BaseConfig.ready`.
    """
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"base-nav-{signal!r}")
    for model in (Page, SiteSettings, SeoSettings, Site, PageViewRestriction, get_image_model()):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"base-nav-save-{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"base-nav-del-{model.__name__}")
