"""What a customer or staff member sees of an order, formatted once for every template.

Templates hold no logic (DESIGN.md): the order page, the account pages, the confirmation email
and the admin inspect view all render the plain dict that :func:`order_summary` returns. Amounts
are the order's snapshots (minor units) formatted with Babel through :func:`shop.money.format_money`.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from shop.money import Money, format_money
from shop.status import PAID_STATES, OrderStatus


def _fmt(amount: int, currency: str) -> str:
    return format_money(Money(amount, currency))


def absolute_order_url(order) -> str:
    """The guest link (``/shop/orders/<token>/``) as an absolute URL for emails."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{order.get_absolute_url()}"


def order_summary(order) -> dict:
    """A dict describing ``order`` for display.

    Keys: ``reference``, ``status`` (code), ``status_label``, ``is_paid``, ``is_pending``,
    ``lines`` (title, description, sku, quantity, unit_price, line_total as display strings),
    ``adjustments`` (label, amount), ``subtotal``, ``discount_total``, ``shipping_total``,
    ``total`` (display strings; discount/shipping ``""`` when zero), ``shipping_method``,
    ``address_lines`` (list of str), ``url`` (guest link path), ``absolute_url``.
    """
    cur = order.currency
    lines = [
        {
            "title": line.title,
            "description": line.description,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_price": _fmt(line.unit_price, cur),
            "line_total": _fmt(line.line_total, cur),
            "refunded_quantity": line.refunded_quantity,
        }
        for line in order.lines.all()
    ]
    adjustments = [
        {"label": adj.label, "amount": _fmt(adj.amount, cur) if adj.amount >= 0 else "−" + _fmt(-adj.amount, cur)}
        for adj in order.adjustments.all()
    ]
    address_lines = [
        v
        for v in (
            order.name if order.address_line1 else "",
            order.address_line1,
            order.address_line2,
            " ".join(x for x in (order.postcode, order.city) if x),
            order.country.name if order.country else "",
        )
        if v
    ]
    return {
        "reference": order.reference or "",
        "status": order.status,
        "status_label": OrderStatus(order.status).label,
        "is_paid": order.status in PAID_STATES,
        "is_pending": order.status == OrderStatus.PENDING_PAYMENT,
        "is_failed": order.status == OrderStatus.PAYMENT_FAILED,
        "is_cancelled": order.status == OrderStatus.CANCELLED,
        "failure_reason": order.payment_failure_reason,
        "lines": lines,
        "adjustments": adjustments,
        "subtotal": _fmt(order.subtotal, cur),
        "discount_total": "−" + _fmt(order.discount_total, cur) if order.discount_total else "",
        "shipping_total": _fmt(order.shipping_total, cur) if order.shipping_method_name or order.shipping_total else "",
        "total": _fmt(order.total, cur),
        "shipping_method": order.shipping_method_name,
        "address_lines": address_lines,
        "email": order.email,
        "name": order.name,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "url": order.get_absolute_url(),
        "absolute_url": absolute_order_url(order),
        "payment_url": reverse("shop:payment", args=[order.token]),
    }
