"""SEO and marketing parts are cheap: the JSON-LD include adds at most one SQL query to a warm
page (Site and settings come from the request caches), and the testimonials include on product,
class and teacher pages costs no query when warm (cached) and shows only that page's approved testimonials."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtailseo.models import SeoSettings

from base import seo
from base.models import SiteSettings
from home.tests import jsonld
from learning.tests.helpers import make_course, make_teacher
from marketing.models import Testimonial
from marketing.tests.helpers import make_blog, make_site, make_standard
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_site()


def warm_count(client, url) -> tuple[int, str]:
    """(queries, html) of the third request for ``url`` (menus, renditions, site paths cached)."""
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def structured_data_cost(client, url) -> tuple[int, list[dict]]:
    """Queries the JSON-LD adds to a warm ``url``: with it minus with the builders switched off."""
    with_data, html = warm_count(client, url)
    with mock.patch.object(seo, "structured_data_for", return_value=[]):
        without_data, bare_html = warm_count(client, url)
    assert not jsonld.blocks_in(bare_html)  # the switch really removed the JSON-LD
    return with_data - without_data, jsonld.blocks_in(html)


def test_home_page_json_ld_adds_at_most_one_query(client, home):
    extra, blocks = structured_data_cost(client, "/")
    assert "Organization" in [b["@type"] for b in blocks]
    assert extra <= 1


def test_deep_page_with_faq_json_ld_adds_at_most_one_query(client, home):
    about = make_standard(home, "About us")
    page = make_standard(
        about,
        "Questions",
        body=[("faq", {"heading": "FAQ", "items": [{"question": "Do you deliver?", "answer": "<p>Across Lyon.</p>"}]})],
    )
    extra, blocks = structured_data_cost(client, page.url)
    types = [b["@type"] for b in blocks]
    assert "BreadcrumbList" in types and "FAQPage" in types
    crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Petit Four", "About us", "Questions"]
    assert crumbs["itemListElement"][1]["item"] == "http://testserver" + about.url
    assert extra <= 1


def test_builders_read_site_and_settings_from_the_request(client, home, rf):
    """On a request whose Site and settings are already cached (as after the header rendered),
    the home page's JSON-LD costs no query and a deeper page's at most one (its ancestors)."""

    post = make_blog(home, title="Choux pastry")
    request = rf.get(post.url, HTTP_HOST="testserver")
    Site.find_for_request(request)
    SeoSettings.for_request(request)
    SiteSettings.for_request(request)
    home.get_url(request)  # caches the site root paths on the request
    home.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        items = seo.structured_data_for(home.specific, request)
    assert [i["@type"] for i in items] == ["Organization"] and len(ctx.captured_queries) == 0
    with CaptureQueriesContext(connection) as ctx:
        items = seo.structured_data_for(post, request)
    assert "BreadcrumbList" in [i["@type"] for i in items]
    assert len(ctx.captured_queries) <= 1, [q["sql"][:150] for q in ctx.captured_queries]


def _testimonial(page, text, status=Testimonial.Status.APPROVED):
    return Testimonial.objects.create(page_id=page.pk, author_name="Léa", text=text, rating=5, status=status)


def test_product_page_shows_its_approved_testimonials_cached(client, home):

    product = make_product("Pistachio box")
    other = make_product("Lemon box")
    _testimonial(product, "Best macarons in Lyon")
    _testimonial(product, "Not yet moderated", status=Testimonial.Status.PENDING)
    _testimonial(other, "About the lemon box")
    _, html = warm_count(client, product.url)
    assert "What customers say" in html and "Best macarons in Lyon" in html
    assert "Not yet moderated" not in html and "About the lemon box" not in html
    with CaptureQueriesContext(connection) as ctx:
        client.get(product.url)
    assert sum("home_testimonial" in q["sql"] for q in ctx.captured_queries) == 0  # cached when warm
    _testimonial(product, "Approved a minute ago")  # saving one refreshes the cached list
    assert "Approved a minute ago" in client.get(product.url).content.decode()


def test_course_and_teacher_pages_show_the_testimonials_section(client, home):

    course = make_course("Macaron masterclass")
    teacher = make_teacher("Camille Roux")
    _testimonial(course, "Camille explains everything")
    course_html = client.get(course.url).content.decode()
    teacher_html = client.get(teacher.url).content.decode()
    assert "Camille explains everything" in course_html
    assert "What customers say" not in teacher_html and "No testimonials yet" not in teacher_html
    assert f"?page={teacher.pk}" in teacher_html  # the "share your experience" link names the page


def test_testimonials_block_links_each_testimonial_to_its_page(client, home):
    about = make_standard(home, "Pistachio macaron box")
    _testimonial(about, "Crunchy and fresh")
    Testimonial.objects.create(
        author_name="Paul", text="About the shop in general", rating=4, status=Testimonial.Status.APPROVED
    )
    home.body = [("testimonials", {"heading": "Kind words", "count": 6, "show_submit_link": True})]
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert f'about <a href="{about.url}">Pistachio macaron box</a>' in html
    assert html.count("testimonial-card__about") == 1  # no link for the one about no page
