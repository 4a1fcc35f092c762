"""Template tags for marketing: JSON-LD, testimonials on a page, the newsletter form.

``{% load marketing_tags %}`` then:

- ``{% structured_data %}``: every JSON-LD block for the current ``page`` (see home.seo).
- ``{% page_testimonials page as testimonials %}``: approved testimonials about a page.
- ``{% newsletter_form as form %}``: an unbound signup form (for the footer and the block).
"""

from django import template
from django.utils.html import format_html_join

from base import seo
from marketing import reviews
from marketing.views import NewsletterSignupForm

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_data(context, page=None):
    """Render ``<script type="application/ld+json">`` tags for ``page`` (default: context's page)."""
    page = page or context.get("page")
    if page is None or not hasattr(page, "specific"):
        return ""
    items = seo.structured_data_for(page, context.get("request"))
    return format_html_join(
        "\n", '<script type="application/ld+json">{}</script>', ((seo.to_json_ld(item),) for item in items)
    )


@register.simple_tag
def page_testimonials(page, limit=6):
    """Approved testimonials about ``page``, newest first (cached, see marketing.reviews)."""
    if page is None or not getattr(page, "pk", None):
        return []
    return reviews.page_testimonials(page.pk, limit)


@register.simple_tag
def newsletter_form():
    return NewsletterSignupForm()
