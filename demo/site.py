"""Petit Four demo content for the home app: site settings, home page, information pages,
landing pages, the blog and the contact page. Called by ``manage.py load_demo``.

Idempotent: images are looked up by title, pages by slug under their parent; anything that
already exists is left as it is, so a second run changes nothing.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site

from base.models import SiteSettings
from base.site_url import apply_site_url, parse_site_url
from demo.helpers import block, h2, image, img_value, link, rich
from demo.site_blog import build_blog
from demo.site_pages import build_pages
from home.models import HomePage


def home_page(stdout):
    """The HomePage, made the default Site's root (Wagtail's "Welcome" page is removed)."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = False
    if home is None:
        home = HomePage(
            title="Petit Four",
            slug="petit-four",
            seo_title="Petit Four · French pastry shop and baking school in Lyon",
            search_description="Handmade macarons, celebration cakes and gift boxes, baked every morning in Lyon, "
            "and baking classes for every level.",
            hero_image=image("Macaron tower"),
            hero_heading="Little French cakes, baked fresh every morning",
            hero_text="Macarons, tarts and celebration cakes made by hand in our Lyon kitchen, "
            "and classes to learn how we do it.",
            hero_cta_text="Choose a gift box",
        )
        root.add_child(instance=home)
        created = True
        stdout.write("  home page created")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        address = parse_site_url(settings.SITE_URL)
        site = Site.objects.create(
            hostname=address.hostname, port=address.port, is_default_site=True, root_page=home, site_name="Petit Four"
        )
    elif site.root_page_id != home.pk or site.site_name != "Petit Four":
        site.root_page = home
        site.site_name = "Petit Four"
        site.save()
    # Wagtail's default "Welcome to your new Wagtail site!" page (a plain Page at depth 2).
    plain = ContentType.objects.get_for_model(Page)
    for welcome in Page.objects.filter(depth=2, content_type=plain):
        if not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()
    # Wagtail's migrations create the default Site as localhost:80; the demo serves SITE_URL.
    site = apply_site_url() or site
    return home, created, site


def build(stdout):
    """Create the home app's demo pages and settings (see the module docstring)."""
    home, home_created, site = home_page(stdout)
    pages = build_pages(home)
    about, faq, delivery, terms, privacy = (pages[k] for k in ("about", "faq", "delivery", "terms", "privacy"))
    contact, weddings, gifts = pages["contact"], pages["weddings"], pages["gifts"]
    blog = build_blog(home, contact, about)

    # -- home page body (first run only, once the pages it points at exist) ----------------------
    if home_created or not home.body:
        contact.move(home, pos="last-child")  # the menu ends with Contact
        home.hero_cta_page = gifts
        home.body = [
            block(
                "card_grid",
                {
                    "heading": "Made in our kitchen",
                    "cards": [
                        {
                            "page": gifts.pk,
                            "title": "Gift boxes",
                            "text": "Macarons and little cakes, ready to give.",
                            "image": image("Gift box").pk,
                        },
                        {
                            "page": weddings.pk,
                            "title": "Wedding cakes",
                            "text": "Designed with you, from 20 to 250 guests.",
                            "image": image("Wedding cake").pk,
                        },
                        {
                            "page": blog.pk,
                            "title": "Our journal",
                            "text": "Recipes and news from the kitchen.",
                            "image": image("Croissants and coffee").pk,
                        },
                    ],
                },
            ),
            h2("A pastry shop and a school"),
            block(
                "paragraph",
                rich(
                    "Since 2014 we bake French pastries the slow way, by hand and in small batches, in the heart "
                    "of the Croix-Rousse. On Tuesday and Saturday afternoons our kitchen becomes a classroom.",
                    '<a href="/about/">Read our story</a>',
                ),
            ),
            block(
                "quote",
                {
                    "quote": "The best macarons in Lyon, and the class made me brave enough to try them at home.",
                    "attribution": "Sophie, Villeurbanne",
                },
            ),
            block(
                "gallery",
                {
                    "heading": "Fresh this week",
                    "images": [
                        img_value("Butter macarons", "Lemon & vanilla macarons"),
                        img_value("Berry tart", "Summer berry tart"),
                        img_value("Croissants and coffee", "Butter croissants"),
                        img_value("Rose wedding cake", "Rose & lychee cake"),
                    ],
                },
            ),
            block("opening_hours", {"heading": "Come and see us", "rows": [], "note": ""}),
            block(
                "call_to_action",
                {
                    "heading": "A cake for a special day?",
                    "text": "Birthdays, weddings, office parties: tell us about it.",
                    "link": link(contact, label="Get in touch"),
                    "style": "raspberry",
                },
            ),
        ]
        home.save_revision().publish()

    # -- site settings ---------------------------------------------------------------------------
    settings = SiteSettings.for_site(site)
    if not settings.contact_email:
        settings.brand_name = "Petit Four"
        settings.tagline = "Pâtisserie & baking school · Lyon"
        settings.contact_email = "hello@petitfour.example"
        settings.phone = "+33 4 78 00 12 34"
        settings.address = "12 rue d'Austerlitz\n69004 Lyon\nFrance"
        settings.opening_hours = [
            {"type": "day", "value": {"day": "Mo", "opens": None, "closes": None, "closed": True}},
            *[
                {"type": "day", "value": {"day": d, "opens": "08:00:00", "closes": "19:00:00", "closed": False}}
                for d in ("Tu", "We", "Th", "Fr")
            ],
            {"type": "day", "value": {"day": "Sa", "opens": "08:00:00", "closes": "19:30:00", "closed": False}},
            {"type": "day", "value": {"day": "Su", "opens": "08:00:00", "closes": "13:00:00", "closed": False}},
        ]
        settings.opening_hours_note = "Closed on 25 December and 1 January."
        settings.social_links = [
            {"type": "link", "value": {"network": "instagram", "url": "https://www.instagram.com/petitfour.example"}},
            {"type": "link", "value": {"network": "facebook", "url": "https://www.facebook.com/petitfour.example"}},
            {"type": "link", "value": {"network": "pinterest", "url": "https://www.pinterest.com/petitfour.example"}},
        ]
        settings.footer_links = [
            {"type": "link", "value": link(about)},
            {"type": "link", "value": link(faq)},
            {"type": "link", "value": link(delivery)},
            {"type": "link", "value": link(gifts)},
            {"type": "link", "value": link(terms)},
            {"type": "link", "value": link(privacy)},
        ]
        settings.footer_text = "Handmade in Lyon"
        settings.save()
    stdout.write("  home: pages, blog, contact page and site settings ready")


#: The demo's main menu, in order: slugs of pages directly under the home page.
MENU_ORDER = ["shop", "classes", "teachers", "journal", "about", "contact"]


def order_menu(stdout):
    """Make the main menu exactly :data:`MENU_ORDER` (runs after every app's demo; idempotent).

    Those pages get "show in menus" (others under home lose it; they stay linked from the
    home page and footer) and are moved, with Wagtail's ``Page.move``, to the start of the
    home page's children in that order. A second run moves and publishes nothing.
    """
    home = HomePage.objects.first()
    if home is None:
        return
    wanted = [p for p in (Page.objects.child_of(home).filter(slug=s).first() for s in MENU_ORDER) if p]
    wanted_ids = {p.pk for p in wanted}
    for page in Page.objects.child_of(home).live().specific():
        show = page.pk in wanted_ids
        if page.show_in_menus != show:
            page.show_in_menus = show
            page.save_revision().publish()
    moved = 0
    for index, page in enumerate(wanted):
        children = list(Page.objects.child_of(home).order_by("path").values_list("pk", flat=True))
        if children[index] == page.pk:
            continue
        page = Page.objects.get(pk=page.pk)
        if index == 0:
            page.move(Page.objects.get(pk=home.pk), pos="first-child")
        else:
            page.move(Page.objects.get(pk=children[index - 1]), pos="right")
        moved += 1
    if moved:
        stdout.write(f"  main menu ordered: {', '.join(p.title for p in wanted)}")
