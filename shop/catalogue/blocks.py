"""StreamField blocks that place products on any page ("product grid", "featured product").

No model import at module level (home.streams imports this module while models load): page
and snippet choosers take "app.Model" strings, and queries happen in ``get_context``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from base import navigation, page_cache
from shop.catalogue.pages import ProductPage, record_cache_dependencies, shop_index_url


class ProductGridBlock(blocks.StructBlock):
    """A grid of product cards: the chosen products, else the newest of a category, else the newest."""

    heading = blocks.CharBlock(required=False, max_length=120)
    text = blocks.TextBlock(required=False, max_length=300)
    products = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="shop.ProductPage"),
        default=[],
        required=False,
        help_text=_("Pick products, or leave empty to show a category."),
    )
    category = SnippetChooserBlock("shop.Category", required=False)
    count = blocks.IntegerBlock(default=4, min_value=1, max_value=24, help_text=_("How many cards at most."))
    link_text = blocks.CharBlock(required=False, max_length=60, help_text=_('E.g. "See all macarons".'))

    class Meta:
        icon = "list-ul"
        label = _("Product grid")
        template = "blocks/product_grid.html"

    def get_context(self, value, parent_context=None):
        """Adds ``products``: live public products ready for cards (constant number of queries)."""
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        count = value.get("count") or 4
        qs = navigation.public(ProductPage.objects.live())
        chosen = [p.pk for p in value.get("products") or [] if p]
        category = value.get("category")
        if chosen:
            by_pk = {p.pk: p for p in qs.filter(pk__in=chosen).for_listing()}
            products = [by_pk[pk] for pk in chosen if pk in by_pk][:count]
        else:
            if category:
                qs = qs.filter(category=category)
            products = list(qs.for_listing().order_by("-first_published_at", "path")[:count])
            page_cache.depends_on(request, "type:shop.productpage")  # a new product may join the grid
        record_cache_dependencies(request, products)
        context["products"] = products
        context["more_url"] = ""
        index_url = shop_index_url() if value.get("link_text") else ""
        if index_url:
            context["more_url"] = index_url + (f"?category={category.slug}" if category else "")
        return context


class FeaturedProductBlock(blocks.StructBlock):
    """One product shown large, with its picture, price and a button."""

    product = blocks.PageChooserBlock(
        page_type="shop.ProductPage", required=False, help_text=_("Nothing is shown until a product is chosen.")
    )
    heading = blocks.CharBlock(required=False, max_length=120, help_text=_("Defaults to the product's title."))
    text = blocks.TextBlock(required=False, max_length=400, help_text=_("Defaults to the product's intro."))
    button_text = blocks.CharBlock(required=False, max_length=40, default="Shop now")

    class Meta:
        icon = "pick"
        label = _("Featured product")
        template = "blocks/featured_product.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        chosen = value.get("product")
        product = None
        if chosen:
            product = navigation.public(ProductPage.objects.live()).filter(pk=chosen.pk).for_listing().first()
        record_cache_dependencies((parent_context or {}).get("request"), [product])
        context["product"] = product
        return context
