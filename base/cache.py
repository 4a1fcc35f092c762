"""Block-level HTML cache for page bodies (StreamFields rendered by ``includes/stream.html``).

What is cached
    Each top-level block of a live page's body is rendered once and its HTML kept in Django's
    default cache under ``base:block:<content version>:<site>:<language>:<page id>:<live revision
    id>:<block id>:<first?>`` for ``HOME_BLOCK_CACHE_SECONDS`` (default 300 s). A warm page
    therefore spends no query on product grids, teachers, upcoming courses, testimonials, offer
    banners, galleries... whatever their own cost: two cache round trips (``get_many`` /
    ``set_many``) in all.

What is rendered live, every request
    - blocks whose type is in :data:`LIVE_BLOCK_TYPES` or whose block class declares
      ``class Meta: cacheable = False`` — blocks with a form (a CSRF token) or per-visitor
      content, e.g. the newsletter signup;
    - every block of a preview / revision view (``request.is_preview``), or when there is no
      live page in the context (the stream is not a published page's).

When a block is retired
    Each key holds the page path's version and the site-wide content version that the
    full-page cache (:mod:`base.page_cache`) read for this request, so a block goes stale
    exactly when its page's cached copies do:
    - a precise purge of the page (:mod:`base.purge`): the page or something it shows was
      published, or the stock, seats or slots it shows changed (``shop``/``learning`` purge the
      tags their blocks record with :func:`base.page_cache.depends_on`; the tags and any
      :func:`base.page_cache.expires_at` cap are stored with the block and replayed on a hit);
    - :func:`bump` (site-wide): ``post_save``/``post_delete`` of the models listed in
      :data:`WATCHED_MODELS` (categories, offers, testimonials, images, settings, sites, view
      restrictions) — looked up with ``apps.get_model`` strings; a model that does not exist is
      skipped. The bump happens at once and again when the surrounding transaction commits, so
      a page rendered between the change and the commit cannot keep stale HTML.
    Changes that send no signal (``QuerySet.update``) show after at most
    ``HOME_BLOCK_CACHE_SECONDS``.
"""

import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.safestring import mark_safe

from base import page_cache, purge

VERSION_KEY = page_cache.GLOBAL_VERSION_KEY

#: Block types (names in ``PageStreamBlock``/``BasicStreamBlock``) always rendered live: they
#: hold a form with a CSRF token or content that depends on the visitor.
LIVE_BLOCK_TYPES = frozenset({"newsletter_signup"})

#: Models whose saves/deletes change what some block shows ("app_label.ModelName").
WATCHED_MODELS = (
    "shop.Category",
    "shop.Offer",
    "marketing.Testimonial",
    "base.SiteSettings",
    "wagtailimages.Image",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
)


def cache_seconds() -> int:
    """How long a rendered block is kept (setting ``HOME_BLOCK_CACHE_SECONDS``, default 300)."""
    return getattr(settings, "HOME_BLOCK_CACHE_SECONDS", 300)


def content_version() -> int:
    """The current content version (an int, part of every block key)."""
    return cache.get_or_set(VERSION_KEY, 1, None)


def _incr():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value differs from old keys
        cache.set(VERSION_KEY, 2, None)


def bump(**kwargs):
    """Retire every cached block and page, here and on the CDN (signal receiver for site-wide
    changes; accepts and ignores any signal arguments)."""
    _incr()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_incr)
    purge.purge_cdn_everything()


def is_cacheable(block_type: str, block) -> bool:
    """Whether a StreamField child of type ``block_type`` (block definition ``block``) may be cached."""
    if block_type in LIVE_BLOCK_TYPES:
        return False
    return getattr(block.meta, "cacheable", True)


def _page_key(context):
    """The page part of the keys, or None when this stream must not be cached."""
    request = context.get("request")
    page = context.get("page")
    if request is None or page is None or getattr(request, "is_preview", False):
        return None
    if not getattr(page, "live", False) or not getattr(page, "pk", None) or not getattr(page, "live_revision_id", None):
        return None
    site = getattr(request, "_wagtail_site", None)
    st = page_cache.state(request)
    if st is not None and st.version is not None and st.global_version is not None:
        versions = f"{st.global_version}:{st.version}"  # read once by the page-cache middleware
    else:
        versions = f"{content_version()}:-"
    return f"{versions}:{getattr(site, 'pk', 0)}:{translation.get_language()}:{page.pk}:{page.live_revision_id}"


def render_stream(stream, context) -> str:
    """Render ``stream`` (a StreamValue) as ``{% include_block %}`` would, one block at a time.

    Each block gets the template context plus ``block_first`` (True for the first block: it may
    use an h1 and an eagerly loaded image). Cacheable blocks come from / go to the cache (see
    the module docstring). Returns safe HTML.
    """
    if not stream:
        return ""
    base = context.flatten()
    if not hasattr(stream, "raw_data"):  # a plain list of bound blocks: nothing to key on
        return mark_safe(
            "".join(
                str(child.render_as_block(context={**base, "block_first": i == 0})) for i, child in enumerate(stream)
            )
        )
    page_key = _page_key(context)
    request = context.get("request")
    st = page_cache.state(request)
    raw = stream.raw_data  # type and id without converting values (which may query)
    child_blocks = stream.stream_block.child_blocks
    keys = {}
    if page_key is not None:
        for index in range(len(raw)):
            item = raw[index]
            block = child_blocks.get(item.get("type"))
            if item.get("id") and block is not None and is_cacheable(item["type"], block):
                keys[index] = f"base:block:{page_key}:{item['id']}:{int(index == 0)}"
    cached = cache.get_many(list(keys.values())) if keys else {}
    parts, fresh = [], {}
    for index in range(len(raw)):
        key = keys.get(index)
        entry = cached.get(key) if key else None
        if entry is not None:
            html, tags, until = entry
            page_cache.depends_on(request, *tags)
            page_cache.expires_at(request, until)
        else:
            before_tags, before_until = (set(st.tags), st.until) if st else (set(), None)
            if st is not None:
                st.until = None
            html = str(stream[index].render_as_block(context={**base, "block_first": index == 0}))
            if st is not None:
                block_tags, block_until = sorted(st.tags - before_tags), st.until
                st.tags |= before_tags
                page_cache.expires_at(request, before_until)
            else:
                block_tags, block_until = [], None
            if key:
                fresh[key] = (html, block_tags, block_until)
        parts.append(html)
    if fresh:
        by_ttl = {}
        for key, entry in fresh.items():
            ttl = cache_seconds() if entry[2] is None else max(0, min(cache_seconds(), int(entry[2] - time.time())))
            if ttl:
                by_ttl.setdefault(ttl, {})[key] = entry
        for ttl, entries in by_ttl.items():
            cache.set_many(entries, ttl)
    return mark_safe("".join(parts))


def connect_signals():
    """Connect :func:`bump` to the site-wide changes in :data:`WATCHED_MODELS` (called once, in
    ready()); page publishing is purged precisely by :mod:`base.purge`."""
    for label in WATCHED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(bump, sender=model, dispatch_uid=f"home-blocks-save-{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"home-blocks-del-{label}")
