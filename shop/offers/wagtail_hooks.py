"""Admin registrations for offers, digital files, refunds, sales reports and the dashboard panel.

Imported with one line from ``shop/wagtail_hooks.py`` (Wagtail only auto-loads that module).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from shop.offers.admin import (
    DigitalAssetViewSet,
    OfferViewSet,
    SalesByDayView,
    SalesByProductView,
    ShopDashboardPanel,
    refund_view,
)

#: Listed in the admin's "Shop" menu group (shop/wagtail_hooks.py), not on their own.
offer_viewset = OfferViewSet("offers")
digital_file_viewset = DigitalAssetViewSet("digital_files")


@hooks.register("register_admin_viewset")
def register_promotions():
    return [offer_viewset, digital_file_viewset]


@hooks.register("register_admin_urls")
def register_offer_admin_urls():
    return [
        path("shop/orders/<int:order_id>/refund/", refund_view, name="shop_refund_order"),
        path("reports/sales-by-day/", SalesByDayView.as_view(), name="shop_sales_by_day"),
        path(
            "reports/sales-by-day/results/", SalesByDayView.as_view(results_only=True), name="shop_sales_by_day_results"
        ),
        path("reports/sales-by-product/", SalesByProductView.as_view(), name="shop_sales_by_product"),
        path(
            "reports/sales-by-product/results/",
            SalesByProductView.as_view(results_only=True),
            name="shop_sales_by_product_results",
        ),
    ]


class _OrderViewersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("shop.view_order") or request.user.has_perm("shop.change_order")


@hooks.register("register_reports_menu_item")
def register_sales_by_day_menu_item():
    return _OrderViewersMenuItem(_("Sales by day"), reverse("shop_sales_by_day"), icon_name="table", order=50)


@hooks.register("register_reports_menu_item")
def register_sales_by_product_menu_item():
    return _OrderViewersMenuItem(_("Sales by product"), reverse("shop_sales_by_product"), icon_name="table", order=51)


@hooks.register("construct_homepage_panels")
def add_shop_dashboard_panel(request, panels):
    if request.user.has_perm("shop.view_order") or request.user.has_perm("shop.change_order"):
        panels.append(ShopDashboardPanel())
