"""The shop's own purchasable kind: ``"variant"`` (a :class:`~shop.models.ProductVariant`, key = its pk).

Imported from ``ShopConfig.ready``. :func:`resolve_many` resolves a list of ``(kind, key,
options)`` with one query for all variants (other kinds go through their resolver one by one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Prefetch
from wagtail.images import get_image_model

from base import parsing
from shop.catalogue import stock
from shop.catalogue.models import (
    ProductImage,
    ProductVariant,
    held_quantity,
    shop_config,
)
from shop.exceptions import NotPurchasable
from shop.money import Money
from shop.purchasable import Purchasable, register, resolve

KIND = "variant"


class VariantPurchasable(Purchasable):
    """A product variant in the cart/order. Stock is guarded by the variant row's lock."""

    kind = KIND

    def __init__(self, variant, options: Mapping[str, Any] | None = None, currency: str | None = None):
        product = variant.product
        self.variant = variant
        self.key = str(variant.pk)
        self.options = dict(options or {})
        self.title = f"{product.title} – {variant.name}" if variant.name else product.title
        self.product_title = product.title
        self.variant_name = variant.name
        self.sku = variant.sku
        self.unit_price = Money(variant.price, currency or shop_config().currency)
        self.requires_shipping = product.kind == product.Kind.PHYSICAL
        self.max_quantity = 99
        self.scopes = {"product": {product.pk}, "category": {product.category_id} if product.category_id else set()}
        self.product = product
        self.image = None

    @property
    def url(self) -> str:
        return self.product.url or ""

    def lock_order(self) -> tuple:
        return (self.kind, int(self.key))

    def available(self) -> int | None:
        if self.variant.stock is None:
            return None
        return max(self.variant.stock - held_quantity(self.variant), 0)

    def lock(self) -> None:

        locked = ProductVariant.objects.select_for_update().filter(pk=self.variant.pk, active=True).first()
        if locked is None:
            raise NotPurchasable(detail=f"variant {self.key} gone or inactive")
        self.variant.stock = locked.stock
        self.variant.price = locked.price

    def hold(self, line, quantity, expires_at) -> None:
        stock.hold(self.variant, line, quantity, expires_at)

    def release(self, line) -> None:
        stock.release(line)

    def on_paid(self, line) -> None:

        locked = ProductVariant.objects.select_for_update().get(pk=self.variant.pk)
        stock.convert_hold(locked, line)

    def on_refunded(self, line, quantity) -> None:
        """Restock ``quantity`` units (only call it when staff chose to restock)."""
        locked = ProductVariant.objects.select_for_update().get(pk=self.variant.pk)
        stock.restock(locked, quantity)

    def describe(self) -> str:
        return ""  # the title already names the variant ("Macaron box – Box of 12")


def _variant_queryset():
    return ProductVariant.objects.select_related("product", "product__category")


def _wrap(variant, options=None, currency=None) -> VariantPurchasable:
    product = variant.product
    if not variant.active or not product.live:
        raise NotPurchasable(detail=f"variant {variant.pk} inactive or product unpublished")
    return VariantPurchasable(variant, options, currency)


@register(KIND)
def resolve_variant(key: str, options: Mapping[str, Any]) -> VariantPurchasable:
    """``key`` is the variant's pk. Inactive variants and unpublished products are not purchasable."""
    pk = parsing.optional_id(key)
    if pk is None:
        raise NotPurchasable(detail=f"bad variant key {key!r}")
    variant = _variant_queryset().filter(pk=pk).first()
    if variant is None:
        raise NotPurchasable(detail=f"no variant {key}")
    return _wrap(variant, options)


CART_THUMBNAIL = "fill-160x160-c100|format-webp"


def _attach_images(purchasables: list) -> None:
    """Set ``image`` (the product's first gallery picture) on variant purchasables: 2 queries."""
    variants = [p for p in purchasables if isinstance(p, VariantPurchasable)]
    if not variants:
        return
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CART_THUMBNAIL)
    first = {}
    for item in (
        ProductImage.objects.filter(product_id__in={p.product.pk for p in variants})
        .select_related("image")
        .prefetch_related(Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions"))
        .order_by("product_id", "sort_order", "pk")
    ):
        first.setdefault(item.product_id, item.image)
    for p in variants:
        p.image = first.get(p.product.pk)


def resolve_many(
    items: Iterable[tuple[str, str, Mapping[str, Any]]], *, with_images: bool = False
) -> list[Purchasable | NotPurchasable]:
    """Resolve many ``(kind, key, options)`` at once, in order; a failure is returned, not raised.

    Variants take one query in all; ``with_images`` adds two for cart thumbnails.
    """

    items = list(items)
    keys = {parsing.optional_id(k) for kind, k, _o in items if kind == KIND} - {None}
    variants = {}
    if keys:
        variants = {v.pk: v for v in _variant_queryset().filter(pk__in=keys)}
    currency = shop_config().currency
    result = []
    for kind, key, options in items:
        try:
            if kind == KIND:
                variant = variants.get(parsing.optional_id(key))
                if variant is None:
                    raise NotPurchasable(detail=f"no variant {key}")
                result.append(_wrap(variant, options, currency))
            else:
                result.append(resolve(kind, key, options))
        except NotPurchasable as exc:
            result.append(exc)
    if with_images:
        _attach_images(result)
    return result
