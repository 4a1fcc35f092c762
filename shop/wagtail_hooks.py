"""The shop in the Wagtail admin: categories (snippet), shipping methods, and (added by others) orders.

Shop settings (currency, hold minutes, notification email) are a ``BaseSiteSetting``
registered with ``@register_setting`` in ``shop.models.catalogue`` (Settings → Shop settings).
Product pages and their variants are edited in the page tree (variants are an InlinePanel).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class ShippingMethodViewSet(ModelViewSet):
    model = ShippingMethod
    icon = "site"
    menu_label = _("Shipping methods")
    menu_order = 220
    add_to_admin_menu = True
    form_fields = ["name", "description", "price", "requires_address", "active", "sort_order"]
    list_display = ["name", "price", "requires_address", "active"]
    list_filter = ["active"]


register_snippet(CategoryViewSet)


@hooks.register("register_admin_viewset")
def register_shipping_methods():
    return ShippingMethodViewSet("shipping_methods")


from shop import admin_views  # noqa: E402,F401 - orders: listing, export, inspect, fulfil/cancel (SHOP-B)
from shop.offers import wagtail_hooks as wagtail_hooks_offers  # noqa: E402,F401 - offers, digital files, refunds, reports (OFFERS)


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
    add_to_admin_menu = True
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


@hooks.register("register_admin_viewset")
def register_stock():
    return StockViewSet("stock")
