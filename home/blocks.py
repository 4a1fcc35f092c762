"""StreamField blocks shared by every page type (content blocks only; no commerce here).

``BasicStreamBlock`` is the body used by shop and learning pages (product descriptions,
course descriptions). Home's own page types use ``home.streams.PageStreamBlock``, which adds
the blocks that place products, courses, teachers, offers, testimonials and the newsletter.
"""

from wagtail import blocks


class BasicStreamBlock(blocks.StreamBlock):
    """Content blocks any page may use (filled in by the foundation issue)."""

    paragraph = blocks.RichTextBlock(template="blocks/paragraph.html")
