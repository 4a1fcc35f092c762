"""Checks JSON-LD objects against the properties Google's structured-data docs require and
recommend (https://developers.google.com/search/docs/appearance/structured-data/search-gallery).

:func:`problems` reports what is *required* for a rich result; :func:`missing_recommended`
what Google *recommends* on top (strict: the demo's pages must have both):

- Product (product-snippet, merchant-listing): name, image, description, brand, offers with
  price + priceCurrency + availability + shippingDetails + hasMerchantReturnPolicy; review or
  aggregateRating when present must be well formed.
- Course (course-info): name, description, provider with name and url, image, offers,
  hasCourseInstance (courseMode, startDate, location, instructor).
- CourseInstance as an Event (event): name, startDate, location, endDate, eventStatus,
  eventAttendanceMode, image, organizer, offers.
- BlogPosting (article): headline, image, datePublished, dateModified, author with name and url.
- BreadcrumbList (breadcrumb): itemListElement of ListItem with position, name, item.
- LocalBusiness / Bakery (local-business): name, address, url, telephone, image, logo, geo,
  priceRange, openingHoursSpecification.
- FAQPage (faqpage): mainEntity Questions with acceptedAnswer.text.
- Person (profile-page mainEntity): name, url, image, description.
"""

import json
import re

SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
LOCAL_BUSINESS = {"LocalBusiness", "Bakery", "Store", "FoodEstablishment"}


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


def _as_list(value) -> list:
    if value in (None, "", [], {}):
        return []
    return value if isinstance(value, list) else [value]


def _offer_ok(offer) -> bool:
    if isinstance(offer, list):
        return bool(offer) and all(_offer_ok(o) for o in offer)
    if not isinstance(offer, dict):
        return False
    if "AggregateOffer" in _types(offer):
        return "lowPrice" in offer and bool(offer.get("priceCurrency"))
    return "price" in offer and bool(offer.get("priceCurrency"))


def _rating_problems(obj) -> list[str]:
    errors = []
    rating = obj.get("aggregateRating")
    if rating is not None:
        if not rating.get("ratingValue") or not (rating.get("ratingCount") or rating.get("reviewCount")):
            errors.append("aggregateRating needs ratingValue and ratingCount")
    for review in _as_list(obj.get("review")):
        if not (review.get("author") or {}).get("name") or not (review.get("reviewRating") or {}).get("ratingValue"):
            errors.append("review needs author.name and reviewRating.ratingValue")
    return errors


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
        errors += _rating_problems(obj)
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
    if types & {"Event", "CourseInstance"}:
        need("startDate", "location")
    if types & ({"Person", "Organization"} | LOCAL_BUSINESS):
        need("name")
    if types & LOCAL_BUSINESS:
        need("address")
    return errors


def missing_recommended(obj: dict) -> list[str]:
    """Properties Google recommends for ``obj``'s @type that it lacks (see the module docstring)."""
    missing = []
    types = _types(obj)
    label = "/".join(sorted(t for t in types if t))

    def want(container, *keys, where=""):
        for key in keys:
            if not isinstance(container, dict) or container.get(key) in (None, "", [], {}):
                missing.append(f"{label}: {where}{key}")

    if "Product" in types:
        want(obj, "image", "description", "brand", "offers")
        for offer in _as_list(obj.get("offers")):
            want(offer, "availability", "url", "shippingDetails", "hasMerchantReturnPolicy", where="offers.")
            for shipping in _as_list(offer.get("shippingDetails")):
                want(shipping, "shippingRate", "shippingDestination", where="offers.shippingDetails.")
            want(offer.get("hasMerchantReturnPolicy"), "applicableCountry", "returnPolicyCategory", where="offers.")
    if "Course" in types:
        want(obj, "image", "offers", "hasCourseInstance")
        want(obj.get("provider"), "name", "url", where="provider.")
        for instance in _as_list(obj.get("hasCourseInstance")):
            missing += [f"CourseInstance: {m.split(': ', 1)[1]}" for m in missing_recommended(instance)]
    if types & {"CourseInstance", "Event"}:
        want(obj, "name", "startDate", "endDate", "location", "eventStatus", "eventAttendanceMode", "image")
        want(obj, "organizer")
        if "CourseInstance" in types:
            want(obj, "courseMode", "instructor")
            for person in _as_list(obj.get("instructor")):
                want(person, "name", "url", where="instructor.")
        location = obj.get("location") or {}
        if location.get("@type") == "Place":
            want(location, "name", "address", where="location.")
    if types & {"BlogPosting", "Article", "NewsArticle"}:
        want(obj, "image", "datePublished", "dateModified", "author")
        for author in _as_list(obj.get("author")):
            want(author, "name", "url", where="author.")
    if types & LOCAL_BUSINESS:
        want(obj, "url", "telephone", "image", "logo", "geo", "priceRange", "openingHoursSpecification")
        for spec in _as_list(obj.get("openingHoursSpecification")):
            want(spec, "dayOfWeek", "opens", "closes", where="openingHoursSpecification.")
        want(obj.get("geo"), "latitude", "longitude", where="geo.")
        want(obj.get("address"), "streetAddress", "addressLocality", "postalCode", "addressCountry", where="address.")
    if "Person" in types:
        want(obj, "url", "image", "description")
    if "BreadcrumbList" in types:
        for item in _as_list(obj.get("itemListElement")):
            if "ListItem" not in _types(item):
                missing.append("BreadcrumbList: itemListElement must be ListItem")
    return missing


URL_KEYS = {"url", "item", "logo", "image", "@id", "thumbnailUrl", "contentUrl"}


def urls_in(obj):
    """Every URL-valued property in a JSON-LD object (url, item, logo, image, @id...), recursively
    (``sameAs`` links point elsewhere and are left out)."""
    if isinstance(obj, list):
        for child in obj:
            yield from urls_in(child)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if key in URL_KEYS and isinstance(value, str):
                yield value
            elif key in URL_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            if isinstance(value, (dict, list)) and key != "sameAs":
                yield from urls_in(value)
