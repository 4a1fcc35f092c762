"""The payment page (Stripe.js card element) and the order page that doubles as the success page.

Neither view can mark an order paid from anything the browser sends: the payment page only
prepares the PaymentIntent; the order page asks Stripe server-side (:func:`sync_payment_intent`)
and runs the same idempotent :func:`shop.payments.mark_paid` as the webhook.
"""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from base import parsing
from shop.exceptions import CheckoutError, PaymentError
from shop.models.orders import Order
from shop.order_summary import order_summary
from shop.payments import lifecycle as payments
from shop.payments import testmode
from shop.payments.stripe_client import field, is_test_stack, prepare_test_payment
from shop.status import PAID_STATES, OrderStatus

logger = logging.getLogger(__name__)

TEST_OUTCOMES = ("approve", "decline")


def _order(token: str) -> Order:
    return get_object_or_404(Order.objects.prefetch_related("lines", "adjustments"), token=token)


def _unavailable_reason(order: Order) -> str:
    if order.status == OrderStatus.CANCELLED:
        return _("This order was cancelled, so it can no longer be paid. Your cart still has your items.")
    return ""


def _test_outcome(value) -> str:
    return parsing.choice(value, TEST_OUTCOMES, default="approve")


@require_http_methods(["GET", "POST"])
def payment(request, token):
    """``GET``: render the payment page for order ``token`` (404 if unknown).

    ``POST`` (called by ``payment.js`` just before ``stripe.confirmCardPayment``): make sure the
    order can still be paid — holds renewed after a declined card, see
    :func:`shop.payments.ensure_holds` — and answer JSON ``{"ok": true}`` or
    ``{"ok": false, "error": "<message>"}``. Nothing posted changes an amount.
    """
    order = _order(token)
    if request.method == "POST":
        return _prepare(request, order)
    if order.status in PAID_STATES:
        return redirect(order.get_absolute_url())
    summary = order_summary(order)
    context = {"order": order, "summary": summary, "unavailable": _unavailable_reason(order)}
    if context["unavailable"]:
        return render(request, "shop/payment.html", context)
    if order.total == 0:
        payments.mark_paid(order)
        return redirect(order.get_absolute_url())
    try:
        pi = payments.create_or_get_payment_intent(order)
    except PaymentError as exc:
        context["error"] = exc.user_message
        return render(request, "shop/payment.html", context, status=503)
    if field(pi, "status") in ("succeeded", "processing"):
        return redirect(order.get_absolute_url())
    test_mode = is_test_stack()
    outcome = _test_outcome(request.GET.get("test_card"))
    if test_mode:
        pi = _attach_test_card(pi, outcome)
    context.update(
        {
            "client_secret": pi.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "success_url": order.get_absolute_url() + "?payment=done",
            "test_mode": test_mode,
            "test_outcome": outcome,
            "test_outcomes": [("approve", _("Approve (3-D Secure)")), ("decline", _("Decline the card"))],
            "hold_expires_at": order.hold_expires_at
            if order.hold_expires_at and order.hold_expires_at > timezone.now()
            else None,
        }
    )
    return render(request, "shop/payment.html", context)


def _attach_test_card(pi, outcome):
    """TEST MODE (localstripe only): see :func:`shop.stripe_client.prepare_test_payment`."""
    try:
        return prepare_test_payment(pi, outcome)
    except stripe.StripeError as exc:
        logger.warning("TEST MODE: could not attach the %s test card to %s: %s", outcome, pi.id, exc)
        return pi


def _prepare(request, order: Order) -> JsonResponse:
    if order.status in PAID_STATES:
        return JsonResponse({"ok": True, "paid": True})
    reason = _unavailable_reason(order)
    if reason:
        return JsonResponse({"ok": False, "error": str(reason)}, status=409)
    try:
        order = payments.ensure_holds(order)
    except CheckoutError as exc:
        logger.info("Order %s cannot be paid any more: %s", order.reference, exc.detail or exc)
        return JsonResponse({"ok": False, "error": str(exc.user_message)}, status=409)
    if is_test_stack() and order.stripe_payment_intent_id:
        # TEST MODE (localstripe only): attach the chosen test card; after a decline, localstripe
        # needs a fresh PaymentIntent, whose client secret the page then uses.
        try:
            pi = payments.create_or_get_payment_intent(order)
            if field(pi, "status") == "requires_payment_method" and field(pi, "last_payment_error"):
                pi = testmode.replace_failed_test_payment_intent(order)
        except (PaymentError, stripe.StripeError) as exc:
            logger.warning("TEST MODE: could not prepare a retry for %s: %s", order.reference, exc)
            return JsonResponse({"ok": False, "error": str(PaymentError.default_message)}, status=503)
        pi = _attach_test_card(pi, _test_outcome(request.POST.get("test_card")))
        return JsonResponse({"ok": True, "client_secret": pi.client_secret})
    return JsonResponse({"ok": True})


def order_detail(request, token):
    """The guest-safe order page (whoever holds the token); also the payment success page.

    While the order is still ``pending_payment`` it retrieves the PaymentIntent from Stripe and
    applies it through the same code as the webhook. ``?payment=done`` (set by ``payment.js``)
    shows a "confirming" notice that refreshes itself until the payment is known.
    """
    order = _order(token)
    if order.status == OrderStatus.PENDING_PAYMENT and order.stripe_payment_intent_id:
        order = payments.sync_payment_intent(order)
        order = _order(token)
    summary = order_summary(order)
    context = {
        "order": order,
        "summary": summary,
        "just_paid": request.GET.get("payment") == "done",
        "confirming": request.GET.get("payment") == "done" and order.status == OrderStatus.PENDING_PAYMENT,
    }
    return render(request, "shop/order_detail.html", context)
