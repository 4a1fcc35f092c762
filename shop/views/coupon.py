"""The cart's "apply code" form: POST only, then back to the cart (works without JavaScript).

``POST /shop/cart/coupon/`` (``shop:cart_coupon``) with ``code=...`` validates the code against
the visitor's cart through :func:`shop.offers.apply_offers` (via :func:`shop.pricing.price_cart`)
and stores it in ``Cart.coupon_code`` only if it applies; otherwise the reason is shown and
nothing changes. ``action=remove`` clears the stored code.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base import parsing
from shop.cart import get_cart
from shop.offers.rules import normalise_code
from shop.pricing import price_cart

MAX_CODE_LENGTH = 50


def _back(request):
    return redirect(parsing.next_url(request, request.POST.get("next"), default=reverse("shop:cart")))


@require_POST
def cart_coupon(request):
    """Apply (``code``) or remove (``action=remove``) the cart's coupon code; redirect back."""
    cart = get_cart(request)
    if request.POST.get("action") == "remove":
        if cart is not None and cart.coupon_code:
            cart.coupon_code = ""
            cart.save(update_fields=["coupon_code"])
            messages.info(request, _("The code was removed."))
        return _back(request)

    code = normalise_code(parsing.text(request.POST.get("code"), default=""))
    if not code:
        messages.error(request, _("Please enter a code."))
        return _back(request)
    if len(code) > MAX_CODE_LENGTH:
        messages.error(request, _("We don't know this code. Please check the spelling."))
        return _back(request)
    if cart is None or not cart.lines.exists():
        messages.error(request, _("Add something to your cart before entering a code."))
        return _back(request)

    user = request.user if request.user.is_authenticated else None
    previous = cart.coupon_code
    cart.coupon_code = code
    priced = price_cart(cart, user=user, email=getattr(user, "email", None))
    if priced.code_error:
        cart.coupon_code = previous
        messages.error(request, priced.code_error)
        return _back(request)
    cart.coupon_code = code.upper()
    cart.save(update_fields=["coupon_code"])
    messages.success(request, _("Code %(code)s applied.") % {"code": cart.coupon_code})
    return _back(request)
