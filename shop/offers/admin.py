"""Wagtail admin screens for offers, digital files, refunds and sales reports.

Registered by :mod:`shop.wagtail_hooks_offers`. Views stay thin: refunds go through
:mod:`shop.refunds`, figures come from :mod:`shop.reports`.

Admin URL names (for links from other screens):

- ``shop_refund_order`` — ``/admin/shop/orders/<order id>/refund/``: refund form for one order.
- ``shop_sales_by_day`` / ``shop_sales_by_product`` (and ``..._results``) — the sales reports;
  ``?export=csv`` (or ``xlsx``) downloads them.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy

from shop import reports
from shop.models.digital import DigitalAsset
from shop.models.orders import Order
from shop.money import Money, format_money
from shop.offers.models import Offer
from shop.refunds import RefundError, refund_order, refundable_quantities


# --------------------------------------------------------------------------------- viewsets
class OfferViewSet(ModelViewSet):
    """Offers: codes and automatic discounts (Shop → Offers)."""

    model = Offer
    icon = "tag"
    menu_label = _("Offers")
    add_to_admin_menu = False
    list_display = ["name", "code", "discount_label", "scope", "active", "uses_label", "valid_until"]
    list_filter = ["active", "scope", "discount_type"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True


class DigitalAssetViewSet(ModelViewSet):
    """Files of digital products, stored privately (Shop → Digital files)."""

    model = DigitalAsset
    icon = "doc-full"
    menu_label = _("Digital files")
    add_to_admin_menu = False
    list_display = ["title", "product", "filename", "created_at"]
    search_fields = ["title", "filename"]


# --------------------------------------------------------------------------------- refunds
class RefundForm(forms.Form):
    """Whole order, or a quantity per line (``qty_<line id>``); reason; restock."""

    whole_order = forms.BooleanField(required=False, label=_("Refund the whole order (including shipping)"))
    reason = forms.CharField(max_length=255, required=False, label=_("Reason (kept with the refund)"))
    restock = forms.BooleanField(required=False, label=_("Put physical items back in stock"))

    def __init__(self, *args, order, available, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.line_fields = []
        for line in order.lines.all():
            left = available.get(line.pk, 0)
            name = f"qty_{line.pk}"
            self.fields[name] = forms.IntegerField(
                min_value=0,
                max_value=left,
                required=False,
                initial=0,
                label=line.title,
                widget=forms.NumberInput(attrs={"min": 0, "max": left}),
                disabled=left == 0,
            )
            self.line_fields.append((line, self[name], left))

    def clean(self):
        data = super().clean()
        lines = {line.pk: data.get(f"qty_{line.pk}") or 0 for line, _field, _left in self.line_fields}
        if not data.get("whole_order") and not any(lines.values()):
            raise forms.ValidationError(_("Tick “whole order” or choose a quantity for at least one line."))
        data["lines"] = None if data.get("whole_order") else {pk: qty for pk, qty in lines.items() if qty}
        return data


def refund_view(request, order_id: int):
    """Staff refund the whole order or chosen lines (needs the ``shop.change_order`` permission)."""
    if not request.user.has_perm("shop.change_order"):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=order_id)
    available = refundable_quantities(order)
    form = RefundForm(request.POST or None, order=order, available=available)
    if request.method == "POST" and form.is_valid():
        try:
            refund = refund_order(
                order,
                form.cleaned_data["lines"],
                reason=form.cleaned_data["reason"],
                restock=form.cleaned_data["restock"],
                initiated_by=request.user,
            )
        except RefundError as exc:
            messages.error(request, exc.user_message)
        else:
            messages.success(
                request,
                _("Refunded %(amount)s on order %(ref)s.")
                % {"amount": format_money(Money(refund.amount, order.currency)), "ref": order.reference},
            )
            return redirect(_order_admin_url(order) or reverse("shop_refund_order", args=[order.pk]))
    refunds = list(order.refunds.select_related("initiated_by"))
    for refund in refunds:
        refund.amount_display = format_money(Money(refund.amount, order.currency))
    return TemplateResponse(
        request,
        "shop/admin/refund_form.html",
        {
            "order": order,
            "form": form,
            "refunds": refunds,
            "total_display": format_money(order.total_money),
            "order_url": _order_admin_url(order),
            "page_title": _("Refund order %(ref)s") % {"ref": order.reference or order.pk},
            "header_icon": "undo",
        },
    )


def _order_admin_url(order) -> str:
    """SHOP-B's order inspect view, if registered under one of the usual names."""
    for name in ("shop_orders:inspect", "order:inspect", "orders:inspect"):
        try:
            return reverse(name, args=[order.pk])
        except NoReverseMatch:
            continue
    return ""


# --------------------------------------------------------------------------------- reports
class SalesFilterSet(WagtailFilterSet):
    """Date range on the day the order was paid (local dates, inclusive)."""

    date_from = django_filters.DateFilter(label=_("Paid from"), method="noop", widget=AdminDateInput)
    date_to = django_filters.DateFilter(label=_("Paid until"), method="noop", widget=AdminDateInput)

    class Meta:
        model = Order
        fields = []

    def noop(self, queryset, name, value):
        return queryset  # applied in SalesReportMixin.get_queryset (needs both bounds at once)


def _money_column(key, label):
    return Column(key, label=label, accessor=lambda row: format_money(Money(row[key] or 0, row["currency"])))


class SalesReportMixin:
    """Shared by both sales reports: staff with order view permission, date range, exports."""

    permission_policy = ModelPermissionPolicy(Order)
    any_permission_required = ["view", "change"]
    filterset_class = SalesFilterSet
    header_icon = "table"
    paginate_by = 100
    export_headings = {
        "subtotal": _("Subtotal (minor units)"),
        "discounts": _("Discounts (minor units)"),
        "shipping": _("Shipping (minor units)"),
        "total": _("Total (minor units)"),
        "refunded": _("Refunded (minor units)"),
        "net": _("Net (minor units)"),
        "gross": _("Gross (minor units)"),
    }

    def get_queryset(self):
        return Order.objects.none()

    def get_filtered_queryset(self):
        """The report's rows (plain dicts) for the chosen date range."""
        filters = self.filters
        data = filters.form.cleaned_data if filters is not None and filters.is_valid() else {}
        return self.build_rows(reports.paid_orders_between(data.get("date_from"), data.get("date_to")))

    def get_heading(self, queryset, field):
        return str(self.export_headings.get(field, field.replace("_", " ").capitalize()))


class SalesByDayView(SalesReportMixin, ReportView):
    page_title = _("Sales by day")
    index_url_name = "shop_sales_by_day"
    index_results_url_name = "shop_sales_by_day_results"
    export_filename = "sales-by-day"
    list_export = ["day", "currency", "orders", "subtotal", "discounts", "shipping", "total", "refunded", "net"]
    columns = [
        Column("day", label=_("Day"), accessor=lambda row: row["day"].strftime("%a %d %b %Y")),
        Column("orders", label=_("Paid orders")),
        _money_column("subtotal", _("Subtotal")),
        _money_column("discounts", _("Discounts")),
        _money_column("shipping", _("Shipping")),
        _money_column("total", _("Revenue")),
        _money_column("refunded", _("Refunded")),
        _money_column("net", _("Net")),
    ]

    def build_rows(self, orders):
        return reports.sales_by_day(orders)


class SalesByProductView(SalesReportMixin, ReportView):
    page_title = _("Sales by product")
    index_url_name = "shop_sales_by_product"
    index_results_url_name = "shop_sales_by_product_results"
    export_filename = "sales-by-product"
    list_export = ["title", "sku", "currency", "units", "refunded_units", "gross", "discounts", "refunded", "net"]
    columns = [
        Column("title", label=_("Item")),
        Column("sku", label=_("SKU")),
        Column("units", label=_("Units sold")),
        Column("refunded_units", label=_("Units refunded")),
        _money_column("gross", _("Gross")),
        _money_column("discounts", _("Discounts")),
        _money_column("refunded", _("Refunded")),
        _money_column("net", _("Net")),
    ]

    def build_rows(self, orders):
        return reports.sales_by_product(orders)


# --------------------------------------------------------------------------------- dashboard
class ShopDashboardPanel(Component):
    """Dashboard panel: today's orders, this week's revenue, low stock."""

    name = "shop_summary"
    order = 50
    template_name = "shop/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        figures = reports.dashboard_figures()
        figures["revenue_week_display"] = [
            format_money(Money(r["total"] or 0, r["currency"])) for r in figures["revenue_week"]
        ]
        figures["revenue_today_display"] = [
            format_money(Money(r["total"] or 0, r["currency"])) for r in figures["revenue_today"]
        ]
        figures["now"] = timezone.now()
        return figures


__all__ = [
    "OfferViewSet",
    "DigitalAssetViewSet",
    "refund_view",
    "SalesByDayView",
    "SalesByProductView",
    "ShopDashboardPanel",
]
