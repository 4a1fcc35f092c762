"""SEO: meta tags (wagtail-seo), JSON-LD from the models, robots.txt, noindex, redirects,
and a crawl of the demo site checking every JSON-LD block."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from home.tests import jsonld
from marketing.models import Testimonial
from marketing.tests.helpers import make_blog, make_site, make_standard
from shop.models import ProductPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_site()


def test_meta_tags_title_description_canonical_og_twitter(client, home):
    post = make_blog(home, title="Pistachio macarons, step by step", search_description="How we bake our green shells.")
    html = client.get(post.url).content.decode()
    assert "<title>Pistachio macarons, step by step" in html
    assert '<meta name="description" content="How we bake our green shells."' in html
    assert f'<link rel="canonical" href="http://testserver{post.url}">' in html
    assert '<meta property="og:title" content="Pistachio macarons, step by step' in html
    assert '<meta property="og:type" content="article"' in html
    assert '<meta name="twitter:card" content="summary"' in html


def test_home_has_organization_and_no_breadcrumbs(client, home):
    blocks = jsonld.blocks_in(client.get("/").content.decode())
    types = [b["@type"] for b in blocks]
    assert "Organization" in types and "BreadcrumbList" not in types
    org = next(b for b in blocks if b["@type"] == "Organization")
    assert org["name"] == "Petit Four" and org["url"] == "http://testserver/"
    assert all(not jsonld.problems(b) for b in blocks)


def test_breadcrumbs_on_pages_below_home(client, home):
    post = make_blog(home, title="Choux pastry")
    blocks = jsonld.blocks_in(client.get(post.url).content.decode())
    crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")
    assert [(i["position"], i["name"]) for i in crumbs["itemListElement"]] == [
        (1, "Petit Four"),
        (2, "Journal"),
        (3, "Choux pastry"),
    ]
    assert crumbs["itemListElement"][-1]["item"] == f"http://testserver{post.url}"
    assert not jsonld.problems(crumbs)


def test_blog_posting_from_blog_page(client, home):
    post = make_blog(home, title="Choux pastry", author="Élise Martin")
    blocks = jsonld.blocks_in(client.get(post.url).content.decode())
    posting = [b for b in blocks if b["@type"] in ("BlogPosting", "Article")]
    assert len(posting) == 1 and posting[0]["@type"] == "BlogPosting"  # no duplicate Article
    assert posting[0]["headline"] == "Choux pastry"
    # No author page and no teacher of that name: the author's url is the site's home page.
    assert posting[0]["author"] == {"@type": "Person", "name": "Élise Martin", "url": "http://testserver/"}
    assert posting[0]["datePublished"].startswith("2026-03-01")
    assert not jsonld.problems(posting[0])


def test_faq_page_from_faq_blocks(client, home):
    page = make_standard(
        home,
        "Questions",
        body=[
            (
                "faq",
                {
                    "heading": "FAQ",
                    "items": [
                        {"question": "Do you deliver?", "answer": "<p>Yes, across France.</p>"},
                        {"question": "Gluten free?", "answer": "<p>Macarons are made with almond flour.</p>"},
                    ],
                },
            )
        ],
    )
    blocks = jsonld.blocks_in(client.get(page.url).content.decode())
    faq = next(b for b in blocks if b["@type"] == "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == ["Do you deliver?", "Gluten free?"]
    assert "across France" in faq["mainEntity"][0]["acceptedAnswer"]["text"]
    assert not jsonld.problems(faq)
    plain = make_standard(home, "About us")
    assert "FAQPage" not in [b["@type"] for b in jsonld.blocks_in(client.get(plain.url).content.decode())]


def test_json_ld_cannot_break_out_of_the_script_tag(client, home):
    post = make_blog(home, title="</script><script>alert(1)</script>", slug="xss")
    html = client.get(post.url).content.decode()
    assert "<script>alert(1)" not in html
    posting = next(b for b in jsonld.blocks_in(html) if b["@type"] == "BlogPosting")
    assert posting["headline"] == "</script><script>alert(1)</script>"


def test_robots_txt(client, home):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for prefix in (
        "/admin/",
        "/shop/cart/",
        "/shop/checkout/",
        "/accounts/",
        "/learning/bookings/",
        "/learning/teach/",
    ):
        assert f"Disallow: {prefix}" in lines
    assert "Disallow: /" not in lines


def test_private_areas_are_noindex(client, home):
    response = client.get("/accounts/login/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert client.get("/shop/cart/")["X-Robots-Tag"] == "noindex, nofollow"
    public = client.get("/")
    assert "X-Robots-Tag" not in public
    assert 'name="robots"' not in public.content.decode()


def test_redirect_created_in_the_admin_works(client, home):
    post = make_blog(home, title="Macaron troubleshooting")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    response = client.post(
        "/admin/redirects/add/",
        {
            "old_path": "/blog/old-macaron-tips/",
            "site": "",
            "is_permanent": "on",
            "redirect_page": post.pk,
            "redirect_link": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Redirect.objects.count() == 1
    client.logout()
    moved = client.get("/blog/old-macaron-tips/")
    assert moved.status_code == 301 and moved["Location"].endswith(post.url)


def _crawl(client):
    """Every live public page of the default site: (url, html)."""
    pages = Page.objects.live().public().filter(depth__gte=2).specific()
    for page in pages:
        url = page.get_url()
        if not url:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        yield page, url, response.content.decode()


def test_every_json_ld_block_on_the_demo_site_is_valid(client, django_db_blocker):

    call_command("load_demo", stdout=open("/dev/null", "w"))
    seen_types = set()
    count = 0
    for page, url, html in _crawl(client):
        blocks = jsonld.blocks_in(html)
        if page.depth > 2:  # below the home page
            assert any(b["@type"] == "BreadcrumbList" for b in blocks), f"{url}: no BreadcrumbList"
        for block in blocks:
            problems = jsonld.problems(block) + jsonld.missing_recommended(block)
            assert not problems, f"{url}: {problems}\n{json.dumps(block, indent=1)[:1500]}"
            seen_types.add(block["@type"] if isinstance(block["@type"], str) else tuple(block["@type"]))
        count += 1
    assert count > 3
    # Every type of the issue is on the demo, each complete (required + recommended properties).
    assert {"BreadcrumbList", "BlogPosting", "Product", "Course", "Person", "FAQPage", "Bakery"} <= seen_types
    products = [b for _, _, html in _crawl(client) for b in jsonld.blocks_in(html) if b["@type"] == "Product"]
    assert any("aggregateRating" in p for p in products)  # the demo's rated testimonials


def test_aggregate_rating_only_from_approved_rated_testimonials(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    product = ProductPage.objects.live().first()
    Testimonial.objects.filter(page=product).delete()

    def product_json():
        html = client.get(product.url).content.decode()
        return next(b for b in jsonld.blocks_in(html) if b["@type"] == "Product")

    assert "aggregateRating" not in product_json() and "review" not in product_json()
    common = {"page": product}
    Testimonial.objects.create(author_name="Ana", text="Lovely.", rating=None, status="approved", **common)
    Testimonial.objects.create(author_name="Bo", text="Meh.", rating=2, status="pending", **common)
    assert "aggregateRating" not in product_json()  # unrated and unapproved do not count
    Testimonial.objects.create(author_name="Cy", text="Great.", rating=5, status="approved", **common)
    Testimonial.objects.create(author_name="Di", text="Good.", rating=4, status="approved", **common)
    data = product_json()
    assert data["aggregateRating"]["ratingValue"] == 4.5 and data["aggregateRating"]["ratingCount"] == 2
    assert sorted(r["author"]["name"] for r in data["review"]) == ["Cy", "Di"]
    assert not jsonld.problems(data) and not jsonld.missing_recommended(data)
