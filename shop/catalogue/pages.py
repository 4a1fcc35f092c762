"""Catalogue pages: the product listing (filters, sort, pagination) and the product page.

Prices are integers in minor units of the shop currency; the sellable units are the product's
:class:`~shop.catalogue.models.ProductVariant` rows.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from base import navigation, page_cache, parsing, request_memo
from base.blocks import BasicStreamBlock
from base.models.pages import BasePage
from base.navigation import VERSION_KEY
from shop.catalogue import structured_data
from shop.catalogue.models import (
    Category,
    ProductImage,
    ProductVariant,
    held_quantity,
    live_holds_subquery,
    next_hold_expiry_subquery,
    shop_config,
)
from shop.money import Money

__all__ = ["CARD_RENDITIONS", "GALLERY_RENDITIONS", "ProductIndexPage", "ProductPage", "shop_index_url"]


class ProductIndexPage(BasePage):
    """The shop listing: category filter (``?category=slug``), sort (``?sort=``), pagination."""

    intro = models.TextField(blank=True)
    per_page = models.PositiveSmallIntegerField(default=12)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    subpage_types = ["shop.ProductPage"]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    SORTS = {
        "": ("path", _("Featured")),
        "price": ("min_price", _("Price: low to high")),
        "-price": ("-min_price", _("Price: high to low")),
        "name": ("title", _("Name")),
        "newest": ("-first_published_at", _("Newest")),
    }

    class Meta:
        verbose_name = _("product listing")

    def get_products(self):
        """Live public products under this page, ready for cards (constant number of queries)."""
        return navigation.public(ProductPage.objects.child_of(self).live()).for_listing()

    def get_context(self, request, *args, **kwargs):
        """Adds ``products`` (a page of cards), ``categories``, ``category``, ``sort``, ``sorts``."""
        context = super().get_context(request, *args, **kwargs)
        products = self.get_products()
        categories = list(Category.objects.all())
        slug = parsing.slug(request.GET.get("category"))
        category = next((c for c in categories if c.slug == slug), None) if slug else None
        if category:
            products = products.filter(category=category)
        sort = parsing.choice(request.GET.get("sort"), self.SORTS, default="")
        products = products.order_by(self.SORTS[sort][0], "path")
        paginator = Paginator(products, self.per_page or 12)
        try:
            page_obj = paginator.page(parsing.page_number(request.GET.get("page")))
        except EmptyPage:
            page_obj = paginator.page(1)
        page_cache.depends_on(request, "type:shop.productpage")
        record_cache_dependencies(request, page_obj.object_list)
        context.update(
            products=page_obj,
            categories=categories,
            category=category,
            sort=sort,
            sorts=[(key, label) for key, (_field, label) in self.SORTS.items()],
        )
        return context


def shop_index_url() -> str:
    """URL of the (first) live product listing, '' when there is none.

    Cached with the site's menu (``home.navigation``): the version part of the key changes
    whenever a page is published, unpublished, moved or deleted, so blocks linking to "the shop"
    cost no query on a warm page.
    """

    return request_memo.memo("shop:index-url", _load_shop_index_url)  # once per request


def _load_shop_index_url() -> str:
    key = f"shop:index-url:{cache.get_or_set(VERSION_KEY, 1, None)}"
    url = cache.get(key)
    if url is None:
        index = ProductIndexPage.objects.live().first()
        url = (index.url or "") if index else ""
        cache.set(key, url, 600)
    return url


def record_cache_dependencies(request, products) -> None:
    """Tell the page cache (:mod:`base.page_cache`) that ``products`` (listing-ready product
    pages) are shown: their ``page:<id>`` tags (purged when their stock or holds change) and the
    moment their first live hold lapses (availability grows then, with no signal)."""
    products = [p for p in products if p is not None]
    page_cache.depends_on(request, *(f"page:{p.pk}" for p in products))
    expiries = [v.hold_expires for p in products for v in p.sellable_variants if getattr(v, "hold_expires", None)]
    if expiries:
        page_cache.expires_at(request, min(expiries))


class ProductPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Annotate and prefetch what a product card needs: a constant number of queries."""
        return _listing_queryset(self)


def _listing_queryset(qs):
    first_price = ProductVariant.objects.filter(product=models.OuterRef("pk"), active=True).order_by("price")
    variants = (
        ProductVariant.objects.filter(active=True)
        .annotate(held=live_holds_subquery(), hold_expires=next_hold_expiry_subquery())
        .order_by("sort_order", "pk")
    )
    # Image joined to its gallery row, renditions prefetched: two queries for every card's picture.
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=CARD_RENDITIONS)
    images = ProductImage.objects.select_related("image").prefetch_related(
        models.Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
    return (
        qs.defer_streamfields()
        .select_related("category")
        .annotate(min_price=models.Subquery(first_price.values("price")[:1]))
        .prefetch_related(
            models.Prefetch("variants", queryset=variants, to_attr="active_variants"),
            models.Prefetch("gallery_images", queryset=images.order_by("sort_order", "pk"), to_attr="gallery"),
        )
    )


CARD_RENDITIONS = ("fill-480x360-c100|format-webp", "fill-960x720-c100|format-webp")
GALLERY_RENDITIONS = (
    "fill-800x600-c100|format-webp",
    "fill-1200x900-c100|format-webp",
    "fill-160x120-c100|format-webp",
)
#: The share picture wagtail-seo renders (``BasePage.seo_image_url``): prefetched with the gallery.
SEO_RENDITION = "fill-1200x630|format-jpeg"


class ProductPage(BasePage):
    """One product: intro, gallery, description, category, kind and its variants (the sellable units)."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("Physical (shipped or collected)")
        DIGITAL = "digital", _("Digital (downloaded)")

    intro = models.TextField(blank=True, help_text=_("One or two sentences shown on cards and at the top."))
    description = StreamField(BasicStreamBlock(), blank=True, use_json_field=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)

    objects = PageManager.from_queryset(ProductPageQuerySet)()

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("kind")]),
        FieldPanel("description"),
    ]
    edit_handler = BasePage.tabbed(
        (
            "Product",
            "Title, summary and description. The summary is also the search-engine description.",
            content_panels,
        ),
        (
            "Variants & prices",
            "Each variant is one thing a customer can buy (size, flavour) with its SKU, price and stock.",
            [InlinePanel("variants", label=_("Variant"), min_num=1)],
        ),
        (
            "Pictures",
            "The first picture is the product's main picture (cards, sharing, search results). 1200 × 900 or larger.",
            [InlinePanel("gallery_images", label=_("Image"))],
        ),
    )
    parent_page_types = ["shop.ProductIndexPage"]
    subpage_types = []
    route_select_related = ("category",)  # shown on the page and in its JSON-LD (BasePage.route)

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("description"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("variants", [index.SearchField("sku"), index.SearchField("name")]),
        index.FilterField("category"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("product")

    # -- what cards and the page show (computed here, never in templates) --------------------

    @cached_property
    def sellable_variants(self) -> list[ProductVariant]:
        """Active variants in editor order, each with ``held`` (units in live holds)."""
        if hasattr(self, "active_variants"):
            return self.active_variants
        variants = self.variants.all()
        if isinstance(variants, models.QuerySet):
            return list(
                variants.filter(active=True)
                .annotate(held=live_holds_subquery(), hold_expires=next_hold_expiry_subquery())
                .order_by("sort_order", "pk")
            )
        # A preview or an unsaved page: the variants are modelcluster's in-memory FakeQuerySet
        # (no annotate()); filter and sort in Python and count holds only for saved variants.
        rows = sorted((v for v in variants if v.active), key=lambda v: (v.sort_order or 0, v.pk or 0))
        for variant in rows:
            variant.held = held_quantity(variant) if variant.pk else 0
            variant.hold_expires = None  # a preview is never cached, so no expiry bounds its lifetime
        return rows

    @property
    def listing_image(self):
        gallery = self.gallery if hasattr(self, "gallery") else list(self.gallery_images.select_related("image"))
        return gallery[0].image if gallery else None

    @property
    def currency(self) -> str:
        return shop_config().currency

    @property
    def price_from(self) -> Money | None:
        """The lowest active variant price."""
        prices = [v.price for v in self.sellable_variants]
        return Money(min(prices), self.currency) if prices else None

    @property
    def price_varies(self) -> bool:
        """True when variants have different prices: cards then say "from €x"."""
        return len({v.price for v in self.sellable_variants}) > 1

    @property
    def sold_out(self) -> bool:
        """No active variant has a unit left (or there is no active variant at all)."""
        return not any(v.is_available for v in self.sellable_variants)

    @property
    def single_variant(self) -> ProductVariant | None:
        variants = self.sellable_variants
        return variants[0] if len(variants) == 1 else None

    @property
    def index_url(self) -> str:
        """The listing this product belongs to (from the breadcrumb ancestors: no extra query)."""
        ancestors = getattr(self, "breadcrumb_ancestors", None) or [self.get_parent()]
        return ancestors[-1].url or ""

    @property
    def default_variant(self) -> ProductVariant | None:
        """The variant pre-selected in the picker: the first one still available."""
        return next((v for v in self.sellable_variants if v.is_available), None)

    @property
    def on_sale(self) -> bool:
        return any(v.compare_at_money for v in self.sellable_variants)

    @property
    def requires_shipping(self) -> bool:
        return self.kind == self.Kind.PHYSICAL

    def with_content_json(self, content):
        """Stock is live data, not content: a revision (published now, or opened in the editor)
        keeps the database's stock for variants that already exist, so publishing an old draft
        can never undo sales. New variants keep the stock typed in the editor; later changes go
        through Shop → Stock (``shop.wagtail_hooks.StockViewSet``)."""
        obj = super().with_content_json(content)
        if self.pk:
            live = dict(ProductVariant.objects.filter(product_id=self.pk).values_list("pk", "stock"))
            for variant in obj.variants.all():
                if variant.pk in live:
                    variant.stock = live[variant.pk]
        return obj

    def get_context(self, request, *args, **kwargs):
        """Adds ``variants`` (active, with live holds counted) and ``gallery`` (renditions prefetched)."""
        context = super().get_context(request, *args, **kwargs)
        renditions = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec__in=GALLERY_RENDITIONS + (SEO_RENDITION,))
        )
        self.gallery = list(
            self.gallery_images.select_related("image")
            .prefetch_related(
                models.Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
            )
            .order_by("sort_order", "pk")
        )
        context["gallery"] = self.gallery
        context["variants"] = self.sellable_variants
        record_cache_dependencies(request, [self])
        return context

    @cached_property
    def seo_image(self):
        """The share picture: the SEO tab's image if set, else the first gallery picture (already
        loaded by :meth:`get_context`, no query), else the site's default."""
        gallery = getattr(self, "gallery", None)
        if self.og_image_id is None and gallery:
            return gallery[0].image
        return super().seo_image

    def get_structured_data(self, request=None) -> list[dict]:
        """A schema.org ``Product`` with one ``Offer`` per active variant (see
        :mod:`shop.catalogue.structured_data` for the properties and their sources)."""
        return super().get_structured_data(request) + [structured_data.product_data(self, request)]
