"""Template tags for the site chrome: main menu, breadcrumbs, opening-hours day names."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


def menu_pages(request):
    """Live, public pages with "show in menus" directly under the site's home page.

    Returns a list of ``Page`` objects (not specific; title and URL only). Computed once per
    request (memoised on the request) with two queries at most.
    """
    cached = getattr(request, "_main_menu_pages", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    pages = []
    if site is not None:
        pages = list(
            Page.objects.child_of(site.root_page).live().in_menu().public()
            .only("id", "title", "slug", "url_path", "path", "depth", "draft_title", "locale_id")
            .order_by("path")
        )
    request._main_menu_pages = pages
    return pages


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context, css_class="main-menu"):
    """The header's navigation: one link per menu page, the current section marked."""
    request = context.get("request")
    current = context.get("page")
    items = []
    for page in menu_pages(request) if request else []:
        active = bool(current and current.path.startswith(page.path))
        items.append({"title": page.title, "url": page.get_url(request), "active": active,
                      "current": bool(current and current.pk == page.pk)})
    return {"items": items, "css_class": css_class}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """A breadcrumb trail (home → … → current page) for pages below the home page."""
    page = page or context.get("page")
    request = context.get("request")
    if not page or page.depth <= 2:
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
    from home.blocks import DAYS

    return dict(DAYS).get(code, code)
