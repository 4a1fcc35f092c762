"""Marketing demo data: SEO/organisation settings, testimonials (approved and pending), a
testimonials block and a newsletter block on the home page, promoted search results for
"macarons" and "gift". Idempotent: rows are looked up by natural keys; blocks are appended
only when the home page has none of that type.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, Site
from wagtailseo.models import SeoSettings

from base.models import SiteSettings
from demo.helpers import image
from home.models import HomePage
from marketing.models import Testimonial

CUSTOMERS = [
    ("lea.demo@example.com", "Léa", "Moreau"),
    ("tom.demo@example.com", "Tom", "Garnier"),
    ("ines.demo@example.com", "Inès", "Fabre"),
]

# (customer email, shown as, rating, text, about: (app_label, model, slug) or None, status)
TESTIMONIALS = [
    (
        "lea.demo@example.com",
        "Léa, Lyon 4e",
        5,
        "The pistachio & raspberry box disappeared in ten minutes at my sister's birthday. Crisp shells, "
        "generous fillings — exactly like in Paris, without the queue.",
        ("shop", "productpage", "pistachio-raspberry-macarons"),
        "approved",
    ),
    (
        "tom.demo@example.com",
        "Tom G.",
        5,
        "I finally understand macaronnage! Camille is patient and precise, and we went home with two "
        "dozen macarons each.",
        ("learning", "coursepage", "macaron-masterclass"),
        "approved",
    ),
    (
        "ines.demo@example.com",
        "Inès, Villeurbanne",
        4,
        "A lovely 1:1 lesson to fix my croissant lamination. Hugo spotted my mistake in five minutes.",
        ("learning", "teacherpage", "hugo-bernard"),
        "approved",
    ),
    (
        "lea.demo@example.com",
        "Léa, Lyon 4e",
        5,
        "Ordered the tasting set as a thank-you gift: beautiful box, delivered the next morning.",
        ("shop", "productpage", "macaron-tasting-set"),
        "approved",
    ),
    (
        "tom.demo@example.com",
        "Tom G.",
        None,
        "Friendly shop, great coffee and the best lemon tart on the slopes of the Croix-Rousse.",
        None,
        "approved",
    ),
    (
        "ines.demo@example.com",
        "Inès",
        3,
        "Good class but I would have liked a printed recipe to take home.",
        ("learning", "coursepage", "tarts-for-beginners"),
        "pending",
    ),
    (
        "tom.demo@example.com",
        "Tom",
        5,
        "Can you open on Mondays? Asking for a friend who needs caramel macarons every week.",
        None,
        "pending",
    ),
]

PROMOTIONS = {
    "macarons": [
        ("shop", "productpage", "classic-macaron-box", "Our six house flavours, baked every morning."),
        ("learning", "coursepage", "macaron-masterclass", "Learn to bake them yourself in 3 hours."),
    ],
    "gift": [
        ("shop", "productpage", "gift-card", "Let them choose: valid 12 months, online and in the shop."),
        ("shop", "productpage", "macaron-tasting-set", "24 macarons in 12 flavours, in a gift box."),
    ],
}


def _page(app_label, model, slug):
    return Page.objects.live().filter(content_type__app_label=app_label, content_type__model=model, slug=slug).first()


def _customers():
    User = get_user_model()
    users = {}
    for email, first, last in CUSTOMERS:
        user, created = User.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save()
        users[email] = user
    return users


def testimonials(stdout):
    users = _customers()
    for email, name, rating, text, about, status in TESTIMONIALS:
        page = _page(*about) if about else None
        Testimonial.objects.update_or_create(
            user=users[email],
            text=text,
            defaults={"author_name": name, "rating": rating, "page": page, "status": status},
        )
    stdout.write(
        f"  testimonials: {Testimonial.objects.approved().count()} approved, "
        f"{Testimonial.objects.filter(status='pending').count()} pending"
    )


def home_blocks(stdout):
    home = HomePage.objects.first()
    if home is None:
        return
    home = home.get_latest_revision_as_object()
    kinds = {child.block_type for child in home.body}
    added = []
    if "testimonials" not in kinds:
        home.body.append(
            (
                "testimonials",
                {"heading": "What our customers say", "count": 3, "min_rating": 4, "show_submit_link": True},
            )
        )
        added.append("testimonials")
    if "newsletter_signup" not in kinds:
        home.body.append(
            (
                "newsletter_signup",
                {
                    "heading": "Sweet news, once a month",
                    "text": "New recipes, class dates and members-only offers from our Lyon kitchen. No spam, "
                    "unsubscribe any time.",
                    "button_label": "Subscribe",
                    "style": "raspberry",
                },
            )
        )
        added.append("newsletter")
    if added:
        home.save_revision().publish()
        stdout.write(f"  home page: added {', '.join(added)} block(s)")


def promotions(stdout):
    for query_string, picks in PROMOTIONS.items():
        query = Query.get(query_string)
        for order, (app_label, model, slug, description) in enumerate(picks):
            page = _page(app_label, model, slug)
            if page is None:
                continue
            SearchPromotion.objects.update_or_create(
                query=query, page=page, defaults={"description": description, "sort_order": order}
            )
    stdout.write(f"  promoted results: {SearchPromotion.objects.count()}")


def seo_settings(stdout):
    """Organisation structured data (wagtail-seo SeoSettings) from home's SiteSettings."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    brand = SiteSettings.for_site(site)
    seo = SeoSettings.for_site(site)
    seo.struct_org_type = seo.struct_org_type or "Bakery"
    seo.struct_org_name = brand.brand_name or site.site_name
    seo.struct_org_phone = brand.phone
    lines = brand.address_lines
    if lines:
        seo.struct_org_address_street = lines[0]
        match = re.match(r"(\d{4,5})\s+(.+)", lines[1]) if len(lines) > 1 else None
        if match:
            seo.struct_org_address_postal, seo.struct_org_address_locality = match.groups()
        seo.struct_org_address_country = "FR" if any(line.lower() == "france" for line in lines) else ""
    seo.og_meta = seo.twitter_meta = seo.struct_meta = True
    home = HomePage.objects.first()
    if not seo.og_image_default_id and home is not None and getattr(home, "hero_image_id", None):
        seo.og_image_default_id = home.hero_image_id
    if not seo.struct_org_image_id:
        seo.struct_org_image_id = seo.og_image_default_id
    if not seo.struct_org_logo_id:
        seo.struct_org_logo_id = brand.logo_id or image("Petit Four logo").pk
    if seo.struct_org_geo_lat is None:  # the shop in the Croix-Rousse, Lyon
        seo.struct_org_geo_lat, seo.struct_org_geo_lng = Decimal("45.774400"), Decimal("4.831900")
    seo.save()
    if not brand.price_range:
        brand.price_range = "€€"
        brand.save()
    stdout.write(f"  SEO settings: {seo.struct_org_type} “{seo.struct_org_name}”")


def build(stdout):
    stdout.write("Marketing demo…")
    seo_settings(stdout)
    testimonials(stdout)
    home_blocks(stdout)
    promotions(stdout)
