"""Orders in the Wagtail admin: a ``ModelViewSet`` (listing, filters, search, CSV/XLSX export,
inspect view with lines, adjustments, amounts and payment events) plus two staff actions:
"mark fulfilled / collected" and "cancel" (releases holds). Registered from ``shop/wagtail_hooks.py``.

Orders are never created or deleted here (they come from checkout; money history stays); staff
may correct the contact details and address through the edit form.
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from shop.models.orders import Order, ShippingMethod
from shop.money import format_money
from shop.order_summary import order_summary
from shop.payments import lifecycle as payments
from shop.status import ORDER_TRANSITIONS, InvalidTransition, OrderStatus


class OrderPermissionPolicy(ModelPermissionPolicy):
    """Orders are made by checkout and kept for the books: nobody adds or deletes them here."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("Status"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Placed"), widget=DateRangePickerWidget)
    shipping_method = django_filters.ModelChoiceFilter(
        queryset=ShippingMethod.objects.all(), label=_("Fulfilment method")
    )

    class Meta:
        model = Order
        fields = ["status", "created_at", "shipping_method"]


class TotalColumn(Column):
    def get_value(self, instance):
        return format_money(instance.total_money)


class OrderIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("shipping_method")


class OrderInspectView(InspectView):
    template_name = "shop/admin/order_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Order.objects.prefetch_related("lines", "adjustments", "payment_events"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        allowed = ORDER_TRANSITIONS.get(order.status, set())
        can_change = self.permission_policy.user_has_permission(self.request.user, "change")
        context.update(
            {
                "summary": order_summary(order),
                "events": list(order.payment_events.all()),
                "can_fulfil": can_change and OrderStatus.FULFILLED in allowed,
                "can_cancel": can_change and OrderStatus.CANCELLED in allowed,
                "fulfil_url": reverse("shop_orders:fulfil", args=[order.pk]),
                "cancel_url": reverse("shop_orders:cancel", args=[order.pk]),
                "refund_url": _refund_url(order) if can_change else "",
                "fulfil_label": _fulfil_label(order),
            }
        )
        return context


def _refund_url(order) -> str:
    if order.status not in (OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.PARTIALLY_REFUNDED):
        return ""
    try:
        return reverse("shop_refund_order", args=[order.pk])
    except NoReverseMatch:
        return ""


def _fulfil_label(order) -> str:
    method = (order.shipping_method_name or "").lower()
    return _("Mark collected") if "collect" in method else _("Mark fulfilled")


def _action(request, pk, func, done_message):
    if not request.user.has_perm("shop.change_order"):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=pk)
    try:
        changed = func(order)
    except InvalidTransition as exc:
        messages.error(
            request,
            _("Order %(ref)s is %(status)s, so this is not possible.")
            % {"ref": order.reference, "status": OrderStatus(exc.current).label},
        )
    else:
        if changed:
            messages.success(request, done_message % {"ref": order.reference})
    return redirect(reverse("shop_orders:inspect", args=[order.pk]))


@require_POST
def fulfil_view(request, pk):
    """Staff: a paid order was delivered or collected (``paid`` → ``fulfilled``)."""
    return _action(request, pk, payments.mark_fulfilled, _("Order %(ref)s marked fulfilled."))


@require_POST
def cancel_view(request, pk):
    """Staff: cancel an unpaid order; its holds are released and its PaymentIntent cancelled."""
    return _action(request, pk, payments.cancel_order, _("Order %(ref)s cancelled; its items are available again."))


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("Orders")
    menu_order = 200
    add_to_admin_menu = False  # in the "Shop" menu group (shop/wagtail_hooks.py)
    permission_policy = OrderPermissionPolicy(Order)
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OrderFilterSet
    search_fields = ["reference", "email", "name"]
    ordering = ["-created_at"]
    list_per_page = 50
    form_fields = ["name", "email", "phone", "address_line1", "address_line2", "postcode", "city", "country"]
    list_display = [
        TitleColumn("reference", label=_("Reference"), url_name="shop_orders:inspect"),
        DateColumn("created_at", label=_("Placed")),
        "name",
        "email",
        StatusTagColumn(
            "status",
            accessor="get_status_display",
            label=_("Status"),
            primary=lambda o: o.status in ("paid", "fulfilled"),
        ),
        Column("shipping_method_name", label=_("Fulfilment")),
        TotalColumn("total", label=_("Total")),
    ]
    list_export = [
        "reference",
        "created_at",
        "paid_at",
        "status",
        "name",
        "email",
        "phone",
        "shipping_method_name",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "country",
        "currency",
        "subtotal",
        "discount_total",
        "shipping_total",
        "total",
        "coupon_code",
        "stripe_payment_intent_id",
    ]
    export_headings = {
        "subtotal": "Subtotal (minor units)",
        "discount_total": "Discounts (minor units)",
        "shipping_total": "Shipping (minor units)",
        "total": "Total (minor units)",
        "shipping_method_name": "Fulfilment method",
        "stripe_payment_intent_id": "Stripe PaymentIntent",
    }
    export_filename = "orders"
    inspect_view_fields = [
        "reference",
        "status",
        "created_at",
        "paid_at",
        "fulfilled_at",
        "cancelled_at",
        "user",
        "name",
        "email",
        "phone",
        "shipping_method_name",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "country",
        "coupon_code",
        "stripe_payment_intent_id",
        "payment_failure_reason",
        "hold_expires_at",
        "confirmation_sent_at",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/fulfil/", fulfil_view, name="fulfil"),
            path("<int:pk>/cancel/", cancel_view, name="cancel"),
        ]


order_viewset = OrderViewSet("shop_orders")


@hooks.register("register_admin_viewset")
def register_orders():
    return order_viewset
