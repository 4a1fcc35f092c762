"""home's models: the site's own page types (home, landing, standard, blog, offer pages)."""

from .blog import BlogIndexPage, BlogPage, BlogPageTag
from .offers import OfferPage
from .pages import HomePage, LandingPage, StandardPage

__all__ = ["BlogIndexPage", "BlogPage", "BlogPageTag", "HomePage", "LandingPage", "OfferPage", "StandardPage"]
