"""Builders shared by the demo modules: demo images by title, rich text, StreamField block values,
links and an idempotent ``child`` (a page found by slug under its parent, or created)."""

import io

from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from demo.images import draw
from marketing.models import ContactFormField

# title -> (motif, palette, alt text)
IMAGES = {
    "Macaron tower": ("macarons", "rose", "A tower of pastel macarons"),
    "Wedding cake": ("cake", "pistachio", "A three-tier cake with pistachio drips and berries"),
    "Berry tart": ("tart", "butter", "A round tart topped with fresh berries"),
    "Gift box": ("gift", "lavender", "A lavender gift box tied with a ribbon, macarons beside it"),
    "Croissants and coffee": ("croissant", "peach", "Golden croissants next to a cup of coffee"),
    "Baking class": ("whisk", "chocolate", "A mixing bowl, whisk, eggs and a rolling pin"),
    "Our shop": ("storefront", "rose", "The Petit Four shop front with its striped awning"),
    "Rose wedding cake": ("cake", "rose", "A rose-pink wedding cake"),
    "Butter macarons": ("macarons", "butter", "Lemon and vanilla macarons"),
    "Pistachio gift box": ("gift", "pistachio", "A pistachio-green gift box"),
    # Square: the business logo in structured data (Google asks for at least 112 × 112 pixels).
    "Petit Four logo": ("macarons", "rose", "Petit Four"),
}

#: Drawing size per title (default 1440 × 900).
IMAGE_SIZES = {"Petit Four logo": (600, 600)}


def image(title):
    """The Wagtail image called ``title``, created from its Pillow drawing the first time."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    motif, palette, alt = IMAGES[title]
    data = draw(motif, palette, IMAGE_SIZES.get(title, (1440, 900)), seed=len(title))
    filename = title.lower().replace(" ", "-") + ".jpg"
    img = Image(title=title, description=alt, file=ImageFile(io.BytesIO(data), name=filename))
    img.save()
    return img


def rich(*paragraphs):
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


def block(kind, value):
    return {"type": kind, "value": value}


def h2(text):
    return block("heading", {"text": text, "level": "h2"})


def link(page=None, url="", label=""):
    return {"page": page.pk if page else None, "link_url": url, "label": label}


def img_value(title, caption="", width="content"):
    img = image(title)
    return {
        "image": {"image": img.pk, "decorative": False, "alt_text": img.description},
        "caption": caption,
        "width": width,
    }


def child(parent, model, slug, **fields):
    """The ``model`` page ``slug`` under ``parent``: existing one untouched, else created and published.

    Returns ``(page, created)``.
    """
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    tags = fields.pop("tags", None)
    form_fields = fields.pop("form_fields", None)
    page = model(slug=slug, **fields)
    if tags:
        page.tags.add(*tags)
    if form_fields:
        page.form_fields = [ContactFormField(sort_order=i, **f) for i, f in enumerate(form_fields)]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True
