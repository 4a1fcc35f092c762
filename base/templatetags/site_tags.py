"""Template tags for the site chrome: main menu, breadcrumbs, opening-hours day names."""

from django import template
from wagtail.models import Site

from base import cache as block_cache
from base import navigation
from base.blocks import DAYS

register = template.Library()


@register.simple_tag(takes_context=True)
def render_stream(context, stream):
    """A page body, block by block, with cached HTML for cacheable blocks (see home.cache)."""
    return block_cache.render_stream(stream, context)


@register.simple_tag(takes_context=True)
def site_logo(context, site_settings, spec="height-80", css_class="brand__logo"):
    """The Site settings' logo as an ``<img>`` (rendition HTML cached, see home.navigation).

    Returns "" when there is no logo, so the template can fall back to the default mark.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None or not getattr(site_settings, "logo_id", None):
        return ""
    return navigation.logo_html(site, site_settings, spec, css_class)


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context, css_class="main-menu"):
    """The header's navigation: one link per menu page (cached, see home.navigation).

    The current page is the request's routed Wagtail page (:func:`base.navigation.routed_page`),
    never whatever a view put in the context as ``page``.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = navigation.routed_page(request)
    current_path = getattr(current, "path", None)
    if not isinstance(current_path, str):
        current_path = None
    items = []
    for item in navigation.menu_items(site) if site else []:
        items.append(
            {
                **item,
                "active": bool(current_path and current_path.startswith(item["path"])),
                "current": bool(current_path and current_path == item["path"]),
            }
        )
    return {"items": items, "css_class": css_class}


@register.simple_tag(takes_context=True)
def footer_links(context):
    """Site settings' footer links as ``[{"title", "url"}]`` (cached, see home.navigation)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return navigation.footer_links(site, context["settings"]["base"]["SiteSettings"])


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """A breadcrumb trail (home → … → current page) for pages below the home page.

    ``page`` is an explicit Wagtail page, else the request's routed page; nothing else in the
    context is taken for a page.
    """
    request = context.get("request")
    page = page or navigation.routed_page(request)
    if not page or not isinstance(getattr(page, "depth", None), int) or page.depth <= 2:
        return {"crumbs": []}
    ancestors = getattr(page, "breadcrumb_ancestors", None)
    if ancestors is None:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    crumbs = [{"title": p.title, "url": p.get_url(request)} for p in ancestors]
    crumbs.append({"title": page.title, "url": None})
    return {"crumbs": crumbs}


@register.filter
def day_name(code):
    """``"Mo"`` → ``"Monday"`` (schema.org day codes used by the opening-hours blocks)."""
    return dict(DAYS).get(code, code)
