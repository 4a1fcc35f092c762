"""Cart views: show, add, change quantity, remove — with a plain POST + redirect, or fetch + JSON.

A request that sends ``Accept: application/json`` gets JSON ``{ok, message, cart: {count,
total}, html}`` (``html`` is the refreshed cart body when the request came from the cart page);
otherwise a redirect with a flash message. Views are thin: rules live in :mod:`shop.cart`.
"""

import logging

from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from base import parsing
from shop import cart as cart_service
from shop.catalogue.pages import ProductIndexPage
from shop.catalogue.purchasables import KIND as VARIANT
from shop.exceptions import CheckoutError, NotPurchasable
from shop.pricing import price_cart

logger = logging.getLogger(__name__)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request, default="shop:cart"):
    """Back to the form's ``next`` or the referring page when on this site, else ``default`` (a URL name)."""
    return redirect(
        parsing.next_url(request, request.POST.get("next"), request.headers.get("Referer"), default=reverse(default))
    )


def cart_context(request, cart=None):
    """Context for the cart page and its fetch-refreshed body: ``cart``, ``priced`` (CartPrice)."""
    cart = cart if cart is not None else cart_service.get_cart(request)
    priced = price_cart(cart, user=request.user, email=getattr(request.user, "email", None))
    return {"cart": cart, "priced": priced, "shop_url": shop_url(request)}


def shop_url(request) -> str:
    """The product listing's URL (for "continue shopping"), or ``/`` when there is none."""
    index = ProductIndexPage.objects.live().first()
    return (index.get_url(request) if index else "") or "/"


def _respond(request, ok: bool, message: str, status: int = 200, *, with_body: bool = False):
    """JSON for fetch, else flash ``message`` and redirect back."""
    if wants_json(request):
        summary = cart_service.cart_summary(request)
        data = {"ok": ok, "message": message, "cart": summary.as_json()}
        if with_body:
            data["html"] = render_to_string("shop/includes/cart_body.html", cart_context(request), request=request)
        return JsonResponse(data, status=status)
    (messages.success if ok else messages.error)(request, message)
    return _back(request)


@require_GET
def cart_detail(request):
    cart = cart_service.get_cart(request)
    for note in cart_service.clean_cart(cart):
        messages.warning(request, note)
    context = cart_context(request, cart)
    context["robots_noindex"] = True
    return render(request, "shop/cart.html", context)


@require_POST
def cart_add(request):
    """Add ``variant`` × ``quantity``. Only those two fields are read; prices posted are ignored."""
    variant_id = parsing.optional_id(request.POST.get("variant"))
    if variant_id is None:
        return _respond(request, False, _("Please choose an option."), 400)
    try:
        line, purchasable = cart_service.add_to_cart(
            request, VARIANT, str(variant_id), request.POST.get("quantity", "1")
        )
    except NotPurchasable as exc:
        return _respond(request, False, str(exc.user_message), 404)
    except CheckoutError as exc:
        logger.info("cart add refused: %s", exc)
        return _respond(request, False, str(exc.user_message), 400)
    message = _("Added %(title)s to your cart.") % {"title": purchasable.title}
    if wants_json(request):
        return _respond(request, True, message)
    messages.success(request, message)
    return redirect("shop:cart") if request.POST.get("go") == "cart" else _back(request)


@require_POST
def cart_line_update(request, line_id):
    cart = cart_service.get_cart(request)
    try:
        quantity = cart_service.parse_quantity(request.POST.get("quantity"))
        cart_service.set_line_quantity(cart, line_id, quantity)
    except LookupError:
        return _respond(request, False, _("That item is not in your cart any more."), 404, with_body=True)
    except NotPurchasable as exc:
        cart_service.clean_cart(cart)
        return _respond(request, False, str(exc.user_message), 400, with_body=True)
    except CheckoutError as exc:
        return _respond(request, False, str(exc.user_message), 400, with_body=True)
    return _respond(request, True, _("Cart updated."), with_body=True)


@require_POST
def cart_line_remove(request, line_id):
    cart = cart_service.get_cart(request)
    try:
        cart_service.remove_line(cart, line_id)
    except LookupError:
        return _respond(request, False, _("That item is not in your cart any more."), 404, with_body=True)
    return _respond(request, True, _("Item removed."), with_body=True)


@require_GET
def visitor(request):
    """What a shared (cached) page cannot hold, for ``static/js/site.js``: ``{"signed_in": bool,
    "cart": {"count", "total", "total_minor", "currency"}, "csrf": "<token>"}``. Never cached
    (``Cache-Control: private, no-store``); sets the CSRF cookie, never a session."""
    data = {
        "signed_in": request.user.is_authenticated,
        "cart": cart_service.cart_summary(request).as_json(),
        "csrf": get_token(request),
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def cart_summary_json(request):
    """``{"count": n, "total": "€12.50", ...}`` for scripts that need the header numbers."""
    return JsonResponse(cart_service.cart_summary(request).as_json())
