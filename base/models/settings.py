"""Site-wide settings editors change in the admin (Settings → Site settings).

Templates read them as ``settings.base.SiteSettings`` (Wagtail's settings context processor,
one query per request, cached on the request).
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from base.blocks import LinkBlock, OpeningHoursRowBlock, SocialLinkBlock


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The shop's identity and contact details shown in the header and footer.

    ``contact_email`` also receives contact-form submissions when a ContactPage has no
    "to address" of its own.
    """

    brand_name = models.CharField(max_length=80, default="Petit Four")
    tagline = models.CharField(max_length=160, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header; the brand name is used when empty.",
    )
    contact_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, help_text="Postal address, one line per row.")
    price_range = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown to search engines with the shop's details, e.g. “€€” or “€5–€60”.",
    )
    opening_hours = StreamField(
        [("day", OpeningHoursRowBlock())],
        blank=True,
        use_json_field=True,
        help_text="One row per day, Monday first.",
    )
    opening_hours_note = models.CharField(max_length=200, blank=True, help_text="E.g. holiday closures.")
    social_links = StreamField([("link", SocialLinkBlock())], blank=True, use_json_field=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, use_json_field=True)
    footer_text = models.CharField(max_length=250, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("brand_name"), FieldPanel("tagline"), FieldPanel("logo")], heading="Brand"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("phone"), FieldPanel("address"), FieldPanel("price_range")],
            heading="Contact",
        ),
        MultiFieldPanel([FieldPanel("opening_hours"), FieldPanel("opening_hours_note")], heading="Opening hours"),
        MultiFieldPanel(
            [FieldPanel("social_links"), FieldPanel("footer_links"), FieldPanel("footer_text")], heading="Footer"
        ),
    ]

    class Meta:
        verbose_name = "Site settings"

    @property
    def phone_href(self) -> str:
        """The phone number as a ``tel:`` URL (spaces and punctuation removed)."""
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]
