"""Full-page cache for anonymous GETs of Wagtail pages (and the Cache-Control they announce).

Who gets a shared copy
    A GET or HEAD of a path outside :data:`EXCLUDED_PREFIXES`, from a visitor without a session
    cookie and without a messages cookie (:func:`bypass_cookies`), is *eligible*. Such a visitor
    is anonymous with an empty cart and no pending message, so the page holds nothing of theirs:
    the header's cart count and "signed in" state come from ``/shop/visitor/`` (read by
    ``static/js/site.js``), forms get their CSRF token from the same endpoint
    (:func:`csrf_context` renders none), and messages are only rendered on non-eligible requests.
    Signed-in customers, carts (a session cookie), previews (admin URLs and ``is_preview``) and
    POSTs never read or fill an entry.

What is stored
    Only Wagtail page responses (the ``before_serve_page`` hook in ``base.wagtail_hooks`` marks
    them, unless the page has a view restriction or ``page_cache = False``): status 200, not
    streaming, no ``Set-Cookie``, no ``private``/``no-cache``/``no-store``. The entry (status,
    headers, body as sent after GZip) is kept under ``pc:e:<host + full path>:<gzip?>`` for
    ``PAGE_CACHE_SECONDS`` or less (:func:`expires_at`), stamped with the path's version
    (``pc:v:<path>``) and the site-wide content version (:data:`GLOBAL_VERSION_KEY`). A hit needs
    one cache round trip (``get_many``) and no query; a purge (:mod:`base.purge`) deletes the
    path's version, which makes every entry of that path (all query strings) stale at once.

Dependencies
    Code that shows another object's data on a page calls :func:`depends_on` (e.g. a product
    grid: ``page:<product id>``); the path is then listed under each tag (``pc:tag:<tag>``), and
    :func:`base.purge.purge_tags` finds the pages to purge. Time-based facts (a session starting,
    an offer ending) call :func:`expires_at` with the moment they change.

Headers (exactly what may be shared, and for how long)
    Stored and hit responses: ``Cache-Control: public, max-age=<PAGE_CACHE_BROWSER_SECONDS>,
    s-maxage=<ttl>`` and ``Vary: Cookie`` (a CDN must not give a session-cookie request the
    shared copy; the Varnish configuration in ``deploy/varnish.vcl`` passes those). Other page
    responses: ``Cache-Control: private, no-cache``. ``X-Page-Cache: hit|miss|skip|stale``
    tells which.

After a purge
    The first eligible request renders the page again (a lock, :data:`STALE_LOCK_SECONDS`);
    requests arriving meanwhile get the previous copy with ``Cache-Control: no-cache`` (so no
    CDN keeps it) and ``X-Page-Cache: stale``: a page purged twice a second by paid orders is
    rendered about twice a second, not by every worker at once. Add-to-cart and checkout check
    stock on the server, so a stale "in stock" for those milliseconds sells nothing that is gone.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

#: The site-wide content version (bumped by :func:`base.cache.bump` for site-wide changes).
GLOBAL_VERSION_KEY = "base:content:version"

#: Paths never looked up (admin and previews, accounts, files). Other non-page views (cart,
#: checkout, APIs) are never stored either: only Wagtail pages are (see :func:`mark_page`).
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/documents/", "/static/", "/media/")

#: The header telling whether the response came from the page cache.
STATUS_HEADER = "X-Page-Cache"

#: After a purge, the first request renders the page again while others get the old copy for
#: at most this long (a lock in the cache; deleted as soon as the new copy is stored).
STALE_LOCK_SECONDS = 10


def enabled() -> bool:
    """Setting ``PAGE_CACHE_SECONDS`` > 0 (default 3600) turns the full-page cache on."""
    return seconds() > 0


def seconds() -> int:
    """Longest lifetime of an entry, seconds (setting ``PAGE_CACHE_SECONDS``)."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 3600))


def browser_seconds() -> int:
    """``max-age`` for browsers on shared pages (setting ``PAGE_CACHE_BROWSER_SECONDS``, default 0)."""
    return int(getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 0))


def bypass_cookies() -> tuple[str, ...]:
    """Cookies that make a request private: the session (signed in, cart) and pending messages."""
    return (settings.SESSION_COOKIE_NAME, "messages")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def version_key(path: str) -> str:
    """Cache key of ``path``'s version (deleted by a purge)."""
    return f"pc:v:{_digest(path)}"


def tags_key(path: str) -> str:
    """Cache key of the set of tags ``path`` is registered under."""
    return f"pc:t:{_digest(path)}"


def tag_key(tag: str) -> str:
    """Cache key of the paths registered under ``tag`` (a dict path → True)."""
    return f"pc:tag:{tag}"


@dataclass
class PageCacheState:
    """What the middleware knows about the current request (``request.page_cache``)."""

    eligible: bool
    path: str
    version: str | None = None
    global_version: int | None = None
    known_tags: frozenset = frozenset()
    tags: set = field(default_factory=set)
    until: float | None = None  # epoch seconds: the entry must not outlive this
    page: object = None  # the Wagtail page being served, set by the before_serve_page hook
    cacheable_page: bool = False


def state(request) -> PageCacheState | None:
    """The request's :class:`PageCacheState`, or None (not a page-cache request)."""
    return getattr(request, "page_cache", None)


def depends_on(request, *tags: str) -> None:
    """Record that the page being rendered for ``request`` shows data tagged ``tags``
    (strings such as ``"page:42"`` or ``"type:shop.productpage"``). No-op without a request."""
    st = state(request) if request is not None else None
    if st is not None:
        st.tags.update(tags)


def expires_at(request, when: datetime | float | None) -> None:
    """Cap the lifetime of the page (and blocks) rendered for ``request`` at ``when``
    (an aware datetime or epoch seconds): the moment a time-based fact on it changes."""
    st = state(request) if request is not None else None
    if st is None or when is None:
        return
    ts = when.timestamp() if isinstance(when, datetime) else float(when)
    st.until = ts if st.until is None else min(st.until, ts)


def remaining(st: PageCacheState | None, default: int) -> int:
    """Seconds an entry rendered now may live: ``default`` capped by :func:`expires_at` (≥ 0)."""
    if st is None or st.until is None:
        return default
    return max(0, min(default, int(st.until - time.time())))


def csrf_context(request):
    """Context processor. On pages that may be shared: no CSRF token (``site.js`` adds the
    visitor's own, from ``/shop/visitor/``) and ``page_shared`` True (templates then leave out
    messages and anything else per visitor). Elsewhere Django's token and ``page_shared`` False."""
    if shared(request):
        return {"csrf_token": "", "page_shared": True}
    return {"page_shared": False}


def _public_headers(response, ttl: int) -> None:
    response["Cache-Control"] = f"public, max-age={min(browser_seconds(), ttl)}, s-maxage={ttl}"
    patch_vary_headers(response, ("Cookie",))


def _private_headers(response) -> None:
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie",))


class PageCacheMiddleware:
    """Serves and stores eligible page responses (see the module docstring).

    Sits right after WhiteNoise and before GZip, so an entry holds the compressed body and a
    hit does no compression, no session lookup and no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(EXCLUDED_PREFIXES):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        on = enabled()
        eligible = on and not any(name in request.COOKIES for name in bypass_cookies())
        gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        path = request.path
        entry_key = f"pc:e:{_digest(host + request.get_full_path())}:{int(gzip)}"
        keys = [version_key(path), GLOBAL_VERSION_KEY, tags_key(path)] + ([entry_key] if eligible else [])
        got = cache.get_many(keys)
        st = PageCacheState(
            eligible=eligible,
            path=path,
            version=got.get(version_key(path)),
            global_version=got.get(GLOBAL_VERSION_KEY),
            known_tags=got.get(tags_key(path)) or frozenset(),
        )
        request.page_cache = st
        entry = got.get(entry_key)
        lock = None
        if entry is not None:
            if st.version is not None and entry[0] == (st.version, st.global_version):
                return self._hit(request, entry)
            # Purged: one request renders the page again; meanwhile the others get the old copy
            # (never stored by a CDN: no-cache), so a busy page is not rendered by every worker.
            lock = f"pc:lock:{entry_key}"
            if not cache.add(lock, 1, STALE_LOCK_SECONDS):
                return self._hit(request, entry, stale=True)
        try:
            response = self.get_response(request)
            if st.page is None:  # not a Wagtail page: the view decides its own headers
                return response
            if request.method == "GET" and response.status_code == 200:
                self._register_tags(st)
            if on and st.cacheable_page and self._storable(request, st, response):
                self._store(st, response, entry_key)
            else:
                _private_headers(response)
                response[STATUS_HEADER] = "skip"
            return response
        finally:
            if lock is not None:
                cache.delete(lock)

    @staticmethod
    def _hit(request, entry, *, stale=False):
        (_versions, status, headers, content, until) = entry
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
        for name, value in headers:
            response[name] = value
        if stale:  # the page is being rendered again: nobody may keep this copy
            response["Cache-Control"] = "no-cache"
            patch_vary_headers(response, ("Cookie",))
            response[STATUS_HEADER] = "stale"
            return response
        ttl = max(0, int(until - time.time()))
        _public_headers(response, ttl)
        response[STATUS_HEADER] = "hit"
        return response

    @staticmethod
    def _storable(request, st, response) -> bool:
        control = response.get("Cache-Control", "")
        return (
            st.eligible
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(request, "is_preview", False)
            and not any(word in control for word in ("private", "no-cache", "no-store"))
        )

    @staticmethod
    def _store(st, response, entry_key) -> None:
        ttl = remaining(st, seconds())
        for source in _expiry_sources:
            ttl = min(ttl, source())
        if ttl <= 0 or st.version is None or st.global_version is None:
            _private_headers(response)
            response[STATUS_HEADER] = "skip"
            return
        _public_headers(response, ttl)
        response[STATUS_HEADER] = "miss"
        headers = [(k, v) for k, v in response.items() if k.lower() not in ("cache-control", STATUS_HEADER.lower())]
        versions = (st.version, st.global_version)
        entry = (versions, response.status_code, headers, response.content, time.time() + ttl)
        cache.set(entry_key, entry, ttl)

    @staticmethod
    def _register_tags(st) -> None:
        tags = frozenset(st.tags)
        if not tags or tags <= st.known_tags:
            return
        keys = {tag: tag_key(tag) for tag in tags}
        current = cache.get_many(list(keys.values()))
        updates = {}
        for key in keys.values():
            paths = current.get(key) or {}
            if st.path not in paths:
                updates[key] = {**paths, st.path: True}
        updates[tags_key(st.path)] = tags | st.known_tags
        cache.set_many(updates, None)


#: Callables returning the seconds until some site-wide time-based fact changes (e.g. the next
#: offer starting or ending); registered by apps in ``ready()`` with :func:`add_expiry_source`.
_expiry_sources: list = []


def add_expiry_source(source) -> None:
    """Register ``source()`` → int seconds: no stored page outlives it (an app's ``ready()``)."""
    if source not in _expiry_sources:
        _expiry_sources.append(source)


def mark_page(request, page) -> None:
    """Called for every Wagtail page served (``before_serve_page``): the response may be stored
    unless the page opts out (``page_cache = False``) or has a view restriction. Makes sure the
    path and the site have a version before anything is rendered (a purge after this point
    makes what is being rendered stale at once)."""
    st = state(request)
    if st is None:
        return
    st.page = page
    st.cacheable_page = getattr(page, "page_cache", True) and not page.get_view_restrictions().exists()
    if st.version is None:
        cache.add(version_key(st.path), uuid.uuid4().hex[:12], None)
    if st.global_version is None:
        cache.add(GLOBAL_VERSION_KEY, 1, None)
    if st.version is None or st.global_version is None:
        got = cache.get_many([version_key(st.path), GLOBAL_VERSION_KEY])
        st.version, st.global_version = got.get(version_key(st.path)), got.get(GLOBAL_VERSION_KEY)


def shared(request) -> bool:
    """Whether the page rendered for ``request`` may be stored and shared (no per-visitor data)."""
    st = state(request)
    return st is not None and st.eligible and st.cacheable_page
