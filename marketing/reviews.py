"""Approved testimonials about a page, for its template and its structured data.

Both reads are cached per ``base.cache.content_version()``, which saving or deleting a
Testimonial bumps (``base.cache.WATCHED_MODELS``): one query each when cold, none when warm.
"""

from django.core.cache import cache
from django.db.models import Avg, Count

from base.cache import cache_seconds, content_version
from marketing.models.testimonials import Testimonial


def page_testimonials(page_pk: int, limit: int = 6) -> list[Testimonial]:
    """Approved testimonials about page ``page_pk``, newest first, at most ``limit``."""
    key = f"marketing:testimonials:{content_version()}:{page_pk}:{limit}"
    items = cache.get(key)
    if items is None:
        items = list(Testimonial.objects.approved().filter(page_id=page_pk).order_by("-created_at")[:limit])
        cache.set(key, items, cache_seconds())
    return items


def review_structured_data(page_pk: int, limit: int = 6) -> dict:
    """``aggregateRating`` and ``review`` (schema.org) from the approved testimonials about page
    ``page_pk`` that carry a rating (1–5); ``{}`` when none does.

    Google's review-snippet guide: ``AggregateRating`` needs ``ratingValue`` and ``ratingCount``
    (``bestRating`` 5, ``worstRating`` 1); each ``Review`` an ``author`` (Person name) and a
    ``reviewRating``. Unrated and unapproved testimonials never count.
    """
    key = f"marketing:ratings:{content_version()}:{page_pk}"
    summary = cache.get(key)
    if summary is None:
        rated = Testimonial.objects.approved().filter(page_id=page_pk, rating__isnull=False)
        summary = rated.aggregate(count=Count("pk"), average=Avg("rating"))
        cache.set(key, summary, cache_seconds())
    if not summary["count"]:
        return {}
    reviews = [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": t.author_name},
            "datePublished": t.created_at.date().isoformat(),
            "reviewBody": t.text,
            "reviewRating": {"@type": "Rating", "ratingValue": t.rating, "bestRating": 5, "worstRating": 1},
        }
        for t in page_testimonials(page_pk, limit)
        if t.rating
    ]
    data = {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": round(float(summary["average"]), 1),
            "ratingCount": summary["count"],
            "bestRating": 5,
            "worstRating": 1,
        }
    }
    if reviews:
        data["review"] = reviews
    return data
