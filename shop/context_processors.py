"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from base import page_cache
from shop.cart import cart_summary

#: What the header shows on a shared page: its visitors have no session, hence no cart.
EMPTY_SUMMARY = {"count": 0, "total_display": ""}


def cart(request):
    """``cart_summary``: the header's cart ``count`` and ``total_display`` (lazy; ≤ 2 queries when used).

    On pages the full-page cache may share (:func:`base.page_cache.shared`) it is the empty
    cart without touching the session; ``static/js/site.js`` fills in the visitor's own from
    ``/shop/visitor/``. See :func:`shop.cart.cart_summary`.
    """
    if page_cache.shared(request):
        return {"cart_summary": EMPTY_SUMMARY}
    return {"cart_summary": SimpleLazyObject(lambda: cart_summary(request))}
