"""Builders for home's tests: a small page tree and tiny images (no demo, no network)."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from base.models import SiteSettings
from home.models import BlogIndexPage, BlogPage, HomePage, LandingPage, StandardPage
from marketing.models import ContactFormField, ContactPage


def ensure_root():
    """Wagtail's root page (created by its migrations; made here when tests skip migrations)."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


def make_image(title="Test image", size=(64, 48), color=(230, 150, 170)):
    """A Wagtail image of a plain colour, ``size`` pixels."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_site():
    """HomePage (the default Site's root) with one page of each home type below it.

    Returns a dict of the pages by name.
    """
    root = ensure_root()
    image = make_image()
    home = HomePage(
        title="Petit Four",
        slug="petit-four-test",
        hero_image=image,
        hero_heading="Fresh pastries",
        hero_text="Baked this morning.",
        hero_cta_text="Shop now",
        hero_cta_url="https://example.com/",
    )
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "port": 80, "site_name": "Petit Four"},
    )
    about = add(
        home,
        StandardPage(
            title="About us",
            slug="about",
            intro="Who we are.",
            show_in_menus=True,
            body=[{"type": "paragraph", "value": "<p>We bake.</p>"}],
        ),
    )
    landing = add(
        home,
        LandingPage(
            title="Gift boxes", slug="gift-boxes", body=[{"type": "heading", "value": {"text": "Boxes", "level": "h2"}}]
        ),
    )
    blog = add(home, BlogIndexPage(title="Journal", slug="journal", show_in_menus=True))
    post = BlogPage(
        title="Macaron secrets",
        slug="macaron-secrets",
        intro="Three habits.",
        author="Camille",
        lead_image=image,
        body=[{"type": "paragraph", "value": "<p>Age your whites.</p>"}],
    )
    post.tags.add("macarons")
    add(blog, post)
    contact = ContactPage(title="Contact", slug="contact", show_in_menus=True, subject="Website message")
    contact.form_fields = [
        ContactFormField(sort_order=0, label="Your name", field_type="singleline", required=True),
        ContactFormField(sort_order=1, label="Email", field_type="email", required=True),
        ContactFormField(sort_order=2, label="Message", field_type="multiline", required=True),
    ]
    add(home, contact)
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "shop@petitfour.example"
    settings.save()
    return {
        "home": home,
        "about": about,
        "landing": landing,
        "blog": blog,
        "post": post,
        "contact": contact,
        "image": image,
    }
