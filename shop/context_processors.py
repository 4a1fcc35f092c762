"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from shop.cart import cart_summary


def cart(request):
    """``cart_summary``: the header's cart ``count`` and ``total_display`` (lazy; ≤ 2 queries when used).

    See :func:`shop.cart.cart_summary`.
    """

    return {"cart_summary": SimpleLazyObject(lambda: cart_summary(request))}
