"""The shop in the Wagtail admin: categories (snippet), shipping methods, and (added by others) orders.

Shop settings (currency, hold minutes, notification email) are a ``BaseSiteSetting``
registered with ``@register_setting`` in ``shop.models.catalogue`` (Settings → Shop settings).
Product pages and their variants are edited in the page tree (variants are an InlinePanel).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from shop.catalogue.models import Category, ProductVariant, live_holds_subquery
from shop.models.orders import ShippingMethod


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Product categories")
    menu_order = 210
    add_to_admin_menu = False  # in the "Shop" menu group
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class ShippingMethodViewSet(ModelViewSet):
    model = ShippingMethod
    icon = "site"
    menu_label = _("Shipping methods")
    menu_order = 220
    add_to_admin_menu = False  # in the "Shop" menu group
    form_fields = ["name", "description", "price", "requires_address", "active", "sort_order"]
    list_display = ["name", "price", "requires_address", "active"]
    list_filter = ["active"]


category_viewset = CategoryViewSet()
register_snippet(category_viewset)
shipping_method_viewset = ShippingMethodViewSet("shipping_methods")


@hooks.register("register_admin_viewset")
def register_shipping_methods():
    return shipping_method_viewset


from shop import admin_views  # noqa: E402 - orders: listing, export, inspect, fulfil/cancel (SHOP-B)
from shop.offers import wagtail_hooks as wagtail_hooks_offers  # noqa: E402 - offers, digital files, refunds, reports (OFFERS)


class StockPermissionPolicy(ModelPermissionPolicy):
    """Variants are created and deleted in their product page; here staff only change stock."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class StockViewSet(ModelViewSet):
    """Shop → Stock: the one place to change an existing variant's stock (page revisions never do)."""

    model = ProductVariant
    icon = "doc-full-inverse"
    menu_label = _("Stock")
    menu_order = 215
    add_to_admin_menu = False  # in the "Shop" menu group
    url_prefix = "stock"
    form_fields = ["stock"]
    list_display = ["product", "name", "sku", "price_display", "stock_display", "held_display", "available_display"]
    list_filter = ["active"]
    search_fields = ["sku", "name", "product__title"]
    ordering = ["product__title", "sort_order"]
    copy_view_enabled = False

    @property
    def permission_policy(self):
        return StockPermissionPolicy(self.model)

    def get_queryset(self, request):
        return ProductVariant.objects.select_related("product").annotate(held=live_holds_subquery())


stock_viewset = StockViewSet("stock")


@hooks.register("register_admin_viewset")
def register_stock():
    return stock_viewset


class ShopSettingsMenuItem(MenuItem):
    """Settings → Shop settings, repeated in the Shop group for staff who may edit it."""

    def is_shown(self, request):
        return request.user.has_perm("shop.change_shopsettings")


@hooks.register("register_admin_menu_item")
def register_shop_menu():
    """One "Shop" group for every shop screen (as Learning and Marketing have): orders, stock,
    categories, shipping methods, offers, digital files and the shop settings. Each item shows
    only to staff with the permission its viewset asks for."""
    viewsets = (
        admin_views.order_viewset,
        stock_viewset,
        category_viewset,
        shipping_method_viewset,
        wagtail_hooks_offers.offer_viewset,
        wagtail_hooks_offers.digital_file_viewset,
    )
    items = [viewset.get_menu_item(order=index) for index, viewset in enumerate(viewsets, start=1)]
    items.append(
        ShopSettingsMenuItem(
            _("Shop settings"),
            reverse("wagtailsettings:edit", args=("shop", "shopsettings")),
            icon_name="cog",
            order=len(items) + 1,
        )
    )
    return SubmenuMenuItem(_("Shop"), Menu(items=items), name="shop", icon_name="pick", order=200)
