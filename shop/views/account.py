"""The signed-in customer's orders: "My orders" and one order. Only their own; anything else 404s."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from base import parsing
from shop.models.orders import Order
from shop.order_summary import order_summary
from shop.status import OrderStatus


@login_required
def account_orders(request):
    """List the customer's orders, newest first, 20 a page (a constant number of queries)."""
    orders = Order.objects.filter(user=request.user).order_by("-created_at")
    page_obj = Paginator(orders, 20).get_page(parsing.page_number(request.GET.get("page")))
    rows = [
        {
            "reference": o.reference,
            "created_at": o.created_at,
            "status_label": OrderStatus(o.status).label,
            "status": o.status,
            "total": o.total_money.format(),
        }
        for o in page_obj.object_list
    ]
    return render(request, "shop/account_orders.html", {"page_obj": page_obj, "rows": rows})


@login_required
def account_order_detail(request, reference):
    """One of the customer's orders by reference (``PF-000123``); another customer's is a 404."""
    order = get_object_or_404(
        Order.objects.prefetch_related("lines", "adjustments"), user=request.user, reference=reference
    )
    return render(
        request, "shop/order_detail.html", {"order": order, "summary": order_summary(order), "account_view": True}
    )
