"""A warm home page costs a small, constant number of SQL queries."""

import pytest

from home.models import BlogPage, OfferPage
from learning.tests.helpers import make_course, make_teacher
from marketing.models import Testimonial
from shop.tests.factories import make_product
from shop.tests.offer_helpers import make_offer

from .factories import build_site, make_image

# The project rule: <= 10 on a warm page. Body blocks come from the block cache (home.cache),
# menu, footer links and logo from home.navigation's cache, child pages in one query each.
MAX_QUERIES = 10


def rich_body(pages, image):
    return [
        {"type": "heading", "value": {"text": "Made in our kitchen", "level": "h2"}},
        {
            "type": "card_grid",
            "value": {
                "heading": "Boxes",
                "cards": [
                    {"page": pages["about"].pk, "title": "", "text": "", "image": image.pk},
                    {"page": pages["blog"].pk, "title": "", "text": "", "image": image.pk},
                ],
            },
        },
        {"type": "paragraph", "value": "<p>Since 2014.</p>"},
        {
            "type": "gallery",
            "value": {
                "heading": "Fresh",
                "images": [
                    {
                        "image": {"image": image.pk, "decorative": False, "alt_text": "A"},
                        "caption": "",
                        "width": "content",
                    },
                    {
                        "image": {"image": image.pk, "decorative": True, "alt_text": ""},
                        "caption": "",
                        "width": "content",
                    },
                ],
            },
        },
        {"type": "quote", "value": {"quote": "Lovely.", "attribution": "Léa"}},
        {"type": "opening_hours", "value": {"heading": "Hours", "rows": [], "note": ""}},
        {
            "type": "call_to_action",
            "value": {
                "heading": "Hi",
                "text": "",
                "style": "butter",
                "link": {"page": pages["contact"].pk, "link_url": "", "label": ""},
            },
        },
    ]


@pytest.mark.django_db
def test_warm_home_page_query_count(client, django_assert_max_num_queries):
    pages = build_site()
    home = pages["home"]
    home.body = rich_body(pages, make_image("Card"))
    home.hero_cta_page = pages["landing"]
    home.save_revision().publish()

    assert client.get("/").status_code == 200  # warm: renditions, menu and footer caches
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert "Made in our kitchen" in response.content.decode()


@pytest.mark.django_db
def test_menu_cache_follows_publishing(client):
    pages = build_site()
    assert ">About us<" in client.get("/").content.decode()
    pages["about"].unpublish()
    assert ">About us<" not in client.get("/").content.decode()
    about = pages["about"]
    about.refresh_from_db()
    about.title = "Our story"
    about.save_revision().publish()
    assert ">Our story<" in client.get("/").content.decode()


def commerce_body(pages, image):
    """One of every block other apps add to PageStreamBlock, with real content behind each."""

    products = [make_product(f"Box {i}", image=True) for i in range(3)]
    teacher = make_teacher("Camille Roux")
    make_course("Macaron masterclass", sessions=[(7, 8), (14, 8)])
    make_course("Tart class", sessions=[(10, 6)])
    offer_page = OfferPage(title="Spring sale", slug="spring-sale", offer=make_offer(), hero_text="10% off.")
    pages["home"].add_child(instance=offer_page)
    offer_page.save_revision().publish()
    for name in ("Léa", "Hugo"):
        Testimonial.objects.create(author_name=name, text="Lovely macarons.", status="approved", rating=5)
    return rich_body(pages, image) + [
        {
            "type": "product_grid",
            "value": {
                "heading": "New",
                "text": "",
                "products": [],
                "category": None,
                "count": 4,
                "link_text": "See all",
            },
        },
        {
            "type": "product_grid",
            "value": {
                "heading": "Picked",
                "text": "",
                "category": None,
                "count": 4,
                "products": [p.pk for p in products],
                "link_text": "",
            },
        },
        {
            "type": "featured_product",
            "value": {"product": products[0].pk, "heading": "", "text": "", "button_text": "Shop now"},
        },
        {"type": "teachers", "value": {"heading": "Teachers", "teachers": [teacher.pk], "count": 3}},
        {"type": "upcoming_courses", "value": {"heading": "Classes", "category": "", "count": 3}},
        {
            "type": "offer_banner",
            "value": {
                "page": offer_page.pk,
                "headline": "",
                "text": "Spring",
                "button_label": "See",
                "style": "butter",
            },
        },
        {
            "type": "testimonials",
            "value": {"heading": "Kind words", "about": None, "count": 3, "min_rating": None, "show_submit_link": True},
        },
        {
            "type": "newsletter_signup",
            "value": {"heading": "Sweet news", "text": "", "button_label": "Subscribe", "style": "raspberry"},
        },
    ]


@pytest.mark.django_db
def test_warm_home_page_with_every_commerce_block(client, django_assert_max_num_queries):
    pages = build_site()
    home = pages["home"]
    home.body = commerce_body(pages, make_image("Card"))
    home.save_revision().publish()

    assert client.get("/").status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    html = response.content.decode()
    for text in ("Box 0", "Camille Roux", "Macaron masterclass", "Kind words", "Sweet news", "Spring"):
        assert text in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["about", "landing", "blog", "post", "contact"])
def test_warm_content_pages_query_count(client, django_assert_max_num_queries, name):
    pages = build_site()
    page = pages[name]
    if name in ("about", "landing", "post"):
        page.refresh_from_db()
        page.body = rich_body(pages, make_image("Card"))
        page.save_revision().publish()
    url = page.url
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200 and page.title in response.content.decode()


@pytest.mark.django_db
def test_warm_blog_index_query_count_does_not_grow_with_posts(client, django_assert_max_num_queries):

    pages = build_site()
    image = make_image("Lead")
    for i in range(12):
        post = BlogPage(title=f"Post {i}", slug=f"post-{i}", intro="Hi.", lead_image=image)
        post.tags.add(f"tag{i % 3}")
        pages["blog"].add_child(instance=post)
        post.save_revision().publish()
    for url in ("/journal/", "/journal/?page=2", "/journal/?tag=tag1"):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert "Post " in response.content.decode()
