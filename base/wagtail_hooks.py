"""base in the Wagtail admin: Emails (the outbox), Needs attention (listing + dashboard panel)."""

from wagtail import hooks

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
