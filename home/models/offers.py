"""OfferPage: a landing page for one shop offer, with the full page body (``PageStreamBlock``).

It lives in ``home`` rather than ``shop.offers`` because its body may hold any app's blocks
(products, courses, teachers, testimonials): only the top layer may compose them all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField

from base.models.pages import BasePage
from home.streams import PageStreamBlock
from shop.catalogue.models import shop_config
from shop.models import Offer
from shop.money import Money


class OfferPage(BasePage):
    """A landing page for one offer: hero, terms, covered products/courses (StreamField body)."""

    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages")
    hero_title = models.CharField(max_length=120, blank=True, help_text=_("Defaults to the page title."))
    hero_text = models.CharField(max_length=255, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(PageStreamBlock(), blank=True, use_json_field=True)
    terms = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = BasePage.content_panels + [
        FieldPanel("offer"),
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")], heading=_("Hero")
        ),
        FieldPanel("body"),
        FieldPanel("terms"),
    ]
    parent_page_types = ["home.HomePage"]
    seo_description_sources = ["search_description", "hero_text"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("offer page")

    def get_context(self, request, *args, **kwargs):
        """Adds ``offer_live`` (usable now), ``offer_label`` ("10% off") and ``offer_minimum`` (formatted)."""
        context = super().get_context(request, *args, **kwargs)
        offer = self.offer
        context["offer_live"] = bool(offer and offer.is_current())
        context["offer_label"] = offer.describe() if offer else ""
        if offer and offer.minimum_order:
            context["offer_minimum"] = Money(offer.minimum_order, shop_config().currency).format()
        return context
