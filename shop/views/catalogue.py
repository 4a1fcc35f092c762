"""Catalogue helpers; product listing and product pages themselves are Wagtail pages (shop.models)."""

from django.http import Http404
from django.shortcuts import redirect

from shop.catalogue.models import ProductVariant


def product_by_sku(request, sku):
    """``/shop/sku/<SKU>/`` → the live product page selling that SKU (for QR codes, staff links); 404 otherwise."""
    variant = ProductVariant.objects.select_related("product").filter(sku__iexact=sku, product__live=True).first()
    if variant is None or not variant.product.url:
        raise Http404("No product with this SKU")
    return redirect(variant.product.url)
