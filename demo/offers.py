"""Demo content for offers and digital downloads (``load_demo`` runs it after ``shop.demo``).

- Two digital products in an "E-books & lessons" category, each with a private file:
  a 4-page recipe e-book PDF drawn with Pillow at build time, and a short MP3 audio lesson
  (``demo/assets/piping-rhythm-lesson.mp3``, 64 KB, 16 s: a metronome with a melody for
  piping practice — generated once with the LAME encoder, shipped because MP3 encoding is not
  among the project's packages).
- The season's offer (``WINTER10`` in December: 10 % off the whole order, once per customer, from
  the day the demo is loaded for four weeks) and its "Winter sale"
  offer page under the home page; an automatic, combinable offer: €5 off orders of €60 or more.
- An offer banner on the home page (added once).

Idempotent: categories, products, offers, images and pages are looked up by slug / SKU / code /
name / title; a file is uploaded only if its product has none yet.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from demo.images import draw
from home.models import OfferPage
from home.streams import PageStreamBlock
from shop.models import (
    Category,
    DigitalAsset,
    Offer,
    ProductImage,
    ProductIndexPage,
    ProductPage,
    ProductVariant,
)

ASSETS = Path(__file__).resolve().parent / "assets"

DIGITAL = [
    # slug, title, intro, SKU, price, motif, palette, asset title, file name, paragraphs
    (
        "macaron-recipe-e-book",
        "Macaron masterclass e-book",
        "Our chef's macaron method in 4 pages: shells, ganaches and the six house flavours. PDF, instant download.",
        "EBOOK-MACARON",
        1200,
        "macarons",
        "lavender",
        "Macaron masterclass (PDF)",
        "macaron-masterclass.pdf",
        [
            "The recipe we teach in our Saturday classes, written down step by step: Italian meringue, "
            "macaronage, piping and resting, then ganaches for vanilla, chocolate, raspberry, pistachio, lemon "
            "and salted caramel.",
            "A PDF you can print or keep on your tablet. Download it from “My downloads” right after payment.",
        ],
    ),
    (
        "piping-rhythm-audio-lesson",
        "Piping rhythm audio lesson",
        "Sixteen seconds of steady tempo to pipe even macaron shells — press play, pipe one shell per beat.",
        "AUDIO-PIPING",
        500,
        "whisk",
        "peach",
        "Piping rhythm lesson (MP3)",
        "piping-rhythm-lesson.mp3",
        [
            "Even shells come from an even rhythm. This short audio lesson gives you a metronome and a melody "
            "at 72 beats per minute: squeeze on the beat, lift on the off-beat.",
            "An MP3 for your phone or kitchen speaker, available in “My downloads” right after payment.",
        ],
    ),
]


def _font(size: int, bold: bool = False):
    for name in (("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"),):
        for folder in ("/usr/share/fonts/truetype/dejavu",):
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def _wrap(draw, text, font, width):
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


EBOOK_PAGES = [
    (
        "Shells",
        [
            "150 g almond flour, 150 g icing sugar, sifted together.",
            "55 g egg whites mixed into the almonds to a paste.",
            "Italian meringue: 150 g sugar and 40 g water to 118 °C, poured on 55 g whites.",
            "Fold (macaronage) until the batter flows like lava, about 40 strokes.",
            "Pipe 3.5 cm rounds, tap the tray, rest 30 minutes, bake 14 minutes at 150 °C.",
        ],
    ),
    (
        "Ganaches",
        [
            "Vanilla: 200 g white chocolate, 100 g cream, one Tahitian vanilla pod.",
            "Chocolate: 150 g dark chocolate 66 %, 150 g cream, 30 g butter.",
            "Raspberry: 200 g white chocolate, 120 g raspberry purée.",
            "Pistachio: 180 g white chocolate, 90 g cream, 40 g pistachio paste.",
            "Rest the ganaches overnight in the fridge, covered.",
        ],
    ),
    (
        "Assembly",
        [
            "Pair shells of the same size, pipe a generous dot of ganache.",
            "Press gently until the filling reaches the edge.",
            "Mature 24 hours in the fridge: the shells soften and the flavours marry.",
            "Serve at room temperature, 20 minutes out of the fridge.",
            "Keeps five days refrigerated, one month frozen.",
        ],
    ),
]


def ebook_pdf() -> bytes:
    """A 4-page A5 PDF (cover + 3 recipe pages) drawn with Pillow; about 150 KB."""
    size = (874, 1240)  # A5 at 150 dpi
    raspberry, ink, muted, cream = (178, 74, 107), (43, 29, 23), (107, 90, 82), (255, 250, 245)
    cover = Image.open(io.BytesIO(draw("macarons", "rose", size, seed=7))).convert("RGB")
    d = ImageDraw.Draw(cover)
    d.rectangle((0, 820, size[0], size[1]), fill=cream)
    d.text((70, 860), "PETIT FOUR", font=_font(30, True), fill=raspberry)
    d.text((70, 910), "Macaron", font=_font(84, True), fill=ink)
    d.text((70, 1005), "masterclass", font=_font(84, True), fill=ink)
    d.text((70, 1130), "The six house flavours, step by step", font=_font(30), fill=muted)
    pages = []
    for n, (title, steps) in enumerate(EBOOK_PAGES, start=2):
        page = Image.new("RGB", size, cream)
        d = ImageDraw.Draw(page)
        d.rectangle((0, 0, size[0], 16), fill=raspberry)
        d.text((70, 80), f"{n - 1:02d}", font=_font(40, True), fill=raspberry)
        d.text((70, 140), title, font=_font(70, True), fill=ink)
        y = 280
        for i, step in enumerate(steps, start=1):
            d.ellipse((70, y + 2, 112, y + 44), fill=raspberry)
            d.text((91, y + 23), str(i), font=_font(26, True), fill=(255, 255, 255), anchor="mm")
            for line in _wrap(d, step, _font(32), size[0] - 210):
                d.text((140, y), line, font=_font(32), fill=ink)
                y += 46
            y += 34
        d.text((70, size[1] - 90), f"Petit Four · Macaron masterclass · page {n}", font=_font(22), fill=muted)
        pages.append(page)
    out = io.BytesIO()
    cover.save(
        out,
        format="PDF",
        save_all=True,
        append_images=pages,
        resolution=150,
        quality=80,
        title="Macaron masterclass",
        author="Petit Four",
    )
    return out.getvalue()


def _file_bytes(name: str) -> bytes:
    return ebook_pdf() if name.endswith(".pdf") else (ASSETS / name).read_bytes()


def _image(title, motif, palette, seed):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = draw(motif, palette, (1200, 900), seed=seed)
    image = Image(title=title, description=title, file=ImageFile(io.BytesIO(data), name=f"offers-{seed}-{motif}.jpg"))
    image.save()
    return image


def _home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.specific if site else Page.get_first_root_node()


def _digital_products(stdout):
    index = ProductIndexPage.objects.filter(slug="shop").first() or ProductIndexPage.objects.first()
    if index is None:
        stdout.write("  no shop listing: digital products skipped")
        return []
    category, _ = Category.objects.get_or_create(
        slug="e-books-lessons",
        defaults={
            "name": "E-books & lessons",
            "sort_order": 9,
            "description": "Recipes and lessons to download and keep.",
        },
    )
    products = []
    for seed, (slug, title, intro, sku, price, motif, palette, asset_title, filename, paragraphs) in enumerate(
        DIGITAL, start=300
    ):
        page = ProductPage.objects.filter(slug=slug).first()
        if page is None:
            page = ProductPage(
                title=title,
                slug=slug,
                intro=intro,
                category=category,
                kind=ProductPage.Kind.DIGITAL,
                description=[{"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}],
                search_description=intro,
            )
            page.gallery_images = [ProductImage(image=_image(title, motif, palette, seed), sort_order=0)]
            if not ProductVariant.objects.filter(sku=sku).exists():
                page.variants = [ProductVariant(name="", sku=sku, price=price, stock=None, sort_order=0)]
            index.add_child(instance=page)
            page.save_revision().publish()
            stdout.write(f"  digital product {title!r} created")
        if not DigitalAsset.objects.filter(product=page).exists():
            asset = DigitalAsset(product=page, title=asset_title, filename=filename)
            asset.file.save(filename, ContentFile(_file_bytes(filename)), save=False)
            asset.save()
        products.append(page)
    return products


#: (first month, season) in the northern hemisphere; December–February is winter.
SEASONS = [(3, "Spring"), (6, "Summer"), (9, "Autumn"), (12, "Winter")]
#: How long the demo's seasonal sale runs from the day the demo is loaded.
SALE_DAYS = 28


def season(today: datetime.date) -> str:
    """The season ``today`` falls in ("Winter" for December to February)."""
    name = "Winter"
    for first_month, season_name in SEASONS:
        if today.month >= first_month:
            name = season_name
    return name


def _offers():
    """The seasonal sale (code e.g. ``WINTER10``) dated from today for :data:`SALE_DAYS` days, so
    the demo never advertises a past season; and the automatic €5 off orders over €60."""
    now = timezone.localtime()
    name = season(now.date())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    spring, _ = Offer.objects.update_or_create(
        code=f"{name.upper()}10",
        defaults={
            "name": f"{name} sale",
            "valid_from": start,
            "valid_until": start + datetime.timedelta(days=SALE_DAYS),
            "discount_type": Offer.DiscountType.PERCENT,
            "percent": 10,
            "amount_off": None,
            "scope": Offer.Scope.ORDER,
            "max_uses_per_customer": 1,
            "active": True,
        },
    )
    Offer.objects.update_or_create(
        name="€5 off orders over €60",
        code="",
        defaults={
            "discount_type": Offer.DiscountType.AMOUNT,
            "amount_off": 500,
            "percent": None,
            "minimum_order": 6000,
            "scope": Offer.Scope.ORDER,
            "combinable": True,
            "active": True,
        },
    )
    return spring


def _offer_page(home, spring, products):
    name = spring.name.split()[0]  # the season
    slug = f"{name.lower()}-sale"
    page = OfferPage.objects.child_of(home).filter(slug=slug).first()
    if page is not None:
        return page
    body = [
        {
            "type": "paragraph",
            "value": (
                f"<h2>Ten percent off the whole shop</h2><p>{name} is here and so are our seasonal flavours. "
                f"Use the code <b>{spring.code}</b> in your cart on "
                "macaron boxes, cakes, gift sets — and on our downloadable e-book and audio lesson.</p>"
                "<p>Ordering for a party? Orders of €60 or more also get <b>€5 off</b> automatically, on top of "
                "the code.</p>"
            ),
        },
    ]
    grid_products = list(ProductPage.objects.filter(slug__in=["classic-macaron-box", "pistachio-raspberry-macarons"]))

    if "product_grid" in PageStreamBlock.base_blocks and grid_products + products:
        body.append(
            {
                "type": "product_grid",
                "value": {
                    "heading": "Treats in the sale",
                    "text": "",
                    "products": [p.pk for p in (grid_products + products)[:4]],
                    "category": None,
                    "count": 4,
                    "link_text": "See the whole shop",
                },
            }
        )
    page = OfferPage(
        title=f"{name} sale",
        slug=slug,
        offer=spring,
        show_in_menus=False,
        hero_title=f"{name} sale: 10% off everything",
        hero_text="Macarons, cakes, gifts, e-books and lessons — enter the code in your cart.",
        hero_image=_image("Spring sale macarons", "macarons", "pistachio", 321),
        body=body,
        terms=(
            "<ul><li>10% off the items in your order, once per customer.</li>"
            "<li>Cannot be combined with another code; stacks with our automatic €5 off orders over €60.</li>"
            "<li>Delivery fees are not discounted.</li></ul>"
        ),
        search_description=f"Petit Four {name.lower()} sale: 10% off macarons, cakes, gifts and e-books with the code "
        f"{spring.code}.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _home_banner(home, offer_page):
    body = getattr(home, "body", None)
    if body is None or any(child.block_type == "offer_banner" for child in body):
        return
    body.insert(
        0,
        (
            "offer_banner",
            {
                "page": offer_page,
                "headline": f"{offer_page.title}: 10% off everything",
                "text": "Macarons, cakes, gifts and e-books — until "
                + date_format(timezone.localtime(offer_page.specific.offer.valid_until), "j F")
                + ".",
                "button_label": "See the offer",
                "style": "raspberry",
            },
        ),
    )
    home.save_revision().publish()


def build(stdout):
    """Create (once) the offers and downloads demo content; see the module docstring."""
    home = _home()
    products = _digital_products(stdout)
    spring = _offers()
    offer_page = _offer_page(home, spring, products)
    _home_banner(home, offer_page)
    stdout.write(f"  offers: {spring.code}, €5 off over €60, '{offer_page.title}' page, 2 digital products")
