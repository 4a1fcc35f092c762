"""Petit Four demo content for the shop: categories, the "Shop" listing, ten products with
variants and pictures, two shipping methods, shop settings, and product blocks on the home page.
Called by ``manage.py load_demo`` after ``home.demo``.

Idempotent: categories, shipping methods and images are looked up by slug/name/title, pages by
slug under their parent; existing rows are left as they are (stock already sold is not reset),
and the home page gets its product blocks only if it has none yet.
"""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from demo.images import draw
from shop.models import (
    Category,
    ProductImage,
    ProductIndexPage,
    ProductPage,
    ProductVariant,
    ShippingMethod,
    ShopSettings,
)

CATEGORIES = [
    ("macarons", "Macarons", "Crisp shells, soft ganache: boxes of 6, 12 or 24."),
    ("cakes", "Cakes & tarts", "Whole cakes and tarts for the table, to order the day before."),
    ("gifts", "Gifts", "Gift sets and gift cards for the pastry lovers in your life."),
]

# slug, title, category, intro, [(motif, palette)], [(variant name, SKU, price, stock, compare_at)], paragraphs
PRODUCTS = [
    (
        "classic-macaron-box",
        "Classic macaron box",
        "macarons",
        "Our six house flavours — vanilla, chocolate, raspberry, pistachio, lemon and salted caramel.",
        [("macarons", "rose"), ("macarons", "butter"), ("gift", "rose")],
        [
            ("Box of 6", "MAC-CLASSIC-6", 1450, 40, None),
            ("Box of 12", "MAC-CLASSIC-12", 2600, 25, None),
            ("Box of 24", "MAC-CLASSIC-24", 4800, 8, None),
        ],
        [
            "Baked every morning in our Croix-Rousse kitchen with almond flour, free-range egg whites and "
            "ganaches made from real fruit and Valrhona chocolate.",
            "Keeps five days in the fridge. Take the box out 20 minutes before tasting.",
        ],
    ),
    (
        "pistachio-raspberry-macarons",
        "Pistachio & raspberry",
        "macarons",
        "Sicilian pistachio paired with a tart raspberry heart. Our bestseller since 2014.",
        [("macarons", "pistachio"), ("macarons", "rose")],
        [("Box of 6", "MAC-PISRAS-6", 1550, 30, None), ("Box of 12", "MAC-PISRAS-12", 2800, 18, None)],
        ["A pistachio shell, a pistachio ganache and a spoonful of raspberry jam in the middle."],
    ),
    (
        "rose-lychee-macarons",
        "Rose & lychee",
        "macarons",
        "Delicate rose petal ganache with lychee — the flavour of our wedding towers.",
        [("macarons", "lavender")],
        [("Box of 6", "MAC-ROSE-6", 1550, 20, None), ("Box of 12", "MAC-ROSE-12", 2800, 12, None)],
        ["Natural rose water from Grasse and lychee purée, in a pale pink shell."],
    ),
    (
        "salted-caramel-macarons",
        "Salted caramel",
        "macarons",
        "Caramel made with Guérande salted butter. Back next week!",
        [("macarons", "chocolate")],
        [("Box of 12", "MAC-CARAMEL-12", 2700, 0, None)],
        ["Our caramel cooks slowly to a deep amber before we whisk in the butter."],
    ),
    (
        "opera-cake",
        "Opéra cake",
        "cakes",
        "Layers of almond joconde, coffee syrup, buttercream and dark chocolate glaze.",
        [("cake", "chocolate"), ("cake", "butter")],
        [("For 4", "CAKE-OPERA-4", 2800, 6, None), ("For 8", "CAKE-OPERA-8", 4800, 4, None)],
        [
            "Seven thin layers, glazed with 70% chocolate and finished with gold leaf.",
            "Order before 4 pm for the next day.",
        ],
    ),
    (
        "lemon-meringue-tart",
        "Lemon meringue tart",
        "cakes",
        "Crisp sablé, tangy Menton lemon curd and a cloud of torched Italian meringue.",
        [("tart", "butter")],
        [("For 6", "TART-LEMON-6", 3200, 5, None)],
        ["Serves six generously. Best eaten on the day."],
    ),
    (
        "strawberry-fraisier",
        "Strawberry fraisier",
        "cakes",
        "Genoise, vanilla mousseline and Gariguette strawberries from the Rhône valley.",
        [("cake", "rose"), ("tart", "rose")],
        [("For 6", "CAKE-FRAISIER-6", 3800, 4, 4200), ("For 10", "CAKE-FRAISIER-10", 5600, 2, None)],
        ["A spring classic: the strawberries stand in a ring around the cake."],
    ),
    (
        "chocolate-eclairs",
        "Chocolate éclairs",
        "cakes",
        "Choux pastry filled with dark chocolate crémeux. A box of four.",
        [("croissant", "chocolate")],
        [("Box of 4", "ECLAIR-CHOC-4", 1600, 15, None)],
        ["Filled to order, so the choux stays crisp."],
    ),
    (
        "macaron-tasting-set",
        "Macaron tasting set",
        "gifts",
        "24 macarons in 12 flavours, in our lavender gift box with a tasting card.",
        [("gift", "lavender"), ("macarons", "lavender")],
        [("Gift set", "GIFT-TASTING-24", 3900, 10, 4500)],
        ["Tied with a silk ribbon; add a handwritten note at checkout."],
    ),
    (
        "gift-card",
        "Petit Four gift card",
        "gifts",
        "A printed card to spend on pastries or a baking class, valid for one year.",
        [("gift", "pistachio")],
        [
            ("€25", "GIFTCARD-25", 2500, None, None),
            ("€50", "GIFTCARD-50", 5000, None, None),
            ("€100", "GIFTCARD-100", 10000, None, None),
        ],
        ["Collect it in the shop or have it delivered in a pistachio envelope."],
    ),
]

SHIPPING = [
    ("Click & collect", "Pick up at 12 rue d'Austerlitz, Lyon — ready in 2 hours.", 0, False, 1),
    ("Local delivery", "Lyon and Villeurbanne, delivered the next morning.", 690, True, 2),
]


def _image(title: str, motif: str, palette: str, seed: int):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = draw(motif, palette, (1200, 900), seed=seed)
    img = Image(title=title, description=title, file=ImageFile(io.BytesIO(data), name=f"shop-{seed}-{motif}.jpg"))
    img.save()
    return img


def _rich(*paragraphs):
    return [{"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}]


def _home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.specific if site else Page.get_first_root_node()


def build(stdout):
    """Create (once) the shop's demo content; see the module docstring."""
    home = _home()
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        ShopSettings.objects.get_or_create(
            site=site,
            # Returns: fresh food cannot be returned (the "Delivery & returns" page says so).
            defaults={
                "currency": "EUR",
                "hold_minutes": 30,
                "order_notification_email": "orders@petitfour.example",
                "country": "FR",
                "return_days": 0,
            },
        )

    for name, description, price, needs_address, order in SHIPPING:
        ShippingMethod.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "price": price,
                "requires_address": needs_address,
                "sort_order": order,
            },
        )

    categories = {}
    for i, (slug, name, description) in enumerate(CATEGORIES):
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": i}
        )

    index = ProductIndexPage.objects.child_of(home).filter(slug="shop").first()
    if index is None:
        index = ProductIndexPage(
            title="Shop",
            slug="shop",
            show_in_menus=True,
            per_page=12,
            intro="Macarons, cakes and gifts, made by hand in Lyon. Order online, collect in the shop or have them delivered.",
            search_description="Order macaron boxes, celebration cakes and gift sets from Petit Four, Lyon.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        stdout.write("  shop listing created")

    created = 0
    seed = 100
    for slug, title, category, intro, pictures, variants, paragraphs in PRODUCTS:
        seed += 1
        if ProductPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        page = ProductPage(
            title=title,
            slug=slug,
            intro=intro,
            category=categories[category],
            kind=ProductPage.Kind.PHYSICAL,
            description=_rich(*paragraphs),
            search_description=intro,
        )
        page.gallery_images = [
            ProductImage(image=_image(f"{title} {n + 1}", motif, palette, seed * 10 + n), sort_order=n)
            for n, (motif, palette) in enumerate(pictures)
        ]
        page.variants = [
            ProductVariant(name=name, sku=sku, price=price, stock=stock, compare_at_price=was, sort_order=n)
            for n, (name, sku, price, stock, was) in enumerate(variants)
            if not ProductVariant.objects.filter(sku=sku).exists()
        ]
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    if created:
        stdout.write(f"  {created} products created")

    _home_blocks(home)


def _home_blocks(home):
    """Append a featured product and a product grid to the home page body, once."""
    body = getattr(home, "body", None)
    if body is None:
        return
    present = {child.block_type for child in body}
    if {"product_grid", "featured_product"} & present:
        return
    featured = ProductPage.objects.filter(slug="classic-macaron-box").first()
    slugs = ["pistachio-raspberry-macarons", "opera-cake", "lemon-meringue-tart", "macaron-tasting-set"]
    by_slug = {p.slug: p for p in ProductPage.objects.filter(slug__in=slugs)}
    picks = [by_slug[slug] for slug in slugs if slug in by_slug]
    if featured is None:
        return
    blocks = [
        (
            "featured_product",
            {
                "product": featured,
                "heading": "The classic macaron box",
                "text": "Six house flavours, baked this morning. Choose 6, 12 or 24 — collect in Lyon or get them delivered.",
                "button_text": "Choose your box",
            },
        ),
        (
            "product_grid",
            {
                "heading": "Bestsellers",
                "text": "What our customers come back for.",
                "products": picks,
                "category": None,
                "count": 4,
                "link_text": "See the whole shop",
            },
        ),
    ]
    # Insert after the first block (usually an introduction) so products show early.
    position = 1 if len(body) else 0
    for offset, item in enumerate(blocks):
        body.insert(position + offset, item)
    revision = home.save_revision()
    revision.publish()
