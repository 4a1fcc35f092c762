"""schema.org ``Product`` for a product page, following Google's product guides.

- Product snippets (developers.google.com/search/docs/appearance/structured-data/product-snippet):
  ``name``, ``image``, ``description``, ``brand``, ``sku``, ``offers`` (``price`` as a decimal
  string, ``priceCurrency`` ISO 4217, ``availability``), and ``aggregateRating`` / ``review``
  only from approved testimonials that carry a rating (marketing.reviews).
- Merchant listings (…/merchant-listing): each offer's ``shippingDetails`` (one
  ``OfferShippingDetails`` per active shipping method that delivers to an address; digital
  products ship free) and ``hasMerchantReturnPolicy`` (from the shop settings' country,
  return days and free returns).
"""

from __future__ import annotations

from django.core.cache import cache

from base import seo
from base.cache import cache_seconds, content_version
from marketing.reviews import review_structured_data
from shop.catalogue.models import shop_config
from shop.models.orders import ShippingMethod
from shop.money import Money

SCHEMA = "https://schema.org/"


def shipping_methods() -> list[tuple[str, int]]:
    """``(name, price in minor units)`` of the active methods that deliver to an address (cached
    per content version: no query on a warm page)."""
    key = f"shop:shipping-methods:{content_version()}"
    methods = cache.get(key)
    if methods is None:
        methods = list(
            ShippingMethod.objects.filter(active=True, requires_address=True)
            .order_by("sort_order", "name")
            .values_list("name", "price")
        )
        cache.set(key, methods, cache_seconds())
    return methods


def shipping_details(digital: bool) -> list[dict]:
    """``OfferShippingDetails`` per shipping method (one free one for a digital product)."""
    config = shop_config()
    destination = {"@type": "DefinedRegion", "addressCountry": config.country}
    methods = [("Download", 0)] if digital else shipping_methods()
    return [
        {
            "@type": "OfferShippingDetails",
            "name": name,
            "shippingRate": {
                "@type": "MonetaryAmount",
                "value": str(Money(price, config.currency).decimal),
                "currency": config.currency,
            },
            "shippingDestination": destination,
        }
        for name, price in methods
    ]


def return_policy(digital: bool) -> dict:
    """``MerchantReturnPolicy`` from the shop settings (downloads cannot be returned)."""
    config = shop_config()
    policy = {"@type": "MerchantReturnPolicy", "applicableCountry": config.country}
    if digital or not config.return_days:
        policy["returnPolicyCategory"] = SCHEMA + "MerchantReturnNotPermitted"
        return policy
    policy.update(
        {
            "returnPolicyCategory": SCHEMA + "MerchantReturnFiniteReturnWindow",
            "merchantReturnDays": config.return_days,
            "returnMethod": SCHEMA + "ReturnByMail",
            "returnFees": SCHEMA + ("FreeReturn" if config.free_returns else "ReturnFeesCustomerResponsibility"),
        }
    )
    return policy


def product_data(page, request=None) -> dict:
    """The ``Product`` object for ``page`` (a ProductPage whose context was built, so its
    ``gallery`` and ``sellable_variants`` are loaded)."""
    url = seo.page_url(page, request)
    currency = page.currency
    digital = not page.requires_shipping
    shipping, returns = shipping_details(digital), return_policy(digital)
    offers = [
        {
            "@type": "Offer",
            "name": v.name,
            "sku": v.sku,
            "price": str(Money(v.price, currency).decimal),
            "priceCurrency": currency,
            "availability": SCHEMA + ("InStock" if v.is_available else "OutOfStock"),
            "itemCondition": SCHEMA + "NewCondition",
            "url": url,
            "shippingDetails": shipping,
            "hasMerchantReturnPolicy": returns,
        }
        for v in page.sellable_variants
    ]
    brand = seo.publisher(page, request)
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "description": page.seo_description,
        "url": url,
        "brand": {"@type": "Brand", "name": brand["name"]},
    }
    if page.category_id:
        product["category"] = page.category.name
    images = [  # the gallery's own rendition (prefetched with the page: no query)
        seo.image_url(item.image, "fill-1200x900-c100|format-webp", request)
        for item in getattr(page, "gallery", None) or []
    ]
    if not images and page.seo_image is not None:
        images = [seo.image_url(page.seo_image, "fill-1200x900-c100|format-jpeg", request)]
    if images:
        product["image"] = images
    if len(offers) == 1:
        product["sku"] = offers[0]["sku"]
        product["offers"] = offers[0]
    elif offers:
        product["offers"] = offers
    product.update(review_structured_data(page.pk))
    return product
