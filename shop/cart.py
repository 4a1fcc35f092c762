"""Cart services: find the visitor's cart, add / change / remove lines, merge at sign-in, empty when paid.

Every visitor's cart is a :class:`~shop.models.Cart` row: anonymous carts are found through the
id kept in the session (``SESSION_KEY``), signed-in customers' by ``user``. At sign-in the
anonymous cart is merged into the customer's (quantities added, capped by the line limit and
the stock left). Lines store only ``(kind, key, options, quantity)``; prices come from
:mod:`shop.pricing`.

Other apps add their purchasables with :func:`add_to_cart` (e.g. learning's seat view):
``add_to_cart(request, "session_seat", str(session.pk), 1, options={})``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from base import parsing
from shop.catalogue.models import shop_config
from shop.catalogue.purchasables import resolve_many
from shop.exceptions import InvalidQuantity, NotPurchasable, OutOfStock
from shop.models.cart import Cart, CartLine
from shop.money import Money
from shop.purchasable import resolve

logger = logging.getLogger(__name__)

SESSION_KEY = "shop_cart_id"
MAX_QUANTITY = 99


def parse_quantity(value, *, max_quantity: int = MAX_QUANTITY) -> int:
    """``value`` from a form as an int in ``1..max_quantity``; :class:`InvalidQuantity` otherwise
    (read with :func:`base.parsing.integer`: ASCII digits only)."""
    try:
        quantity = parsing.integer(value)
    except parsing.InvalidInput:
        raise InvalidQuantity(_("Please enter a whole number of items (1 to %(n)d).") % {"n": max_quantity}) from None
    if quantity < 1:
        raise InvalidQuantity(_("The quantity must be at least 1. Use “Remove” to take an item out."))
    if quantity > max_quantity:
        raise InvalidQuantity(_("You can buy at most %(n)d of this item.") % {"n": max_quantity})
    return quantity


# --------------------------------------------------------------------------- finding the cart


def get_cart(request, *, create: bool = False):
    """The visitor's cart (``None`` if there is none and ``create`` is false)."""
    cached = getattr(request, "_shop_cart", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    cart = None
    if user is not None and user.is_authenticated:
        cart = Cart.objects.filter(user=user).first()
        if cart is None and create:
            cart, _created = Cart.objects.get_or_create(user=user)
    else:
        cart_id = request.session.get(SESSION_KEY)
        if cart_id:
            cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first()
        if cart is None and create:
            cart = Cart.objects.create()
            request.session[SESSION_KEY] = cart.pk
    if cart is not None:
        request._shop_cart = cart
    return cart


def _forget_cached(request):
    if hasattr(request, "_shop_cart"):
        del request._shop_cart


# --------------------------------------------------------------------------- changing lines


def add_line(cart, kind: str, key: str, quantity: int, options: dict | None = None):
    """Add ``quantity`` units of ``(kind, key)`` to ``cart`` (added to an existing line).

    Raises :class:`NotPurchasable` (unknown/inactive), :class:`InvalidQuantity` (over the
    item's limit) or :class:`OutOfStock` (more than is left). Nothing changes when it raises.
    Returns ``(line, purchasable)``.
    """

    if not isinstance(quantity, int) or quantity < 1:
        raise InvalidQuantity()
    purchasable = resolve(kind, key, options)
    with transaction.atomic():
        line = (
            CartLine.objects.select_for_update()
            .filter(cart=cart, purchasable_kind=kind, purchasable_key=purchasable.key)
            .first()
        )
        new_quantity = quantity + (line.quantity if line else 0)
        _check(purchasable, new_quantity)
        if line:
            line.quantity = new_quantity
            if options is not None:
                line.options = dict(options)
            line.save(update_fields=["quantity", "options"])
        else:
            try:
                with transaction.atomic():
                    line = CartLine.objects.create(
                        cart=cart,
                        purchasable_kind=kind,
                        purchasable_key=purchasable.key,
                        options=dict(options or {}),
                        quantity=new_quantity,
                    )
            except IntegrityError:  # a parallel request created the line first
                raise InvalidQuantity(_("Your cart changed meanwhile; please try again.")) from None
        cart.save(update_fields=["updated_at"])
    return line, purchasable


def _check(purchasable, quantity: int) -> None:
    if quantity > purchasable.max_quantity:
        raise InvalidQuantity(
            _("You can buy at most %(n)d of %(title)s.") % {"n": purchasable.max_quantity, "title": purchasable.title}
        )
    available = purchasable.available()
    if available is not None and quantity > available:
        if available <= 0:
            raise OutOfStock(_("Sorry, %(title)s is sold out.") % {"title": purchasable.title})
        raise OutOfStock(_("Sorry, only %(n)d of %(title)s left.") % {"n": available, "title": purchasable.title})


def set_line_quantity(cart, line_id, quantity: int):
    """Set a line's quantity (1..limit, within stock). Raises like :func:`add_line`; ``LookupError``
    when the line is not in this cart."""
    line = _line(cart, line_id)
    purchasable = resolve(line.purchasable_kind, line.purchasable_key, line.options)
    _check(purchasable, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line, purchasable


def remove_line(cart, line_id) -> None:
    """Delete a line of this cart (``LookupError`` when it is not in this cart)."""
    _line(cart, line_id).delete()
    cart.save(update_fields=["updated_at"])


def _line(cart, line_id):
    pk = parsing.optional_id(line_id)
    if cart is None or pk is None:
        raise LookupError(line_id)
    line = CartLine.objects.filter(cart=cart, pk=pk).first()
    if line is None:
        raise LookupError(line_id)
    return line


def add_to_cart(request, kind: str, key: str, quantity, options: dict | None = None):
    """For views: parse ``quantity``, create the cart if needed, add the line. Raises CheckoutErrors."""
    cart = get_cart(request, create=True)
    qty = parse_quantity(quantity)
    return add_line(cart, kind, key, qty, options)


def clean_cart(cart) -> list[str]:
    """Drop lines whose purchasable is gone or inactive; return one message per dropped line."""
    if cart is None:
        return []
    lines = list(cart.lines.all())
    messages = []
    for line, result in zip(
        lines, resolve_many((x.purchasable_kind, x.purchasable_key, x.options) for x in lines), strict=True
    ):
        if isinstance(result, NotPurchasable):
            line.delete()
            messages.append(_("An item in your cart is no longer available and was removed."))
    return messages


# --------------------------------------------------------------------------- merge and empty


def merge_carts(source, target) -> list[str]:
    """Move ``source``'s lines into ``target`` (quantities added, capped by limit and stock), delete
    ``source``. Returns messages about lines that were capped or dropped."""

    notes = []
    with transaction.atomic():
        existing = {(x.purchasable_kind, x.purchasable_key): x for x in target.lines.select_for_update()}
        for line in source.lines.all():
            try:
                purchasable = resolve(line.purchasable_kind, line.purchasable_key, line.options)
            except NotPurchasable:
                notes.append(_("An item in your cart is no longer available and was removed."))
                continue
            current = existing.get((line.purchasable_kind, line.purchasable_key))
            wanted = line.quantity + (current.quantity if current else 0)
            cap = purchasable.max_quantity
            available = purchasable.available()
            if available is not None:
                cap = min(cap, available)
            quantity = min(wanted, cap)
            if quantity < wanted:
                notes.append(
                    _("We reduced %(title)s to %(n)d (what is left).") % {"title": purchasable.title, "n": quantity}
                )
            if quantity <= 0:
                if current:
                    current.delete()
                continue
            if current:
                current.quantity = quantity
                current.save(update_fields=["quantity"])
            else:
                CartLine.objects.create(
                    cart=target,
                    purchasable_kind=line.purchasable_kind,
                    purchasable_key=line.purchasable_key,
                    options=line.options,
                    quantity=quantity,
                )
        if source.coupon_code and not target.coupon_code:
            target.coupon_code = source.coupon_code
        target.save()
        # Unpaid orders placed from the anonymous cart now empty the merged cart when paid.
        source.orders.update(cart=target)
        source.delete()
    return notes


@receiver(user_logged_in, dispatch_uid="shop_merge_cart_at_login")
def merge_cart_at_login(sender, request, user, **kwargs):
    """Signal receiver: the anonymous cart of this session joins the customer's cart."""
    if request is None or not hasattr(request, "session"):
        return
    cart_id = request.session.pop(SESSION_KEY, None)
    _forget_cached(request)
    if not cart_id:
        return
    anonymous = Cart.objects.filter(pk=cart_id, user__isnull=True).first()
    if anonymous is None:
        return
    try:
        target = Cart.objects.filter(user=user).first()
        if target is None:
            # Nothing to merge into: adopt the anonymous cart (keeps pending orders' link to it).
            anonymous.user = user
            anonymous.save(update_fields=["user", "updated_at"])
            return
        for note in merge_carts(anonymous, target):
            messages.info(request, note)
    except Exception:  # never block a sign-in because of the cart
        logger.exception("cart merge failed for user %s", user.pk)


def empty_cart_for_order(order) -> None:
    """The order is paid: take its lines out of the cart it came from. Idempotent.

    Removes each order line's quantity from the matching cart line (what the customer added
    after checking out stays), and the coupon code if it is the order's. Call inside the
    mark-paid transaction.
    """

    # Read the link from the database: the first call unlinks it, so a second call does nothing.
    cart_id = type(order).objects.filter(pk=order.pk).values_list("cart_id", flat=True).first()
    if not cart_id:
        return
    cart = Cart.objects.select_for_update().filter(pk=cart_id).first()
    if cart is None:
        return
    cart_lines = {
        (x.purchasable_kind, x.purchasable_key): x for x in CartLine.objects.select_for_update().filter(cart=cart)
    }
    for line in order.lines.all():
        cart_line = cart_lines.get((line.purchasable_kind, line.purchasable_key))
        if cart_line is None:
            continue
        if cart_line.quantity <= line.quantity:
            cart_line.delete()
        else:
            cart_line.quantity -= line.quantity
            cart_line.save(update_fields=["quantity"])
    if order.coupon_code and cart.coupon_code.lower() == order.coupon_code.lower():
        cart.coupon_code = ""
    cart.save()
    type(order).objects.filter(pk=order.pk).update(cart=None)
    order.cart = None


# --------------------------------------------------------------------------- header summary


@dataclass(frozen=True)
class CartSummary:
    """What the header shows: ``count`` units and their ``total`` (items only, before offers)."""

    count: int
    total: Money

    @property
    def total_display(self) -> str:
        return self.total.format()

    def as_json(self) -> dict:
        return {
            "count": self.count,
            "total": self.total_display,
            "total_minor": self.total.amount,
            "currency": self.total.currency,
        }


def cart_summary(request) -> CartSummary:
    """Count and items total of the visitor's cart: at most 2 queries (lines, then variants)."""
    currency = shop_config().currency
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        lines = list(CartLine.objects.filter(cart__user=user))
    else:
        cart_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        lines = list(CartLine.objects.filter(cart_id=cart_id, cart__user__isnull=True)) if cart_id else []
    if not lines:
        return CartSummary(0, Money.zero(currency))
    count, total = 0, Money.zero(currency)
    for line, purchasable in zip(
        lines, resolve_many((x.purchasable_kind, x.purchasable_key, x.options) for x in lines), strict=True
    ):
        if isinstance(purchasable, NotPurchasable) or purchasable.unit_price.currency != currency:
            continue
        count += line.quantity
        total += purchasable.unit_price * line.quantity
    return CartSummary(count, total)
