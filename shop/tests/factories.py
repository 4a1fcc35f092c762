"""Builders for shop tests (catalogue, cart, checkout) that other apps' tests may reuse.

- ``make_site()`` → the default site's root page (a HomePage if home's models allow, else a Page).
- ``make_shop_index(**kw)`` → a published ProductIndexPage under the site root.
- ``make_product(title=..., variants=[{...}], category=..., kind=..., image=True, **kw)`` →
  a published ProductPage; each variant dict takes ``name, sku, price, stock, active,
  compare_at_price`` (defaults: one "Box of 12" at 1800, stock 10).
- ``make_variant(**kw)`` → a ProductVariant of a new product (same keywords as a variant dict
  plus ``title``).
- ``make_category(name)``, ``make_shipping_method(name, price, requires_address)``,
  ``make_image(title, colour)``, ``make_cart(lines=[(variant, qty)], user=None)``,
  ``checkout_data(**overrides)`` (valid cleaned data for ``place_order``).
"""

from __future__ import annotations

import io
import itertools

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from shop.models import (
    Cart,
    CartLine,
    Category,
    ProductImage,
    ProductIndexPage,
    ProductPage,
    ProductVariant,
    ShippingMethod,
)

_seq = itertools.count(1)


def make_site():
    """The default site's root page, creating a tree when the test database has none."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site:
        return site.root_page.specific
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.get_children().first()
    if home is None:
        home = root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Petit Four")
    return home


def make_shop_index(slug: str = "shop", **kwargs) -> ProductIndexPage:
    existing = ProductIndexPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    home = make_site()
    index = ProductIndexPage(title=kwargs.pop("title", "Shop"), slug=slug, **kwargs)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_category(name: str = "Macarons") -> Category:
    category, _created = Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return category


def make_image(title: str = "Picture", colour=(244, 194, 194)):

    if Collection.get_first_root_node() is None:  # a test database built without migrations
        Collection.add_root(name="Root")

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{slugify(title)}.png"))


def make_product(
    title: str | None = None,
    *,
    variants: list[dict] | None = None,
    category: Category | None = None,
    kind: str = ProductPage.Kind.PHYSICAL,
    image: bool = False,
    parent: ProductIndexPage | None = None,
    **kwargs,
) -> ProductPage:
    """A published product page with variants (list of dicts; see the module docstring)."""
    n = next(_seq)
    title = title or f"Product {n}"
    page = ProductPage(
        title=title, slug=kwargs.pop("slug", f"{slugify(title)}-{n}"), category=category, kind=kind, **kwargs
    )
    specs = variants if variants is not None else [{}]
    page.variants = [
        ProductVariant(
            name=spec.get("name", "Box of 12"),
            sku=spec.get("sku", f"SKU-{n:04d}-{i}"),
            price=spec.get("price", 1800),
            stock=spec.get("stock", 10),
            active=spec.get("active", True),
            compare_at_price=spec.get("compare_at_price"),
            sort_order=i,
        )
        for i, spec in enumerate(specs)
    ]
    if image:
        page.gallery_images = [ProductImage(image=make_image(title), sort_order=0)]
    (parent or make_shop_index()).add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_variant(title: str | None = None, **spec) -> ProductVariant:
    """A variant of a new published product (``name, sku, price, stock, active`` like make_product)."""
    kind = spec.pop("kind", ProductPage.Kind.PHYSICAL)
    page = make_product(title, variants=[spec], kind=kind)
    return page.variants.get()


def make_shipping_method(name: str = "Local delivery", price: int = 500, requires_address: bool = True, **kw):
    method, _created = ShippingMethod.objects.update_or_create(
        name=name, defaults={"price": price, "requires_address": requires_address, **kw}
    )
    return method


def make_cart(lines=(), user=None, coupon_code: str = "") -> Cart:
    cart = Cart.objects.create(user=user, coupon_code=coupon_code)
    for variant, quantity in lines:
        CartLine.objects.create(
            cart=cart, purchasable_kind="variant", purchasable_key=str(variant.pk), quantity=quantity
        )
    return cart


def checkout_data(**overrides) -> dict:
    data = {
        "email": "camille@example.com",
        "name": "Camille Martin",
        "phone": "",
        "shipping_method": None,
        "address_line1": "",
        "address_line2": "",
        "city": "",
        "postcode": "",
        "country": "",
    }
    data.update(overrides)
    return data
