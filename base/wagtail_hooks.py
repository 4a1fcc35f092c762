"""base in the Wagtail admin: Emails (the outbox), Needs attention (listing + dashboard panel);
and the full-page cache's hook on page serving."""

from wagtail import hooks

from base import page_cache
from base.admin_views import attention_viewset, outbox_viewset
from base.panels import NeedsAttentionPanel


@hooks.register("register_admin_viewset")
def register_outbox():
    return outbox_viewset


@hooks.register("register_admin_viewset")
def register_needs_attention():
    return attention_viewset


@hooks.register("construct_homepage_panels")
def add_needs_attention_panel(request, panels):
    if request.user.has_perm("base.view_needsattention") or request.user.has_perm("base.change_needsattention"):
        panels.insert(0, NeedsAttentionPanel())


@hooks.register("before_serve_page")
def mark_page_for_page_cache(page, request, serve_args, serve_kwargs):
    """Tell :mod:`base.page_cache` that a Wagtail page is being served (it may be stored)."""
    page_cache.mark_page(request, page)
