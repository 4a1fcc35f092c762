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

When the cache is emptied (:func:`bump` increments the *content version*, part of every key)
    Connected in :meth:`home.apps.HomeConfig.ready` via :func:`connect_signals`:
    - any page published, unpublished, moved or deleted (products, courses, offers... are pages);
    - :data:`shop.signals.order_paid` and :data:`shop.signals.order_refunded` (stock and seats),
      connected by the shop app itself (``base`` imports no other app);
    - ``post_save``/``post_delete`` of the models listed in :data:`WATCHED_MODELS` (stock holds
      and variants, bookings and sessions, offers, categories, testimonials, images, site
      settings) — looked up with ``apps.get_model`` strings, so ``home`` imports neither
      ``shop`` nor ``learning`` models; a model that does not exist is skipped.
    The bump happens at once and again when the surrounding transaction commits, so a page
    rendered between the change and the commit cannot keep stale HTML under the new version.
    Changes that send no signal (``QuerySet.update``, time passing: an offer expiring, a session
    starting) show after at most ``HOME_BLOCK_CACHE_SECONDS``.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "base:content:version"

#: Block types (names in ``PageStreamBlock``/``BasicStreamBlock``) always rendered live: they
#: hold a form with a CSRF token or content that depends on the visitor.
LIVE_BLOCK_TYPES = frozenset({"newsletter_signup"})

#: Models whose saves/deletes change what some block shows ("app_label.ModelName").
WATCHED_MODELS = (
    "shop.ProductVariant",
    "shop.StockHold",
    "shop.Category",
    "shop.Offer",
    "learning.Booking",
    "learning.CourseSession",
    "marketing.Testimonial",
    "base.SiteSettings",
    "wagtailimages.Image",
    "wagtailcore.Site",
    "wagtailcore.Page",
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
    """Forget every cached block (signal receiver; accepts and ignores any signal arguments)."""
    _incr()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_incr)


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
    return f"{getattr(site, 'pk', 0)}:{translation.get_language()}:{page.pk}:{page.live_revision_id}"


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
    raw = stream.raw_data  # type and id without converting values (which may query)
    child_blocks = stream.stream_block.child_blocks
    keys = {}
    if page_key is not None:
        version = content_version()
        for index in range(len(raw)):
            item = raw[index]
            block = child_blocks.get(item.get("type"))
            if item.get("id") and block is not None and is_cacheable(item["type"], block):
                keys[index] = f"base:block:{version}:{page_key}:{item['id']}:{int(index == 0)}"
    cached = cache.get_many(list(keys.values())) if keys else {}
    parts, fresh = [], {}
    for index in range(len(raw)):
        key = keys.get(index)
        html = cached.get(key) if key else None
        if html is None:
            html = stream[index].render_as_block(context={**base, "block_first": index == 0})
            if key:
                fresh[key] = str(html)
        parts.append(html)
    if fresh:
        cache.set_many(fresh, cache_seconds())
    return mark_safe("".join(str(p) for p in parts))


def connect_signals():
    """Connect :func:`bump` to every change that alters cached blocks (called once, in ready())."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"home-blocks-{signal!r}")
    for label in WATCHED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(bump, sender=model, dispatch_uid=f"home-blocks-save-{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"home-blocks-del-{label}")
