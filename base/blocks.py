"""StreamField blocks shared by every page type (content blocks only; no commerce here).

``BasicStreamBlock`` is the body used by shop and learning pages (product descriptions,
course descriptions). Home's own page types use ``home.streams.PageStreamBlock``, which adds
the blocks that place products, courses, teachers, offers, testimonials and the newsletter.

Each block renders with a template under ``templates/blocks/``; images go through Wagtail
renditions (``{% picture %}``: WebP with a JPEG fallback, ``srcset``, width/height, lazy
loading). This module imports no models at module level so any app can import it.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock


class LinkStructValue(blocks.StructValue):
    """A link's value: ``url`` is the chosen page's URL or the typed URL, whichever is set."""

    @property
    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("link_url") or ""

    @property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else "")


class LinkBlock(blocks.StructBlock):
    """A link to an internal page *or* an external URL (exactly one), with an optional label.

    Raises ``StructBlockValidationError`` when both or neither target is given.
    """

    label = blocks.CharBlock(required=False, max_length=80, help_text="Defaults to the page title.")
    page = blocks.PageChooserBlock(required=False)
    link_url = blocks.URLBlock(required=False, label="or URL")

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        form_classname = "struct-block link-block"
        optional = False  # LinkBlock(optional=True): all three fields may be left empty

    def clean(self, value):
        value = super().clean(value)
        if self.meta.optional and not (value.get("page") or value.get("link_url") or value.get("label")):
            return value
        if bool(value.get("page")) == bool(value.get("link_url")):
            message = "Choose a page or enter a URL (one of the two)."
            raise StructBlockValidationError(block_errors={"page": ErrorList([ValidationError(message)])})
        if not value.get("page") and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={"label": ErrorList([ValidationError("A link to a URL needs a label.")])}
            )
        return value


class HeadingBlock(blocks.StructBlock):
    """A section heading (h2–h4; the page title is the only h1)."""

    text = blocks.CharBlock(required=False, max_length=120, help_text="Nothing is shown while this is empty.")
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    """One image with alt text (Wagtail's ImageBlock: alt text or "decorative") and a caption.

    Nothing is shown until an image is chosen.
    """

    image = ImageBlock(required=False)
    caption = blocks.CharBlock(required=False, max_length=250)
    width = blocks.ChoiceBlock(choices=[("content", "Text width"), ("wide", "Wide")], default="content", required=False)

    class Meta:
        icon = "image"
        template = "blocks/image.html"


class HeroBlock(blocks.StructBlock):
    """A large image with a heading, text and a call-to-action button.

    Without an image the heading and text sit on a coloured band; with neither image nor
    heading nothing is shown.
    """

    image = ImageChooserBlock(required=False)
    heading = blocks.CharBlock(required=False, max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    link = LinkBlock(optional=True, label="Button")

    class Meta:
        icon = "pick"
        template = "blocks/hero.html"


class CallToActionBlock(blocks.StructBlock):
    """A highlighted band: heading, short text and one button (internal page or URL).

    Nothing is shown while the heading is empty; the button only when it has a target.
    """

    heading = blocks.CharBlock(required=False, max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    link = LinkBlock(optional=True, label="Button")
    style = blocks.ChoiceBlock(
        choices=[("raspberry", "Raspberry"), ("butter", "Butter"), ("pistachio", "Pistachio")],
        default="raspberry",
    )

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action.html"


class CardBlock(blocks.StructBlock):
    """One card: a page of the site, with an optional title, text and picture."""

    page = blocks.PageChooserBlock()
    title = blocks.CharBlock(required=False, max_length=80, help_text="Defaults to the page title.")
    text = blocks.TextBlock(required=False, max_length=240)
    image = ImageChooserBlock(required=False)

    class Meta:
        icon = "doc-full"


class CardGridBlock(blocks.StructBlock):
    """A grid of cards, each linking to a page of the site (nothing is shown without cards)."""

    heading = blocks.CharBlock(required=False, max_length=120)
    cards = blocks.ListBlock(CardBlock(), default=[], help_text="Add a card per page to link to.")

    class Meta:
        icon = "table"
        template = "blocks/card_grid.html"


class QuoteBlock(blocks.StructBlock):
    """A pull quote with its attribution (nothing is shown while the quote is empty)."""

    quote = blocks.TextBlock(required=False, max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class FAQItemBlock(blocks.StructBlock):
    """One question and its answer."""

    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])


class FAQBlock(blocks.StructBlock):
    """Questions and answers, rendered as disclosure widgets (``<details>``) and as FAQPage
    structured data; nothing is shown without questions."""

    heading = blocks.CharBlock(required=False, max_length=120, default="Frequently asked questions")
    items = blocks.ListBlock(FAQItemBlock(), default=[], label="Questions", help_text="Add one per question.")

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "blocks/faq.html"


class VideoBlock(blocks.StructBlock):
    """An embedded video (YouTube, Vimeo… through Wagtail's oEmbed finders)."""

    video = EmbedBlock(required=False, help_text="A YouTube or Vimeo URL. Nothing is shown while empty.")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/video.html"


class GalleryBlock(blocks.StructBlock):
    """A grid of pictures with captions (nothing is shown without pictures)."""

    heading = blocks.CharBlock(required=False, max_length=120)
    images = blocks.ListBlock(ImageWithCaptionBlock(), default=[], help_text="Two or more pictures look best.")

    class Meta:
        icon = "image"
        template = "blocks/gallery.html"


DAYS = [
    ("Mo", "Monday"),
    ("Tu", "Tuesday"),
    ("We", "Wednesday"),
    ("Th", "Thursday"),
    ("Fr", "Friday"),
    ("Sa", "Saturday"),
    ("Su", "Sunday"),
]


class OpeningHoursRowBlock(blocks.StructBlock):
    """One day's hours; ``closed`` wins over times. Day codes are schema.org's (Mo…Su)."""

    day = blocks.ChoiceBlock(choices=DAYS)
    opens = blocks.TimeBlock(required=False)
    closes = blocks.TimeBlock(required=False)
    closed = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "time"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("closed") and not (value.get("opens") and value.get("closes")):
            raise StructBlockValidationError(
                block_errors={"opens": ErrorList([ValidationError("Give opening and closing times, or tick closed.")])}
            )
        return value


class OpeningHoursBlock(blocks.StructBlock):
    """The week's opening hours. Leave the rows empty to show the shop's hours from Site settings."""

    heading = blocks.CharBlock(required=False, max_length=120, default="Opening hours")
    rows = blocks.ListBlock(
        OpeningHoursRowBlock(), default=[], required=False, help_text="Leave empty to show the hours of Site settings."
    )
    note = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "time"
        template = "blocks/opening_hours.html"


SOCIAL_NETWORKS = [
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("pinterest", "Pinterest"),
    ("tiktok", "TikTok"),
    ("youtube", "YouTube"),
    ("mastodon", "Mastodon"),
    ("other", "Other"),
]


class SocialLinkValue(blocks.StructValue):
    @property
    def label(self):
        return dict(SOCIAL_NETWORKS).get(self.get("network"), "")


class SocialLinkBlock(blocks.StructBlock):
    """A social network profile (used by Site settings' footer)."""

    network = blocks.ChoiceBlock(choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock()

    class Meta:
        icon = "site"
        value_class = SocialLinkValue


class BasicStreamBlock(blocks.StreamBlock):
    """Content blocks any page may use."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        template="blocks/paragraph.html",
        features=["h2", "h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr"],
        icon="pilcrow",
    )
    image = ImageWithCaptionBlock()
    hero = HeroBlock()
    call_to_action = CallToActionBlock()
    card_grid = CardGridBlock()
    quote = QuoteBlock()
    faq = FAQBlock()
    video = VideoBlock()
    gallery = GalleryBlock()
    opening_hours = OpeningHoursBlock()
