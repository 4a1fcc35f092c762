"""Page types of the site. Every page type inherits :class:`BasePage` (SEO fields included)."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtailseo.models import SeoMixin

from home.streams import PageStreamBlock


class BasePage(SeoMixin, Page):
    """Abstract base for every page type: wagtail-seo fields and promote panels.

    Subclasses override :meth:`get_structured_data` to add JSON-LD objects of their own.
    """

    promote_panels = SeoMixin.seo_panels

    class Meta:
        abstract = True

    def get_structured_data(self, request=None) -> list[dict]:
        """Extra schema.org objects (dicts) rendered as JSON-LD on this page. Override to add."""
        return []


class HomePage(BasePage):
    """The site root: a hero and a StreamField body."""

    body = StreamField(PageStreamBlock(), blank=True, use_json_field=True)
    content_panels = BasePage.content_panels + [FieldPanel("body")]
    max_count = 1
