"""Page types of the site. Every page type inherits :class:`BasePage` (SEO fields included).

Tree rules (``parent_page_types``/``subpage_types``)::

    Root
    └── HomePage (one)
        ├── StandardPage ── StandardPage …   (About, FAQ, Delivery & returns, Terms, Privacy)
        ├── LandingPage                      (campaigns built from blocks only)
        ├── BlogIndexPage ── BlogPage …      (home.models.blog)
        ├── ContactPage                      (marketing.models.contact)
        └── shop / learning index pages      (their apps)
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from base import navigation
from base.models.pages import BasePage
from home.streams import PageStreamBlock


class HomePage(BasePage):
    """The site root: a hero (image, heading, text, one call to action) and a StreamField body."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_heading = models.CharField(max_length=120, blank=True, help_text="Defaults to the page title.")
    hero_text = models.TextField(max_length=400, blank=True)
    hero_cta_text = models.CharField("button text", max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="button links to page",
    )
    hero_cta_url = models.URLField("or button URL", blank=True)
    body = StreamField(PageStreamBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_cta_text"),
                FieldPanel("hero_cta_page"),
                FieldPanel("hero_cta_url"),
            ],
            heading="Hero",
        ),
        FieldPanel("body"),
    ]
    edit_handler = BasePage.tabbed(
        (
            "Hero",
            "The big picture and message at the top of the home page; the button goes to a page or a URL.",
            content_panels[:-1],
        ),
        ("Page body", "Blocks below the hero: products, classes, teachers, testimonials, text.", [FieldPanel("body")]),
    )
    search_fields = BasePage.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    # Other apps' index pages are listed by string; Wagtail resolves them lazily.
    subpage_types = [
        "home.StandardPage",
        "home.LandingPage",
        "home.BlogIndexPage",
        "marketing.ContactPage",
        "shop.ProductIndexPage",
        "home.OfferPage",
        "learning.CourseIndexPage",
        "learning.TeacherIndexPage",
    ]
    seo_image_sources = ["og_image", "hero_image"]
    seo_description_sources = ["search_description", "hero_text"]

    class Meta:
        verbose_name = "home page"

    @property
    def hero_cta_href(self) -> str:
        """The hero button's target: the chosen page's URL, else the typed URL, else ''."""
        if self.hero_cta_page_id:
            return navigation.page_url(self.hero_cta_page_id, lambda: self.hero_cta_page)
        return self.hero_cta_url


class LandingPage(BasePage):
    """A campaign page built only from blocks (e.g. "Wedding cakes", "Gift boxes")."""

    body = StreamField(PageStreamBlock(), use_json_field=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "landing page"

    @property
    def first_block_type(self) -> str:
        """The type name of the body's first block ("" when empty), read without loading values."""
        raw = self.body.raw_data
        return raw[0].get("type", "") if len(raw) else ""


class StandardPage(BasePage):
    """An information page: About, FAQ, Delivery & returns, Terms, Privacy."""

    intro = models.TextField(blank=True, max_length=500)
    body = StreamField(PageStreamBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    seo_description_sources = ["search_description", "intro"]

    class Meta:
        verbose_name = "standard page"
