"""Checks JSON-LD objects against the properties Google's structured-data docs require.

https://developers.google.com/search/docs/appearance/structured-data/ — Product (name, and
offers with price+priceCurrency, or review, or aggregateRating), Course (name, description,
provider), Article/BlogPosting (headline), FAQPage (mainEntity Questions with acceptedAnswer
text), BreadcrumbList (itemListElement with position, name, item), Event (name, startDate,
location), Person and Organization (name).
"""

import json
import re

SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def blocks_in(html: str) -> list[dict]:
    """Every JSON-LD object in an HTML page (raises ValueError if one does not parse)."""
    found = []
    for raw in SCRIPT_RE.findall(html):
        data = json.loads(raw)
        found.extend(data if isinstance(data, list) else [data])
    return found


def _types(obj) -> set:
    t = obj.get("@type")
    return set(t) if isinstance(t, list) else {t}


def _offer_ok(offer) -> bool:
    if isinstance(offer, list):
        return bool(offer) and all(_offer_ok(o) for o in offer)
    if not isinstance(offer, dict):
        return False
    if "AggregateOffer" in _types(offer):
        return "lowPrice" in offer and bool(offer.get("priceCurrency"))
    return "price" in offer and bool(offer.get("priceCurrency"))


def problems(obj: dict) -> list[str]:
    """Missing required properties for ``obj``'s @type (empty list when fine)."""
    errors = []
    types = _types(obj)
    if "@context" not in obj:
        errors.append("@context missing")

    def need(*keys):
        for key in keys:
            if obj.get(key) in (None, "", [], {}):
                errors.append(f"{'/'.join(sorted(t for t in types if t))}: {key} missing")

    if "Product" in types:
        need("name")
        if not (_offer_ok(obj.get("offers")) or obj.get("review") or obj.get("aggregateRating")):
            errors.append("Product: offers.price/priceCurrency, review or aggregateRating required")
    if "Course" in types:
        need("name", "description", "provider")
        if isinstance(obj.get("provider"), dict) and not obj["provider"].get("name"):
            errors.append("Course: provider.name missing")
    if types & {"BlogPosting", "Article", "NewsArticle"}:
        need("headline")
    if "FAQPage" in types:
        need("mainEntity")
        for q in obj.get("mainEntity") or []:
            if "Question" not in _types(q) or not q.get("name") or not (q.get("acceptedAnswer") or {}).get("text"):
                errors.append("FAQPage: each mainEntity needs a Question name and acceptedAnswer.text")
    if "BreadcrumbList" in types:
        need("itemListElement")
        for i, item in enumerate(obj.get("itemListElement") or [], start=1):
            if item.get("position") != i or not item.get("name") or not item.get("item"):
                errors.append(f"BreadcrumbList: item {i} needs position/name/item")
    if "Event" in types:
        need("name", "startDate", "location")
    if types & {"Person", "Organization", "LocalBusiness", "Bakery", "Store"}:
        need("name")
    return errors
