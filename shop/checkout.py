"""Order placement: one service call, one transaction (after django-oscar's ``OrderCreator.place_order``).

``place_order(cart, data, user=None)`` turns a cart and the checkout form's cleaned data into an
``Order`` in ``pending_payment`` with snapshotted lines, adjustments and totals, and holds on
every line's stock / seats / slot until ``now + ShopSettings.hold_minutes``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.catalogue.models import shop_config
from shop.exceptions import CheckoutError, InvalidQuantity, OutOfStock
from shop.models.cart import Cart
from shop.models.orders import Order, OrderAdjustment, OrderLine
from shop.offers import reservations
from shop.payments import holds
from shop.pricing import price_entries
from shop.purchasable import resolve
from shop.status import OrderStatus

logger = logging.getLogger(__name__)


class EmptyCart(CheckoutError):
    default_message = _("Your cart is empty.")


class ShippingRequired(CheckoutError):
    default_message = _("Please choose how you would like to receive your order.")


class CouponNotApplicable(CheckoutError):
    """The cart's coupon code no longer applies now the customer is known (e.g. per-customer limit).

    ``user_message`` is the offers engine's ``code_error``; ``code`` is the cart's code. The
    order is not placed: the customer removes the code or fixes what the message says.
    """

    default_message = _("This code cannot be used for this order.")

    def __init__(self, message=None, *, code: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.code = code


def place_order(cart, data: dict, user=None):
    """Create and return the pending :class:`~shop.models.Order` for ``cart``.

    ``data`` is a :class:`shop.forms.CheckoutForm`'s ``cleaned_data``: ``email``, ``name``,
    ``phone``, ``shipping_method`` (a ShippingMethod or None), ``address_line1``,
    ``address_line2``, ``city``, ``postcode``, ``country``.

    In one ``transaction.atomic()``, locks in the documented order (cart → earlier orders of
    the cart → purchasables in sorted :meth:`~shop.purchasable.Purchasable.lock_order` → offer
    rows): price the cart under those locks (:func:`shop.pricing.price_entries`), create the
    order (reference assigned), its lines (title, SKU, unit price, quantity, discount share), its
    adjustments, hold each line and reserve the coupon use (:mod:`shop.offers.reservations`). Earlier unpaid orders of the same cart are cancelled and their holds released (the new
    order supersedes them), so a customer never competes with their own abandoned attempt.

    Raises a :class:`~shop.exceptions.CheckoutError` (``OutOfStock``, ``SeatsUnavailable``,
    ``SlotTaken``, ``NotPurchasable``, ``InvalidQuantity``, :class:`EmptyCart`,
    :class:`ShippingRequired`, :class:`CouponNotApplicable` when the cart's code no longer
    applies for this customer, e.g. its last use is reserved by another pending order);
    nothing is written then.
    """

    config = shop_config()
    now = timezone.now()
    with transaction.atomic():
        cart = Cart.objects.select_for_update().get(pk=cart.pk)
        cart_lines = list(cart.lines.order_by("pk"))
        if not cart_lines:
            raise EmptyCart()
        entries = []
        for cart_line in cart_lines:
            purchasable = resolve(cart_line.purchasable_kind, cart_line.purchasable_key, cart_line.options)
            entries.append((cart_line, purchasable, cart_line.quantity))

        _supersede_pending_orders(cart, now)

        for _line, purchasable, _qty in sorted(entries, key=lambda e: e[1].lock_order()):
            purchasable.lock()
        # Last in the lock order: the coupon (and limited automatic offers), so that pricing
        # below counts every other pending order's reservation of their uses.
        reservations.lock_offers(cart.coupon_code)

        shipping_method = data.get("shipping_method")
        priced = price_entries(
            entries,
            currency=config.currency,
            coupon_code=cart.coupon_code,
            shipping_method=shipping_method,
            user=user,
            email=data.get("email"),
            now=now,
        )
        for line in priced.lines:
            # Availability problems are raised by hold() below, with the purchasable's own error
            # (OutOfStock, SeatsUnavailable, SlotTaken); the rest (limits, currency) stop here.
            if line.problem is not None and not isinstance(line.problem, OutOfStock):
                raise line.problem
        if priced.requires_shipping and shipping_method is None:
            raise ShippingRequired()
        if cart.coupon_code and priced.code_error:
            # Never drop a discount the customer saw silently: they decide (remove the code).
            raise CouponNotApplicable(priced.code_error, code=cart.coupon_code, detail=f"code {cart.coupon_code}")

        needs_address = priced.requires_shipping and shipping_method is not None and shipping_method.requires_address
        order = Order.objects.create(
            user=user if (user is not None and user.is_authenticated) else None,
            cart=cart,
            status=OrderStatus.PENDING_PAYMENT,
            email=data["email"],
            name=data["name"],
            phone=data.get("phone", ""),
            shipping_method=priced.shipping_method,
            shipping_method_name=priced.shipping_method.name if priced.shipping_method else "",
            address_line1=data.get("address_line1", "") if needs_address else "",
            address_line2=data.get("address_line2", "") if needs_address else "",
            city=data.get("city", "") if needs_address else "",
            postcode=data.get("postcode", "") if needs_address else "",
            country=data.get("country", "") if needs_address else "",
            currency=priced.currency,
            subtotal=priced.subtotal.amount,
            discount_total=priced.discount_total.amount,
            shipping_total=priced.shipping.amount,
            total=priced.total.amount,
            coupon_code=priced.coupon_code,
            hold_expires_at=now + timedelta(minutes=config.hold_minutes),
        )
        order.assign_reference()
        for adjustment in priced.adjustments:
            OrderAdjustment.objects.create(
                order=order, code=adjustment.code, label=adjustment.label, amount=adjustment.amount.amount
            )
        for line in priced.lines:
            order_line = OrderLine.objects.create(
                order=order,
                purchasable_kind=line.kind,
                purchasable_key=line.purchasable_key,
                options=line.options,
                title=line.title[:255],
                description=line.description[:255],
                sku=line.sku,
                unit_price=line.unit_price.amount,
                quantity=line.quantity,
                discount=line.discount.amount if line.discount else 0,
                requires_shipping=line.requires_shipping,
            )
            # hold() re-checks availability under the lock and raises OutOfStock & co.
            line.purchasable.hold(order_line, line.quantity, order.hold_expires_at)
        reservations.reserve_for_order(order, strict=True)
    logger.info("order %s placed: %s %s, %d lines", order.reference, order.total, order.currency, len(priced.lines))
    return order


def _supersede_pending_orders(cart, now) -> None:
    """Cancel this cart's earlier unpaid orders and release their holds (the new order replaces them)."""
    for order in Order.objects.select_for_update().filter(
        cart=cart, status__in=[OrderStatus.PENDING_PAYMENT, OrderStatus.PAYMENT_FAILED]
    ):
        holds.release(order)
        order.set_status(OrderStatus.CANCELLED)
        order.cancelled_at = now
        order.payment_failure_reason = order.payment_failure_reason or "superseded by a newer checkout"
        order.save(update_fields=["status", "cancelled_at", "payment_failure_reason", "updated_at"])
        logger.info("order %s superseded by a new checkout of cart %s", order, cart.pk)


__all__ = ["CouponNotApplicable", "EmptyCart", "InvalidQuantity", "ShippingRequired", "place_order"]
