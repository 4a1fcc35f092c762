"""Template tags for offers and downloads.

``{% download_links order as links %}`` — the guest's signed download links of a paid order
(``[{"title", "url", "expires_at", "limit"}]``, see :func:`shop.entitlements.guest_links`);
used by ``emails/includes/download_links.html`` in the confirmation email.
"""

from django import template

from shop.entitlements import guest_links

register = template.Library()


@register.simple_tag(takes_context=True)
def download_links(context, order):
    """Signed, absolute download links for ``order``'s entitlements (empty list if none)."""
    if order is None or not getattr(order, "pk", None):
        return []
    return guest_links(order, context.get("request"))
