"""Marketing StreamField blocks: newsletter signup and approved testimonials.

No model imports at module level (the blocks are imported by home.streams, which page models
import); querysets are built inside ``get_context``.
"""

import uuid

from django.db.models import Q
from wagtail import blocks

from marketing.models import Testimonial


class NewsletterSignupBlock(blocks.StructBlock):
    """A newsletter signup band (same form as the footer; posts to /newsletter/signup/)."""

    heading = blocks.CharBlock(max_length=120, default="Sweet news, once a month")
    text = blocks.TextBlock(
        required=False,
        max_length=300,
        default="New recipes, class dates and members-only offers. No spam, unsubscribe any time.",
    )
    button_label = blocks.CharBlock(max_length=40, default="Subscribe")
    style = blocks.ChoiceBlock(choices=[("raspberry", "Raspberry"), ("butter", "Butter")], default="raspberry")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["block_uid"] = uuid.uuid4().hex[:8]  # unique ids when a page has several forms
        return context

    class Meta:
        icon = "mail"
        template = "blocks/newsletter_signup.html"
        label = "Newsletter signup"


class TestimonialsBlock(blocks.StructBlock):
    """Approved testimonials, newest first; optionally only those about one page."""

    heading = blocks.CharBlock(required=False, max_length=120, default="What our customers say")
    # No page_type restriction: resolving shop/learning models here would tie migrations of
    # every page using this block to those apps. A page with no testimonials shows nothing.
    about = blocks.PageChooserBlock(
        required=False, help_text="Only testimonials about this course, teacher or product (leave empty for all)."
    )
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)
    min_rating = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=5,
        help_text="Hide testimonials rated below this (unrated ones are kept).",
    )
    show_submit_link = blocks.BooleanBlock(required=False, default=True, label="Show “share your experience” link")

    class Meta:
        icon = "openquote"
        template = "blocks/testimonials.html"
        label = "Testimonials"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        qs = Testimonial.objects.approved().select_related("page").order_by("-created_at")
        if value.get("about"):
            qs = qs.filter(page_id=value["about"].pk)
        if value.get("min_rating"):
            qs = qs.filter(Q(rating__isnull=True) | Q(rating__gte=value["min_rating"]))
        testimonials = list(qs[: value.get("count") or 3])
        request = (parent_context or {}).get("request")
        for testimonial in testimonials:  # URLs from the request's cached site root paths
            testimonial.about_url = testimonial.page.get_url(request) if testimonial.page else ""
        context["testimonials"] = testimonials
        context["block_uid"] = uuid.uuid4().hex[:8]
        return context
