"""Petit Four demo content for the home app: site settings, home page, information pages,
landing pages, the blog and the contact page. Called by ``manage.py load_demo``.

Idempotent: images are looked up by title, pages by slug under their parent; anything that
already exists is left as it is, so a second run changes nothing.
"""

import datetime
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from base.models import SiteSettings
from demo.images import draw
from home.models import BlogIndexPage, BlogPage, HomePage, LandingPage, StandardPage
from marketing.models import ContactFormField, ContactPage

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
}


def image(title):
    """The Wagtail image called ``title``, created from its Pillow drawing the first time."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    motif, palette, alt = IMAGES[title]
    data = draw(motif, palette, (1440, 900), seed=len(title))
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
        site = Site.objects.create(
            hostname="localhost", port=80, is_default_site=True, root_page=home, site_name="Petit Four"
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
    return home, created, site


def build(stdout):
    """Create the home app's demo pages and settings (see the module docstring)."""
    home, home_created, site = home_page(stdout)

    # -- information pages --------------------------------------------------------------------
    about, _ = child(
        home,
        StandardPage,
        "about",
        title="About us",
        show_in_menus=True,
        intro="A small pastry shop and baking school in the Croix-Rousse, Lyon, since 2014.",
        search_description="Who we are: a family pastry shop and baking school in Lyon.",
        body=[
            block("image", img_value("Our shop", "Our shop on rue d'Austerlitz, Lyon", "wide")),
            h2("Butter, eggs, patience"),
            block(
                "paragraph",
                rich(
                    "Petit Four started as a market stall with three flavours of macarons. Today our "
                    "kitchen of six pastry chefs bakes every morning, with flour from the Dombes, "
                    "butter from Bresse and fruit from the farms around Lyon.",
                    "We make everything by hand, in small batches, and we never freeze a shell.",
                ),
            ),
            block(
                "quote",
                {
                    "quote": "A good macaron is crisp for a second, then melts. Everything "
                    "else is detail — and we care about the details.",
                    "attribution": "Camille Roux, founder and head pastry chef",
                },
            ),
            h2("A school as well as a shop"),
            block(
                "paragraph",
                rich(
                    "On Tuesday and Saturday afternoons the kitchen becomes a classroom. Our teachers "
                    "share the techniques we use every day, from choux pastry to wedding cakes."
                ),
            ),
        ],
    )
    faq, _ = child(
        home,
        StandardPage,
        "faq",
        title="FAQ",
        intro="Everything you asked us about orders, allergies, delivery and classes.",
        body=[
            block(
                "faq",
                {
                    "heading": "",
                    "items": [
                        {
                            "question": "How long do macarons keep?",
                            "answer": rich(
                                "Five days in the fridge in their box. Take them out 20 minutes before "
                                "eating: they taste best at room temperature."
                            ),
                        },
                        {
                            "question": "Do you make gluten-free pastries?",
                            "answer": rich(
                                "Our macarons are made with almond flour and contain no wheat, but they "
                                "are made in a kitchen that uses flour. Ask us about traces."
                            ),
                        },
                        {
                            "question": "How far ahead should I order a wedding cake?",
                            "answer": rich(
                                "At least six weeks, and three months in June and September. A tasting "
                                "session is included."
                            ),
                        },
                        {
                            "question": "Do you deliver?",
                            "answer": rich(
                                "Yes, in Lyon and its suburbs on Tuesdays to Saturdays. Gift boxes ship "
                                'to all of France. See <a href="/delivery-returns/">Delivery &amp; '
                                "returns</a>."
                            ),
                        },
                        {
                            "question": "Can I give a class as a present?",
                            "answer": rich("Of course: gift vouchers are valid for a year for any class."),
                        },
                        {
                            "question": "What if I cannot come to my class?",
                            "answer": rich("Tell us at least 72 hours before and we move you to another date."),
                        },
                    ],
                },
            )
        ],
    )
    delivery, _ = child(
        home,
        StandardPage,
        "delivery-returns",
        title="Delivery & returns",
        intro="Fresh pastries travel carefully: here is how we deliver them.",
        body=[
            h2("Click & collect"),
            block(
                "paragraph",
                rich(
                    "Collect your order at the shop from 10:00 on the day you "
                    "choose. Bring your order reference (it starts with PF-)."
                ),
            ),
            h2("Delivery in Lyon"),
            block(
                "paragraph",
                rich(
                    "Tuesday to Saturday, between 10:00 and 18:00, by cargo "
                    "bike. Orders placed before 18:00 are delivered the next day."
                ),
            ),
            h2("Shipping in France"),
            block(
                "paragraph",
                rich(
                    "Gift boxes and e-books only. Boxes ship on Mondays and "
                    "Wednesdays in insulated packaging and arrive within 48 hours."
                ),
            ),
            h2("Returns"),
            block(
                "paragraph",
                rich(
                    "Fresh food cannot be returned, but if something is not "
                    "right, write to us within 24 hours with a photo and we will "
                    "replace or refund it."
                ),
            ),
        ],
    )
    terms, _ = child(
        home,
        StandardPage,
        "terms",
        title="Terms of sale",
        intro="The terms that apply to every order placed at Petit Four.",
        body=[
            block(
                "paragraph",
                rich(
                    "<h2>Orders</h2>",
                    "An order is confirmed when payment is received. Prices include French VAT.",
                    "<h2>Classes</h2>",
                    "A class seat is reserved when paid. Cancellations up to 72 hours before the class are "
                    "moved to another date or refunded.",
                    "<h2>Digital products</h2>",
                    "E-books can be downloaded five times within a year of purchase.",
                ),
            )
        ],
    )
    privacy, _ = child(
        home,
        StandardPage,
        "privacy",
        title="Privacy policy",
        intro="What we keep about you, why, and for how long.",
        body=[
            block(
                "paragraph",
                rich(
                    "We keep your name, email address, postal address and order history to deliver your "
                    "orders and classes, for as long as the law requires (ten years for invoices).",
                    "We send our newsletter only if you ask for it, and every email has an unsubscribe "
                    "link. Payments are handled by Stripe; we never see your card number.",
                    "Write to hello@petitfour.example to see, correct or delete your data.",
                ),
            )
        ],
    )

    # -- landing pages --------------------------------------------------------------------------
    contact, _ = child(
        home,
        ContactPage,
        "contact",
        title="Contact",
        show_in_menus=True,
        intro=rich(
            "A question about an order, a cake for a special day, a class for a group? "
            "Write to us, we answer within one working day."
        ),
        thank_you_text=rich("Thank you for your message! We will get back to you within one working day."),
        subject="New message from the Petit Four website",
        form_fields=[
            {"label": "Your name", "field_type": "singleline", "required": True},
            {"label": "Email", "field_type": "email", "required": True},
            {"label": "Message", "field_type": "multiline", "required": True},
        ],
    )
    weddings, _ = child(
        home,
        LandingPage,
        "wedding-cakes",
        title="Wedding cakes",
        show_in_menus=True,
        search_description="Wedding cakes and dessert tables made to order in Lyon.",
        body=[
            block(
                "hero",
                {
                    "image": image("Wedding cake").pk,
                    "heading": "Wedding cakes, made for your day",
                    "text": "Tiered cakes, macaron towers and dessert tables, designed "
                    "with you and delivered to your venue.",
                    "link": link(contact, label="Book a tasting"),
                },
            ),
            block(
                "paragraph",
                rich(
                    "Every wedding cake starts with a tasting at the shop: choose two sponges, "
                    "three fillings and a decoration, and we draw your cake with you."
                ),
            ),
            block(
                "gallery",
                {
                    "heading": "Recent creations",
                    "images": [
                        img_value("Wedding cake", "Pistachio and raspberry, three tiers"),
                        img_value("Rose wedding cake", "Rose and lychee, for 80 guests"),
                        img_value("Macaron tower", "A tower of 200 macarons"),
                        img_value("Berry tart", "Summer berry tarts for a dessert table"),
                    ],
                },
            ),
            block(
                "faq",
                {
                    "heading": "Good to know",
                    "items": [
                        {
                            "question": "How many guests can a cake serve?",
                            "answer": rich("From 20 to 250. Above that we add a dessert table."),
                        },
                        {
                            "question": "Do you deliver to the venue?",
                            "answer": rich("Yes, within 60 km of Lyon, and we set the cake up."),
                        },
                    ],
                },
            ),
            block(
                "call_to_action",
                {
                    "heading": "Let's talk about your cake",
                    "text": "Tastings on Wednesdays and Fridays, by appointment.",
                    "link": link(contact, label="Book a tasting"),
                    "style": "raspberry",
                },
            ),
        ],
    )
    gifts, _ = child(
        home,
        LandingPage,
        "gift-boxes",
        title="Gift boxes",
        search_description="Macaron and pastry gift boxes, delivered in Lyon and shipped in France.",
        body=[
            block(
                "hero",
                {
                    "image": image("Gift box").pk,
                    "heading": "A box of little joys",
                    "text": "Macarons, financiers and pâtes de fruits in a box that is a "
                    "gift in itself. Delivered in Lyon, shipped all over France.",
                    "link": link(contact, label="Order a custom box"),
                },
            ),
            block(
                "card_grid",
                {
                    "heading": "Pick your box",
                    "cards": [
                        {
                            "page": about.pk,
                            "title": "The Classic, 12 macarons",
                            "text": "Our six signature flavours, two of each.",
                            "image": image("Gift box").pk,
                        },
                        {
                            "page": about.pk,
                            "title": "The Garden, 24 macarons",
                            "text": "Pistachio, rose, lemon and seasonal fruit.",
                            "image": image("Pistachio gift box").pk,
                        },
                        {
                            "page": contact.pk,
                            "title": "Made to order",
                            "text": "Your colours, your flavours, your message.",
                            "image": image("Butter macarons").pk,
                        },
                    ],
                },
            ),
            block(
                "quote",
                {
                    "quote": "The prettiest box I have ever given — and empty in ten minutes.",
                    "attribution": "Léa, a happy customer",
                },
            ),
            block(
                "opening_hours",
                {"heading": "Collect at the shop", "rows": [], "note": "Order by 18:00, collect the next day."},
            ),
            block(
                "call_to_action",
                {
                    "heading": "Corporate gifts",
                    "text": "Boxes with your logo for clients and teams, from 20 boxes.",
                    "link": link(contact, label="Ask for a quote"),
                    "style": "butter",
                },
            ),
        ],
    )

    # -- blog -----------------------------------------------------------------------------------
    blog, _ = child(
        home,
        BlogIndexPage,
        "journal",
        title="Journal",
        show_in_menus=True,
        intro=rich("Recipes, news from the kitchen and the stories behind our pastries."),
        search_description="Recipes and news from the Petit Four kitchen.",
    )
    posts = [
        (
            "the-secret-of-a-good-macaron-shell",
            "The secret of a good macaron shell",
            datetime.date(2026, 10, 28),
            "Camille Roux",
            ["macarons", "techniques"],
            "Macaron tower",
            "Smooth tops, ruffled feet, no hollows: three things we learnt after ten thousand batches.",
            [
                block(
                    "paragraph",
                    rich("The shell is where most home bakers give up. It is not magic, it is three habits."),
                ),
                h2("1. Age your egg whites"),
                block(
                    "paragraph",
                    rich(
                        "Separate the eggs two days ahead and keep the whites covered in the fridge. "
                        "They lose water and whip into a steadier meringue."
                    ),
                ),
                h2("2. Macaronage is a feeling"),
                block(
                    "paragraph",
                    rich(
                        "Fold until the batter falls from the spatula like a ribbon and the ribbon "
                        "disappears in about 20 seconds."
                    ),
                ),
                h2("3. Let them rest"),
                block("paragraph", rich("Leave the piped shells for 30 minutes until a skin forms: no skin, no feet.")),
                block(
                    "quote",
                    {
                        "quote": "Patience is the most expensive ingredient, and the only one we never run out of.",
                        "attribution": "Camille",
                    },
                ),
            ],
        ),
        (
            "autumn-menu",
            "Our autumn menu is here",
            datetime.date(2026, 10, 10),
            "Julien Marchand",
            ["seasonal", "news"],
            "Berry tart",
            "Fig and walnut tarts, chestnut macarons and the return of the pear Charlotte.",
            [
                block(
                    "paragraph",
                    rich(
                        "The last raspberries are gone, the first chestnuts are in. From this week the "
                        "counter changes colour."
                    ),
                ),
                block(
                    "gallery",
                    {
                        "heading": "",
                        "images": [
                            img_value("Berry tart", "Fig and walnut tart"),
                            img_value("Butter macarons", "Chestnut and honey"),
                        ],
                    },
                ),
            ],
        ),
        (
            "a-morning-in-the-kitchen",
            "A morning in the kitchen",
            datetime.date(2026, 9, 18),
            "Camille Roux",
            ["behind the scenes"],
            "Croissants and coffee",
            "From 4:30 to opening time: what happens behind the counter before you arrive.",
            [
                block(
                    "paragraph",
                    rich(
                        "At 4:30 the ovens go on. By 6:00 the croissants are laminated, by 7:00 the "
                        "tarts are filled, and at 8:00 the first customer is usually waiting."
                    ),
                ),
                block("image", img_value("Croissants and coffee", "The first batch of the day")),
            ],
        ),
        (
            "why-take-a-baking-class",
            "Why take a baking class?",
            datetime.date(2026, 9, 2),
            "Inès Haddad",
            ["classes", "techniques"],
            "Baking class",
            "Recipes online are free. So why spend an afternoon in our kitchen? Our teachers answer.",
            [
                block(
                    "paragraph",
                    rich(
                        "A recipe tells you what to do. A teacher shows you what it should look like, "
                        "feel like and sound like — the things no recipe can write down."
                    ),
                ),
                block(
                    "call_to_action",
                    {
                        "heading": "Come and bake with us",
                        "text": "Classes for beginners and confirmed bakers, in groups of eight.",
                        "link": link(contact, label="Ask about classes"),
                        "style": "pistachio",
                    },
                ),
            ],
        ),
        (
            "wedding-season-recap",
            "Wedding season, in pictures",
            datetime.date(2026, 8, 21),
            "Julien Marchand",
            ["weddings", "behind the scenes"],
            "Rose wedding cake",
            "Thirty-one cakes, four macaron towers and one very hot afternoon in August.",
            [
                block("paragraph", rich("Thank you to every couple who trusted us this summer.")),
                block(
                    "gallery",
                    {
                        "heading": "",
                        "images": [
                            img_value("Rose wedding cake"),
                            img_value("Wedding cake"),
                            img_value("Macaron tower"),
                        ],
                    },
                ),
            ],
        ),
    ]
    for slug, title, date, author, tags, lead, intro, body in posts:
        child(
            blog,
            BlogPage,
            slug,
            title=title,
            date=date,
            author=author,
            tags=tags,
            lead_image=image(lead),
            intro=intro,
            search_description=intro,
            body=body,
        )

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
