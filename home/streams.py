"""The full page body: content blocks plus the commerce and marketing blocks of other apps.

Only home's page types (and OfferPage) use this. Block modules imported here must not import
models at module level (page choosers take "app.Model" strings), so there is no import loop.
"""

from wagtail import blocks

from home.blocks import BasicStreamBlock


class PageStreamBlock(BasicStreamBlock):
    """Everything an editor can place on a home, landing, standard or blog page.

    Other apps add their blocks below, one line each, e.g.
    ``product_grid = shop_blocks.ProductGridBlock()``.
    """

    # -- shop blocks --
    # -- learning blocks --
    # -- marketing blocks (newsletter, testimonials) --
