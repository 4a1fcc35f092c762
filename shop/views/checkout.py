"""The checkout page (/shop/checkout/): contact, fulfilment method, address → place the order → pay.

The order is created by :func:`shop.checkout.place_order` (one transaction, holds placed); the
visitor then goes to the payment page (``shop:payment``). A :class:`CheckoutError` becomes one
message and one log line; the page never fails with a 500 because of the cart.
"""

import logging

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from shop import cart as cart_service
from shop.catalogue.models import shop_config
from shop.checkout import CouponNotApplicable, place_order
from shop.exceptions import CheckoutError, NotPurchasable, OutOfStock
from shop.forms import CheckoutForm
from shop.models.orders import Order
from shop.pricing import price_cart, with_shipping

logger = logging.getLogger(__name__)


def payment_url(order) -> str:
    """Where a placed order goes next: the payment page, else the order page, else our plain page."""
    for name in ("shop:payment", "shop:order_detail"):
        try:
            return reverse(name, args=[order.token])
        except NoReverseMatch:
            continue
    return reverse("shop:order_placed", args=[order.token])


def _initial(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    last = user.orders.order_by("-created_at").first() if hasattr(user, "orders") else None
    initial = {"email": user.email, "name": user.get_full_name()}
    if last:
        initial.update(
            name=initial["name"] or last.name,
            phone=last.phone,
            address_line1=last.address_line1,
            address_line2=last.address_line2,
            city=last.city,
            postcode=last.postcode,
            country=last.country,
        )
    return initial


def checkout(request):
    cart = cart_service.get_cart(request)
    for note in cart_service.clean_cart(cart):
        messages.warning(request, note)
    priced = price_cart(cart, user=request.user, email=getattr(request.user, "email", None))
    if priced.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("shop:cart")
    if priced.problems:
        for line in priced.problems:
            messages.error(request, line.problem_message)
        return redirect("shop:cart")

    form = CheckoutForm(request.POST or None, initial=_initial(request), requires_shipping=priced.requires_shipping)
    coupon_error = None
    if request.method == "POST" and form.is_valid():
        try:
            order = place_order(cart, form.cleaned_data, user=request.user)
        except CouponNotApplicable as exc:
            logger.info("checkout refused for cart %s: %s", cart.pk, exc)
            coupon_error = {"code": exc.code, "message": exc.user_message}
            # The summary shows what this customer would pay: without the code.
            priced = price_cart(cart, user=request.user, email=form.cleaned_data["email"])
        except (OutOfStock, NotPurchasable) as exc:
            logger.info("checkout refused for cart %s: %s", cart.pk, exc)
            messages.error(request, exc.user_message)
            return redirect("shop:cart")
        except CheckoutError as exc:
            logger.info("checkout refused for cart %s: %s", cart.pk, exc)
            messages.error(request, exc.user_message)
        else:
            return redirect(payment_url(order))

    methods = []
    selected = None
    if priced.requires_shipping:
        field = form.fields["shipping_method"]
        chosen = form["shipping_method"].value()
        for method in field.queryset:
            methods.append({"method": method, "priced": with_shipping(priced, method)})
            if str(method.pk) == str(chosen):
                selected = methods[-1]
        if selected is None and methods:
            selected = methods[0]
            if not form.is_bound:
                form.initial["shipping_method"] = methods[0]["method"].pk
    summary = selected["priced"] if selected else priced
    return render(
        request,
        "shop/checkout.html",
        {
            "form": form,
            "priced": summary,
            "methods": methods,
            "selected": selected,
            "hold_minutes": shop_config().hold_minutes,
            "robots_noindex": True,
            "coupon_error": coupon_error,
        },
    )


def order_placed(request, token):
    """Plain fallback page for a placed order, used only if the payment URL is not installed."""
    order = get_object_or_404(Order, token=token)
    return render(request, "shop/order_placed.html", {"order": order, "robots_noindex": True})
