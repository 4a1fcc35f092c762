"""The site search: one box over products, classes, teachers, blog posts and other pages.

Wagtail's search (database backend; PostgreSQL full-text search in production) over
``Page.objects.live().public()`` in the current site, minus pages past their expiry date.
A type filter narrows the results; promoted results (wagtail.contrib.search_promotions) come
first on page 1; each query is logged (in batches, ``search/log.py``) with its hit and its
result count for the admin's "Searches with no results" report. One search query gives every
hit's id and page type: the tabs' counts and the results page come from it, and the number of
SQL queries does not depend on how many results there are (one ``specific()`` query per page
type on the current results page).

Singular/plural fallback: PostgreSQL's full-text search stems words ("macarons" finds
"macaron"); the SQLite backend does not. When a query finds nothing, the search is run once
more in the other grammatical number (:func:`number_variant`: "macarons" → "macaron",
"gift boxes" → "gift box", "berries" → "berry", "tart" → "tarts") and, if that finds something, those
results are shown under a "Showing results for …" note. The log records what the visitor typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, Site
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH, normalise_query_string

from base import parsing
from search import log as search_log

PER_PAGE = 10


@dataclass(frozen=True)
class SearchType:
    """A tab of the type filter: ``key`` in the URL (?type=), ``label``, and the page models.

    ``models`` None means "every other page type" (pages not claimed by another tab).
    """

    key: str
    label: str
    singular: str
    models: tuple[str, ...] | None


SEARCH_TYPES = [
    SearchType("products", "Products", "Product", ("shop.ProductPage",)),
    SearchType("courses", "Classes", "Class", ("learning.CoursePage",)),
    SearchType("teachers", "Teachers", "Teacher", ("learning.TeacherPage",)),
    SearchType("blog", "Blog posts", "Blog post", ("home.BlogPage",)),
    SearchType("pages", "Pages", "Page", None),
]


def _models(labels) -> list:
    found = []
    for label in labels or ():
        try:
            found.append(apps.get_model(label))
        except LookupError:  # that app's page type is not there (yet)
            continue
    return found


def _claimed_models() -> list:
    return _models([label for t in SEARCH_TYPES if t.models for label in t.models])


def base_queryset(request):
    """Live, public, unexpired pages of the request's site (never drafts or private pages)."""
    site = Site.find_for_request(request)
    qs = Page.objects.live().public()
    if site is not None:
        qs = qs.descendant_of(site.root_page, inclusive=True)
    expired = list(Page.objects.filter(live=True, expire_at__lte=timezone.now()).values_list("pk", flat=True))
    if expired:
        qs = qs.exclude(pk__in=expired)
    return qs


def filter_by_type(qs, search_type: SearchType | None):
    if search_type is None:
        return qs
    if search_type.models is None:
        claimed = _claimed_models()
        return qs.not_type(*claimed) if claimed else qs
    models = _models(search_type.models)
    return qs.type(*models) if models else qs.none()


def _type_of(page) -> SearchType:
    label = page._meta.label
    for search_type in SEARCH_TYPES:
        if search_type.models and label in search_type.models:
            return search_type
    return SEARCH_TYPES[-1]


def _summary(page) -> str:
    for attr in ("search_result_summary", "search_description", "intro", "summary", "short_description"):
        text = getattr(page, attr, "")
        if text and isinstance(text, str):
            return text
    return ""


def _promotions(query_string: str) -> list:

    promos = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query_string))
        .select_related("page")
        .order_by("sort_order")
    )
    return [p for p in promos if p.page is None or (p.page.live and not p.page.expired)]


def browse_links(request) -> list[dict]:
    """Where to go when nothing matched: the shop, classes and blog index pages, if present."""
    links = []
    for model in _models(["shop.ProductIndexPage", "learning.CourseIndexPage", "home.BlogIndexPage"]):
        page = model.objects.live().public().first()
        if page is not None:
            links.append({"title": page.title, "url": page.get_url(request)})
    return links


def clean_query(raw: str) -> str:
    """Letters, digits, spaces and hyphens only (SKUs such as ``MAC-PIS-12`` survive).

    Full-text engines give quotes, brackets and operators a meaning (SQLite FTS5 raises a
    syntax error on a stray quote); visitors mean plain words.
    """
    return " ".join(re.sub(r"[^\w\s-]", " ", raw).split())[:MAX_QUERY_STRING_LENGTH]


_SIBILANT_PLURAL = re.compile(r"(?:x|z|ch|sh|ss)es$")


def _is_word(word: str) -> bool:
    """Letters only, 3 or more (SKUs such as ``MAC-PIS-12`` and short words are left alone)."""
    return len(word) >= 3 and word.isalpha()


def _singular(word: str) -> str:
    """The singular of a regular English/French plural, else ``word`` unchanged."""
    lower = word.lower()
    if not _is_word(word):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # berries → berry
    if _SIBILANT_PLURAL.search(lower):
        return word[:-2]  # boxes → box, peaches → peach
    if lower.endswith("eaux"):
        return word[:-1]  # gâteaux → gâteau
    if lower.endswith("s") and not lower.endswith("ss") and len(word) > 3:
        return word[:-1]  # macarons → macaron
    return word


def _plural(word: str) -> str:
    """``word`` + "s", unless it is not a plain word or already ends in s/x/z ("class", "choux")."""
    if not _is_word(word) or word.lower().endswith(("s", "x", "z")):
        return word
    return word + "s"


def number_variant(query: str) -> str:
    """``query`` in the other grammatical number: its plural-looking words made singular
    ("gift boxes" → "gift box"), or, when none looks plural, every word made plural
    ("lemon tart" → "lemons tarts"). Returns ``query`` itself when nothing changes.
    Used only when ``query`` found nothing.
    """
    words = query.split()
    singular = [_singular(word) for word in words]
    if singular != words:
        return " ".join(singular)
    return " ".join(_plural(word) for word in words)


def _tab_of_content_type() -> dict[int, str]:
    """Content type id → tab key, for the page types a tab claims (others are "pages")."""
    tab_of = {}
    for search_type in SEARCH_TYPES:
        for model in _models(search_type.models):
            tab_of[ContentType.objects.get_for_model(model).pk] = search_type.key
    return tab_of


def _hits(base, query_string: str) -> list[tuple[int, str]]:
    """Every hit as ``(page id, tab key)``, best first, from one search query (ids and content
    types only: the tabs' counts and the results page come from this one list)."""
    tab_of = _tab_of_content_type()
    found = base.only("id", "content_type_id").search(query_string)
    return [(page.pk, tab_of.get(page.content_type_id, "pages")) for page in found]


def _type_counts(hits) -> list[int]:
    """Number of hits per :data:`SEARCH_TYPES` tab (grouped in Python: no query)."""
    counts = dict.fromkeys((t.key for t in SEARCH_TYPES), 0)
    for _pk, key in hits:
        counts[key] += 1
    return [counts[t.key] for t in SEARCH_TYPES]


def search(request):
    """GET /search/?q=…&type=…&page=…: results, counts per type, promoted results."""
    shown_query = request.GET.get("q", "").strip()[:MAX_QUERY_STRING_LENGTH]
    query_string = clean_query(shown_query)
    type_key = parsing.choice(request.GET.get("type"), [t.key for t in SEARCH_TYPES], default="")
    search_type = next((t for t in SEARCH_TYPES if t.key == type_key), None)
    context = {
        "search_query": shown_query,
        "search_type": search_type,
        "search_types": SEARCH_TYPES,
        "results": [],
        "total": 0,
        "tabs": [],
        "promotions": [],
    }
    if not query_string:
        return render(request, "search/search.html", context)

    base = base_queryset(request)
    logged_query = query_string
    hits = _hits(base, query_string)
    if not hits:  # nothing: try the other grammatical number once (SQLite does not stem)
        variant = number_variant(query_string)
        variant_hits = _hits(base, variant) if variant != query_string else []
        if variant_hits:
            query_string, hits = variant, variant_hits
            context["searched_instead"] = variant
    counts = _type_counts(hits)
    # The tabs partition the pages (each tab's models, "pages" = every other type), so "All"
    # is their sum: no separate count query.
    total = sum(counts)
    tabs = [
        {
            "type": None,
            "label": "All",
            "count": total,
            "url": "?" + urlencode({"q": query_string}),
            "active": search_type is None,
        }
    ]
    for t, count in zip(SEARCH_TYPES, counts, strict=False):
        tabs.append(
            {
                "type": t,
                "label": t.label,
                "count": count,
                "active": t is search_type,
                "url": "?" + urlencode({"q": query_string, "type": t.key}),
            }
        )
    results = [pk for pk, key in hits if search_type is None or key == search_type.key]
    paginator = Paginator(results, PER_PAGE)
    try:
        page_obj = paginator.page(parsing.page_number(request.GET.get("page")))
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)

    # One query per page type on this results page, whatever the total number of results.
    ids = list(page_obj.object_list)
    specific = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific().defer_streamfields()}
    items = []
    for pk in ids:
        page = specific.get(pk)
        if page is None:
            continue
        t = _type_of(page)
        items.append(
            {
                "page": page,
                "url": page.get_url(request),
                "type_label": t.singular,
                "type_key": t.key,
                "summary": _summary(page),
            }
        )

    if page_obj.number == 1:
        search_log.record(logged_query, total)
        if search_type is None:
            context["promotions"] = _promotions(logged_query)
    if not items and not context["promotions"]:
        context["browse_links"] = browse_links(request)
    filter_params = {"q": query_string}
    if search_type:
        filter_params["type"] = search_type.key
    context.update(
        {
            "results": items,
            "page_obj": page_obj,
            "paginator": paginator,
            "tabs": tabs,
            "total": total,
            "count": paginator.count,
            "page_query": urlencode(filter_params),
        }
    )
    return render(request, "search/search.html", context)
