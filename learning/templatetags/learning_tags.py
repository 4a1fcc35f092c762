"""``{% load learning_tags %}``: the site's time-zone name and booking status badges."""

from django import template
from django.conf import settings

register = template.Library()

STATUS_TONES = {
    "held": "muted",
    "paid": "warning",
    "confirmed": "success",
    "declined": "danger",
    "completed": "muted",
    "cancelled": "danger",
}


@register.simple_tag
def site_tz_name() -> str:
    """``Europe/Paris``: named next to every time shown, so nobody guesses the zone."""
    return settings.TIME_ZONE


@register.filter
def status_tone(status: str) -> str:
    """A CSS modifier for a booking status badge."""
    return STATUS_TONES.get(status, "muted")
