"""home's models, one module per concern; this package re-exports them for Django."""

from .pages import *  # noqa: F401,F403
from .settings import SiteSettings  # noqa: F401
from .blog import BlogIndexPage, BlogPage, BlogPageTag  # noqa: F401
from .contact import ContactFormField, ContactPage  # noqa: F401
from .newsletter import Subscriber  # noqa: F401
from .testimonials import Testimonial  # noqa: F401
