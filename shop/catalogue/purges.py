"""Purge the cached pages that show a product's availability when its stock or holds change.

Connected in :meth:`shop.apps.ShopConfig.ready`. Pages that show a product record the tag
``page:<product page id>`` (:func:`base.page_cache.depends_on`: the product page, listings,
product grids and featured-product blocks); a paid or refunded order, a hold placed, converted
or released, or a variant saved purges exactly those pages (:func:`base.purge.purge_tags`),
not the whole site.
"""

from base import purge
from shop.catalogue.models import ProductVariant, StockHold
from shop.catalogue.purchasables import KIND


def product_tags(product_ids) -> list[str]:
    """The page-cache tags of product pages ``product_ids``."""
    return [f"page:{pk}" for pk in sorted({pk for pk in product_ids if pk})]


def purge_products(product_ids) -> None:
    """Purge every cached page showing these products (ids of ``ProductPage``)."""
    purge.purge_tags(product_tags(product_ids))


def purge_order_products(sender=None, order=None, **kwargs) -> None:
    """``order_paid`` / ``order_refunded`` receiver: purge the pages of the order's products."""
    if order is None:
        return
    keys = [
        int(key)
        for key in order.lines.filter(purchasable_kind=KIND).values_list("purchasable_key", flat=True)
        if str(key).isdigit()
    ]
    if keys:
        purge_products(ProductVariant.objects.filter(pk__in=keys).values_list("product_id", flat=True))


def purge_hold_product(sender, instance: StockHold, **kwargs) -> None:
    """``post_save``/``post_delete`` of a :class:`StockHold`: its product's pages."""
    purge_products(ProductVariant.objects.filter(pk=instance.variant_id).values_list("product_id", flat=True))


def purge_variant_product(sender, instance: ProductVariant, **kwargs) -> None:
    """``post_save``/``post_delete`` of a :class:`ProductVariant`: its product's pages."""
    purge_products([instance.product_id])
