"""Precise purges of the full-page cache (and of the CDN in front, through Wagtail's
``wagtail.contrib.frontend_cache``).

- :func:`purge_paths`: the given paths (every query string of each) — deletes each path's
  version (``base.page_cache.version_key``), which also retires its cached StreamField blocks
  (``base.cache`` keys blocks by it), then asks the CDN to purge the same URLs.
- :func:`purge_tags`: every path registered under the tags (``base.page_cache.depends_on``).
- :func:`purge_pages`: pages that changed: each page, its ancestors (their listings show it),
  the pages that reference it (Wagtail's ``ReferenceIndex``: choosers, links, rich text) and
  the pages tagged ``page:<id>`` or ``type:<app_label.model>`` (grids and blocks showing it).
- Site-wide changes (settings, images, menus) go through :func:`base.cache.bump`, which retires
  every entry at once and calls :func:`purge_cdn_everything`.

Connected in :meth:`base.apps.BaseConfig.ready` to page publish/unpublish/move/delete; ``shop``
and ``learning`` call :func:`purge_tags` from their own receivers (paid orders, holds, seats),
since ``base`` imports no other app. Cache deletions happen at once and again when the
surrounding transaction commits; CDN purges only after the commit (a network call never runs
while row locks are held) and go through Wagtail's purge task (django-tasks: the worker in
production).
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from base.page_cache import tag_key, tags_key, version_key

logger = logging.getLogger(__name__)


def cdn_configured() -> bool:
    """Whether a CDN/HTTP cache backend is configured (setting ``WAGTAILFRONTENDCACHE``)."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _on_commit_and_now(fn) -> None:
    fn()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(fn)


def _site_roots() -> list[str]:
    return [root_url for (_id, _path, root_url, _lang) in Site.get_site_root_paths() if root_url]


def purge_cdn(paths) -> None:
    """Ask the CDN to purge ``paths`` on every site's host (after commit; no-op without a CDN)."""
    paths = sorted(set(paths))
    if not paths or not cdn_configured():
        return
    urls = [root.rstrip("/") + path for root in _site_roots() for path in paths]

    def send():
        try:
            purge_urls_from_cache(urls)
        except Exception:  # a CDN outage must not break publishing; entries expire anyway
            logger.exception("CDN purge of %d URL(s) failed", len(urls))

    transaction.on_commit(send)


def purge_cdn_everything() -> None:
    """Ask the CDN to purge every live page's URL (site-wide changes; after commit)."""
    if not cdn_configured():
        return
    paths = set()
    for page in Page.objects.live().only("id", "url_path", "depth", "path"):
        parts = page.get_url_parts()
        if parts:
            paths.add(parts[2])
    purge_cdn(paths)


def purge_paths(paths) -> None:
    """Retire every cached copy of ``paths`` (URL paths such as ``/shop/macarons/``)."""
    paths = {p for p in paths if p}
    if not paths:
        return
    keys = [version_key(p) for p in paths] + [tags_key(p) for p in paths]
    _on_commit_and_now(lambda: cache.delete_many(keys))
    purge_cdn(paths)


def tagged_paths(tags) -> set[str]:
    """The paths registered under any of ``tags``."""
    found = cache.get_many([tag_key(t) for t in set(tags)])
    return {path for paths in found.values() for path in paths}


def purge_tags(tags) -> None:
    """Retire every page registered under ``tags`` (e.g. ``["page:42"]`` when product 42's stock
    changed). The tag lists are emptied; the pages register again when next rendered."""
    tags = set(tags)
    if not tags:
        return

    def run():
        paths = tagged_paths(tags)
        cache.delete_many([tag_key(t) for t in tags])
        if paths:
            cache.delete_many([version_key(p) for p in paths] + [tags_key(p) for p in paths])
        return paths

    paths = run()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(run)
    purge_cdn(paths)


def page_path(page) -> str | None:
    """The URL path of ``page`` on its site (``/shop/macarons/``), or None if it has none."""
    parts = page.get_url_parts()
    return parts[2] if parts else None


def referring_pages(objects) -> list[Page]:
    """Pages whose content references any of ``objects`` (Wagtail's ReferenceIndex)."""
    page_type = ContentType.objects.get_for_model(Page)
    refs = ReferenceIndex.get_references_to_in_bulk(list(objects)).filter(base_content_type=page_type)
    ids = {int(pk) for pk in refs.values_list("object_id", flat=True) if str(pk).isdigit()}
    return list(Page.objects.filter(pk__in=ids).only("id", "url_path", "depth", "path"))


def purge_pages(pages, *, old_paths=()) -> None:
    """Retire ``pages`` and everything that shows them (see the module docstring)."""
    pages = [p for p in pages if p is not None]
    if not pages:
        return
    paths = set(old_paths)
    tags = set()
    related = []
    for page in pages:
        paths.add(page_path(page))
        tags.add(f"page:{page.pk}")
        tags.add(f"type:{page.specific_class._meta.label_lower}" if page.specific_class else "")
        related.extend(page.get_ancestors().filter(depth__gt=1).only("id", "url_path", "depth", "path"))
    related.extend(referring_pages(pages))
    paths.update(page_path(p) for p in related)
    purge_paths(paths)
    purge_tags(t for t in tags if t)


def _page_changed(sender, instance, **kwargs):
    purge_pages([instance])


def _page_moved(sender, instance, url_path_before=None, **kwargs):
    old = []
    if url_path_before:
        for _root_id, root_path, _url, _lang in Site.get_site_root_paths():
            if url_path_before.startswith(root_path):
                old.append(url_path_before[len(root_path) - 1 :])
    purge_pages([instance], old_paths=old)


def _page_deleted(sender, instance, **kwargs):
    if getattr(instance, "live", False):
        purge_pages([instance])


def connect_signals() -> None:
    """Purge on page publish, unpublish, move and delete (called from ``BaseConfig.ready``)."""
    page_published.connect(_page_changed, dispatch_uid="base-purge-published")
    page_unpublished.connect(_page_changed, dispatch_uid="base-purge-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="base-purge-moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="base-purge-deleted")
