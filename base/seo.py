"""Search-engine plumbing: JSON-LD builders, the noindex middleware and its context processor.

JSON-LD follows Google's structured-data documentation
(https://developers.google.com/search/docs/appearance/structured-data/search-gallery):

- ``Organization`` from the wagtail-seo ``SeoSettings`` and ``home.SiteSettings`` (home page).
- ``BreadcrumbList`` on every page below the site's home page: ``itemListElement`` of
  ``ListItem`` with ``position``, ``name``, ``item`` (absolute URL).
- ``BlogPosting`` for pages whose wagtail-seo content type is "article" (``headline`` required).
- ``FAQPage`` when a page body holds FAQ blocks (any StructValue with ``question`` and
  ``answer``): ``mainEntity`` of ``Question`` with ``acceptedAnswer``/``Answer``.
- whatever the page's own ``get_structured_data(request)`` returns (Product, Course, Person...).

:func:`structured_data_for` collects them; ``{% structured_data %}`` (home/templatetags/seo_tags)
renders each as one ``<script type="application/ld+json">``.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.utils.safestring import mark_safe
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtailseo.models import SeoSettings, SeoType

from base.blocks import DAYS
from base.models.settings import SiteSettings

logger = logging.getLogger(__name__)

SCHEMA = "https://schema.org"
DAY_NAMES = dict(DAYS)  # "Mo" -> "Monday"

#: URL prefixes that are never indexed: robots.txt disallows them, responses carry
#: ``X-Robots-Tag`` and pages render ``<meta name="robots" content="noindex">``.
NOINDEX_PREFIXES = getattr(
    settings,
    "SEO_NOINDEX_PREFIXES",
    [
        "/admin/",
        "/shop/cart/",
        "/shop/checkout/",
        "/accounts/",
        "/shop/account/",
        "/shop/downloads/",
        "/shop/orders/",
        "/learning/bookings/",
        "/learning/teach/",
        "/testimonials/",
    ],
)


def is_noindex_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in NOINDEX_PREFIXES)


class NoIndexMiddleware:
    """Adds ``X-Robots-Tag: noindex, nofollow`` to responses under :data:`NOINDEX_PREFIXES`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_noindex_path(request.path) and "X-Robots-Tag" not in response:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def robots_context(request):
    """Context processor: ``robots_noindex`` is True on cart, checkout, account... pages."""
    return {"robots_noindex": is_noindex_path(getattr(request, "path", ""))}


# -- JSON-LD builders ------------------------------------------------------------------------


def _abs(url: str, request=None) -> str:
    """``url`` made absolute with the request's Site root URL (hostname and port from SITE_URL,
    see base.site_url), else with ``settings.SITE_URL``; absolute URLs are returned as they are."""
    if not url or url.startswith(("http://", "https://")):
        return url
    site = Site.find_for_request(request) if request is not None else None
    root = site.root_url if site is not None else settings.SITE_URL
    return root.rstrip("/") + url


def page_url(page, request=None) -> str:
    """Absolute URL of ``page`` from its Site's hostname (the same URL as the canonical link)."""
    return _abs(page.get_full_url(request=request) or "", request)


def _seo_and_brand(page, request=None):
    """(SeoSettings, SiteSettings, Site) of the page's site; both settings cached on the request."""
    site = _site(page, request)
    if request is not None:  # both cached on the request (shared with the templates' settings)
        return SeoSettings.for_request(request), SiteSettings.for_request(request), site
    if site is None:
        return None, None, None
    return SeoSettings.for_site(site), SiteSettings.for_site(site), site


def image_url(image, spec: str, request=None) -> str:
    """Absolute URL of ``image``'s rendition ``spec`` ("" without an image)."""
    return _abs(image.get_rendition(spec).url, request) if image is not None else ""


def home_url(page, request=None) -> str:
    """Absolute URL of the home page of ``page``'s site (the organisation's ``url``)."""
    site = _site(page, request)
    return (site.root_url if site is not None else settings.SITE_URL).rstrip("/") + "/"


def publisher(page, request=None) -> dict:
    """A short ``Organization`` (name, url, logo when set) for ``provider``, ``brand``,
    ``worksFor`` and ``publisher`` properties."""
    seo, brand, site = _seo_and_brand(page, request)
    data = {
        "@type": "Organization",
        "name": (seo and seo.struct_org_name) or (brand and brand.brand_name) or (site and site.site_name) or "",
        "url": home_url(page, request),
    }
    logo = (seo and seo.struct_org_logo) or (brand and brand.logo)
    if logo is not None:
        data["logo"] = image_url(logo, "original", request)
    return data


def opening_hours_specification(rows) -> list[dict]:
    """schema.org ``OpeningHoursSpecification`` for each open day of Site settings' hours (rows of
    ``OpeningHoursRowBlock``: day code Mo…Su, opens, closes, closed)."""
    specs = []
    for row in rows or []:
        value = row.value
        if value.get("closed") or not (value.get("opens") and value.get("closes")):
            continue
        specs.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": "https://schema.org/" + DAY_NAMES[value["day"]],
                "opens": value["opens"].strftime("%H:%M"),
                "closes": value["closes"].strftime("%H:%M"),
            }
        )
    return specs


def organization(page, request=None) -> dict:
    """The business (SeoSettings' type, e.g. ``Bakery``) from wagtail-seo and Site settings.

    Google's LocalBusiness guide (developers.google.com/search/docs/appearance/structured-data/
    local-business): name, address (PostalAddress), url, telephone, image, logo, geo
    (GeoCoordinates), priceRange, openingHoursSpecification (from Site settings' hours).
    """
    seo, brand, site = _seo_and_brand(page, request)
    data = {
        "@context": SCHEMA,
        "@type": (seo.struct_org_type if seo and seo.struct_org_type else "Organization"),
        **{k: v for k, v in publisher(page, request).items() if k != "@type"},
    }
    image = (seo and seo.struct_org_image) or (seo and seo.og_image_default)
    if image is not None:
        data["image"] = [image_url(image, "fill-1200x900-c100|format-jpeg", request)]
    phone = (seo and seo.struct_org_phone) or (brand and brand.phone)
    if phone:
        data["telephone"] = phone
    if brand and brand.contact_email:
        data["email"] = brand.contact_email
    if seo and seo.struct_org_address_street:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": seo.struct_org_address_street,
            "addressLocality": seo.struct_org_address_locality,
            "postalCode": seo.struct_org_address_postal,
            "addressCountry": seo.struct_org_address_country,
        }
        if seo.struct_org_address_region:
            data["address"]["addressRegion"] = seo.struct_org_address_region
    if seo and seo.struct_org_geo_lat is not None and seo.struct_org_geo_lng is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(seo.struct_org_geo_lat),
            "longitude": float(seo.struct_org_geo_lng),
        }
    if brand and brand.price_range:
        data["priceRange"] = brand.price_range
    hours = opening_hours_specification(brand.opening_hours if brand else [])
    if hours:
        data["openingHoursSpecification"] = hours
    same_as = [link.value.get("url") for link in (brand.social_links if brand else []) if link.value.get("url")]
    if same_as:
        data["sameAs"] = same_as
    return data


def breadcrumbs(page, request=None) -> dict | None:
    """``BreadcrumbList`` from the site's home page down to ``page``; None on the home page."""
    home_depth = _home_depth(page, request)
    if page.depth <= home_depth:
        return None
    if hasattr(page, "breadcrumb_ancestors"):  # BasePage caches this (shared with the visible trail)
        ancestors = [a for a in page.breadcrumb_ancestors if a.depth >= home_depth] + [page]
    else:
        ancestors = list(page.get_ancestors(inclusive=True).filter(depth__gte=home_depth))
    items = []
    for position, ancestor in enumerate(ancestors, start=1):
        items.append(
            {"@type": "ListItem", "position": position, "name": ancestor.title, "item": page_url(ancestor, request)}
        )
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": items}


def blog_posting(page, request=None) -> dict:
    """``BlogPosting`` for an article page (Google's Article guide: headline ≤110 chars, image in
    1:1, 4:3 and 16:9, datePublished, dateModified, author with name and url, publisher).

    ``author.url`` is the page's ``author_url(request)`` when it has one (the author's page),
    else the site's home page."""
    data = {
        "@context": SCHEMA,
        "@type": "BlogPosting",
        "headline": page.title[:110],
        "url": page_url(page, request),
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url(page, request)},
    }
    description = getattr(page, "seo_description", "") or page.search_description
    if description:
        data["description"] = description
    published = getattr(page, "seo_published_at", None) or page.first_published_at
    if published:
        data["datePublished"] = published.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    author = getattr(page, "author_name", "") or getattr(page, "seo_author", "")
    author_url = page.author_url(request) if hasattr(page, "author_url") else ""
    if author:
        data["author"] = {"@type": "Person", "name": author, "url": author_url or home_url(page, request)}
    else:
        data["author"] = publisher(page, request)
    data["publisher"] = publisher(page, request)
    image = getattr(page, "seo_image", None)
    if image is not None:
        data["image"] = [
            image_url(image, spec, request)
            for spec in (
                "fill-1200x1200-c100|format-jpeg",
                "fill-1200x900-c100|format-jpeg",
                "fill-1200x675|format-jpeg",
            )
        ]
    return data


_FAQ_CAPABLE: dict[int, bool] = {}


def _block_may_hold_faq(block) -> bool:
    """True if ``block`` (a block definition) is or contains a struct with question + answer.

    Decided from the block definitions alone (memoised per block object), so blocks that can
    never hold an FAQ (cards, images, page choosers...) are not converted to Python values,
    which would cost their queries just to look for FAQs.
    """
    key = id(block)
    if key not in _FAQ_CAPABLE:
        _FAQ_CAPABLE[key] = True  # a recursive definition may hold one; also breaks cycles
        child_blocks = getattr(block, "child_blocks", None)
        if child_blocks is not None:  # StructBlock / StreamBlock
            found = {"question", "answer"} <= set(child_blocks) or any(
                _block_may_hold_faq(child) for child in child_blocks.values()
            )
        elif getattr(block, "child_block", None) is not None:  # ListBlock
            found = _block_may_hold_faq(block.child_block)
        else:
            found = False
        _FAQ_CAPABLE[key] = found
    return _FAQ_CAPABLE[key]


def _walk_faq_items(value):
    """Yield (question, answer) pairs from a StreamValue/ListValue/StructValue tree."""
    if isinstance(value, StreamValue):
        child_blocks = value.stream_block.child_blocks
        for index, raw in enumerate(value.raw_data):
            block = child_blocks.get(raw.get("type") if isinstance(raw, dict) else None)
            if block is not None and not _block_may_hold_faq(block):
                continue  # never holds an FAQ: do not convert (no queries)
            yield from _walk_faq_items(value[index].value)
    elif isinstance(value, ListValue) or isinstance(value, list):
        for child in value:
            yield from _walk_faq_items(getattr(child, "value", child))
    elif isinstance(value, StructValue):
        if "question" in value and "answer" in value:
            yield value.get("question"), value.get("answer")
        else:
            for child in value.values():
                yield from _walk_faq_items(child)


def faq_page(page) -> dict | None:
    """``FAQPage`` from every FAQ block in the page's StreamFields, or None when there are none."""
    questions = []
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            for question, answer in _walk_faq_items(getattr(page, field.name)):
                answer_text = str(answer or "").strip()
                if question and answer_text:
                    questions.append(
                        {
                            "@type": "Question",
                            "name": str(question),
                            "acceptedAnswer": {"@type": "Answer", "text": answer_text},
                        }
                    )
    if not questions:
        return None
    return {"@context": SCHEMA, "@type": "FAQPage", "mainEntity": questions}


def is_article(page) -> bool:

    return getattr(page, "seo_content_type", None) == SeoType.ARTICLE


def structured_data_for(page, request=None) -> list[dict]:
    """Every JSON-LD object for ``page``: its own, then Organization/Breadcrumb/Blog/FAQ.

    A type the page already returns (e.g. its own ``BlogPosting``) is not added twice. Errors
    in a builder are logged and skipped: structured data never breaks a page.
    """
    page = page.specific
    if request is not None and getattr(page, "_seo_request", None) is None:
        # BasePage's seo_* values then reuse the request's cached Site and SeoSettings (as
        # they do after Page.get_context); without it they look both up again.
        page._seo_request = request
    items: list[dict] = []
    try:
        items.extend(page.get_structured_data(request) or [])
    except Exception:
        logger.exception("get_structured_data failed for page %s", page.pk)
    own_types = {item.get("@type") for item in items}
    builders = [
        ("Organization", lambda: organization(page, request) if page.depth == _home_depth(page, request) else None),
        ("BreadcrumbList", lambda: breadcrumbs(page, request)),
        ("BlogPosting", lambda: blog_posting(page, request) if is_article(page) else None),
        ("FAQPage", lambda: faq_page(page)),
    ]
    for type_name, build in builders:
        if type_name in own_types:
            continue
        try:
            item = build()
        except Exception:
            logger.exception("%s structured data failed for page %s", type_name, page.pk)
            item = None
        if item:
            items.append(item)
    return items


def _site(page, request=None):
    """The page's Site: the request's (cached on it by Wagtail) when given, else a lookup."""
    if request is not None:
        site = Site.find_for_request(request)
        if site is not None:
            return site
    return page.get_site()


def _home_depth(page, request=None) -> int:
    """Tree depth of the home page of the site holding ``page`` (2 when it cannot be told).

    Read from the site root paths (``Site.get_site_root_paths()``: cached on the request by
    ``Page.get_url_parts`` and in Django's cache), so it costs no query on a warm request.
    """
    if request is not None and hasattr(page, "_get_relevant_site_root_paths"):
        root_paths = page._get_relevant_site_root_paths(request)
    else:
        root_paths = Site.get_site_root_paths()
    for root_path in root_paths:
        if page.path.startswith(root_path.root_path):
            return len(root_path.root_path) // Page.steplen
    return 2


def to_json_ld(data: dict) -> str:
    """Serialise for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)
