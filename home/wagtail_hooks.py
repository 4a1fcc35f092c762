"""Wagtail admin hooks of home."""

from home import wagtail_hooks_marketing  # noqa: F401  (subscribers, testimonials)
