"""marketing's models: newsletter subscribers, testimonials and the contact form page."""

from .contact import ContactFormField, ContactPage
from .newsletter import Subscriber
from .testimonials import Testimonial

__all__ = ["ContactFormField", "ContactPage", "Subscriber", "Testimonial"]
