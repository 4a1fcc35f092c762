"""The full page body: content blocks plus the commerce and marketing blocks of other apps.

Only home's page types (and OfferPage) use this. Block modules imported here must not import
models at module level (page choosers take "app.Model" strings), so there is no import loop.
"""

from base.blocks import BasicStreamBlock
from home import blocks as home_blocks
from learning import blocks as learning_blocks
from marketing import blocks as marketing_blocks
from shop.catalogue import blocks as shop_blocks


class PageStreamBlock(BasicStreamBlock):
    """Everything an editor can place on a home, landing, standard or blog page.

    Other apps add their blocks below, one line each, e.g.
    ``product_grid = shop_blocks.ProductGridBlock()``.
    """

    # -- shop blocks --
    product_grid = shop_blocks.ProductGridBlock()
    featured_product = shop_blocks.FeaturedProductBlock()
    offer_banner = home_blocks.OfferBannerBlock()
    # -- learning blocks --
    teachers = learning_blocks.TeachersBlock()
    upcoming_courses = learning_blocks.UpcomingCoursesBlock()
    # -- marketing blocks (newsletter, testimonials) --
    newsletter_signup = marketing_blocks.NewsletterSignupBlock()
    testimonials = marketing_blocks.TestimonialsBlock()
