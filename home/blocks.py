"""Blocks of the top layer: the "offer banner" places an OfferPage's promotion on any page.

It lives in ``home`` because it chooses a ``home.OfferPage``.
"""

from wagtail import blocks


class OfferBannerValue(blocks.StructValue):
    """Adds what the template shows: the live offer, its label and code, the page link."""

    @property
    def offer_page(self):
        page = self.get("page")
        return page.specific if page else None

    @property
    def offer(self):
        page = self.offer_page
        offer = getattr(page, "offer", None)
        return offer if offer is not None and offer.is_current() else None

    @property
    def display_headline(self):
        page = self.offer_page
        return self.get("headline") or (getattr(page, "hero_title", "") or getattr(page, "title", ""))

    @property
    def label(self):
        offer = self.offer
        return offer.describe() if offer else ""


class OfferBannerBlock(blocks.StructBlock):
    """A coloured band: headline, short text, the offer (e.g. "10% off · code SPRING10") and a link.

    Shows nothing when the offer page's offer is inactive or outside its validity window, so an
    expired promotion disappears from every page by itself.
    """

    page = blocks.PageChooserBlock(
        page_type="home.OfferPage",
        required=False,
        help_text="The offer page to promote. Nothing is shown until one is chosen and its offer runs.",
    )
    headline = blocks.CharBlock(required=False, max_length=80, help_text="Defaults to the offer page's hero title.")
    text = blocks.CharBlock(required=False, max_length=160)
    button_label = blocks.CharBlock(required=False, max_length=40, default="See the offer")
    style = blocks.ChoiceBlock(choices=[("raspberry", "Raspberry"), ("butter", "Butter")], default="raspberry")

    class Meta:
        icon = "tag"
        label = "Offer banner"
        template = "blocks/offer_banner.html"
        value_class = OfferBannerValue
