"""Sales figures for the Wagtail admin (reports and the dashboard panel); read-only queries.

Revenue counts orders that were paid (status in :data:`shop.status.PAID_STATES`), dated by
``paid_at`` in the site's time zone. Amounts are integers in minor units of the order
currency; ``refunded`` is what was given back (applied :class:`~shop.models.Refund` rows for
those orders), ``net = total - refunded``.

Course sessions are not the shop's business: the learning app adds its own dashboard panel.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from shop.catalogue.models import ProductVariant
from shop.models.orders import Order, OrderLine
from shop.models.refunds import Refund
from shop.status import PAID_STATES

LOW_STOCK_THRESHOLD = 3


def _paid_orders():
    return Order.objects.filter(status__in=PAID_STATES, paid_at__isnull=False)


def _day_bounds(start: date | None, end: date | None):
    tz = timezone.get_current_timezone()
    lower = datetime.combine(start, time.min, tzinfo=tz) if start else None
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz) if end else None
    return lower, upper


def paid_orders_between(start: date | None = None, end: date | None = None):
    """Paid orders whose ``paid_at`` falls on ``start``..``end`` (inclusive, local dates)."""
    qs = _paid_orders()
    lower, upper = _day_bounds(start, end)
    if lower:
        qs = qs.filter(paid_at__gte=lower)
    if upper:
        qs = qs.filter(paid_at__lt=upper)
    return qs


def sales_by_day(orders) -> list[dict]:
    """``[{"day", "orders", "subtotal", "discounts", "shipping", "total", "refunded", "net", "currency"}]``.

    One row per local day with paid orders (newest first), from a queryset of paid orders.
    Two queries whatever the range.
    """

    tz = timezone.get_current_timezone()
    rows = list(
        orders.annotate(day=TruncDate("paid_at", tzinfo=tz))
        .values("day", "currency")
        .annotate(
            orders=Count("pk"),
            subtotal=Sum("subtotal"),
            discounts=Sum("discount_total"),
            shipping=Sum("shipping_total"),
            total=Sum("total"),
        )
        .order_by("-day", "currency")
    )
    refunds = (
        Refund.objects.filter(order__in=orders, applied_at__isnull=False)
        .annotate(day=TruncDate("order__paid_at", tzinfo=tz))
        .values("day", "order__currency")
        .annotate(amount=Sum("amount"))
    )
    refunded = {(r["day"], r["order__currency"]): r["amount"] for r in refunds}
    for row in rows:
        row["refunded"] = refunded.get((row["day"], row["currency"]), 0)
        row["net"] = row["total"] - row["refunded"]
    return rows


def sales_by_product(orders) -> list[dict]:
    """``[{"title", "sku", "units", "refunded_units", "gross", "discounts", "refunded", "net", "currency"}]``.

    One row per sold item (order-line title and SKU, as snapshotted), best sellers first.
    """

    rows = list(
        OrderLine.objects.filter(order__in=orders)
        .values("sku", "title", currency=F("order__currency"))
        .annotate(
            units=Sum("quantity"),
            refunded_units=Sum("refunded_quantity"),
            gross=Sum(F("unit_price") * F("quantity")),
            discounts=Sum("discount"),
            refunded=Sum("refunded_amount"),
        )
        .order_by("-gross", "title")
    )
    for row in rows:
        row["net"] = row["gross"] - row["discounts"] - row["refunded"]
    return rows


def dashboard_figures(now=None) -> dict:
    """What the admin dashboard panel shows (a handful of queries).

    ``orders_today`` (paid today), ``revenue_week`` (``{currency: minor units}`` paid since
    Monday) and ``low_stock`` (active variants with tracked stock ≤ ``LOW_STOCK_THRESHOLD``).
    """

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    monday = today - timedelta(days=today.weekday())
    today_orders = paid_orders_between(today, today)
    week = paid_orders_between(monday, today).values("currency").annotate(total=Sum("total")).order_by("currency")
    low = list(
        ProductVariant.objects.filter(active=True, stock__isnull=False, stock__lte=LOW_STOCK_THRESHOLD)
        .select_related("product")
        .order_by("stock", "sku")[:8]
    )
    return {
        "orders_today": today_orders.count(),
        "revenue_today": list(today_orders.values("currency").annotate(total=Sum("total")).order_by("currency")),
        "revenue_week": list(week),
        "week_start": monday,
        "low_stock": low,
        "low_stock_threshold": LOW_STOCK_THRESHOLD,
    }
