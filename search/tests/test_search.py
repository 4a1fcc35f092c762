"""Site search: products by title and SKU, never drafts/private/expired pages, type filter,
pagination and counts, promoted results, constant query count, the no-results report."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from marketing.tests.helpers import make_blog, make_private, make_site, make_standard
from search.models import QueryResultCount
from shop.tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return make_site()


def titles(response):
    return [r["page"].title for r in response.context["results"]]


def product(title, sku, **kwargs):

    return make_product(title, variants=[{"name": "Box of 12", "sku": sku, "price": 2400, "stock": 5}], **kwargs)


def test_product_found_by_title_and_by_sku(client, home):
    product("Pistachio macaron box", "MAC-PIS-12")
    make_standard(home, "Delivery and returns")
    assert titles(client.get("/search/", {"q": "pistachio"})) == ["Pistachio macaron box"]
    assert titles(client.get("/search/", {"q": "MAC-PIS-12"})) == ["Pistachio macaron box"]
    response = client.get("/search/", {"q": "pistachio"})
    html = response.content.decode()
    assert "1 result" in html and "Product" in html


def test_drafts_private_and_expired_pages_are_never_found(client, home):
    make_standard(home, "Macaron secrets draft", publish=False)
    make_private(make_standard(home, "Macaron secrets private"))
    expiring = make_standard(home, "Macaron secrets expired")
    expiring.expire_at = timezone.now() - datetime.timedelta(hours=1)
    expiring.save()
    make_standard(home, "Macaron secrets public")
    response = client.get("/search/", {"q": "secrets"})
    assert titles(response) == ["Macaron secrets public"]
    assert response.context["total"] == 1


def test_type_filter_and_counts(client, home):
    product("Macaron gift box", "MAC-GIFT")
    make_blog(home, title="Why macaron shells crack")
    make_standard(home, "Macaron allergy information")
    everything = client.get("/search/", {"q": "macaron"})
    assert sorted(titles(everything)) == ["Macaron allergy information", "Macaron gift box", "Why macaron shells crack"]
    counts = {tab["label"]: tab["count"] for tab in everything.context["tabs"]}
    assert counts["All"] == 3 and counts["Products"] == 1 and counts["Blog posts"] == 1 and counts["Pages"] == 1
    assert titles(client.get("/search/", {"q": "macaron", "type": "products"})) == ["Macaron gift box"]
    assert titles(client.get("/search/", {"q": "macaron", "type": "blog"})) == ["Why macaron shells crack"]
    assert titles(client.get("/search/", {"q": "macaron", "type": "pages"})) == ["Macaron allergy information"]
    assert titles(client.get("/search/", {"q": "macaron", "type": "courses"})) == []


def test_pagination_and_results_count(client, home):
    for i in range(13):
        make_standard(home, f"Meringue note {i:02d}")
    first = client.get("/search/", {"q": "meringue"})
    assert len(first.context["results"]) == 10
    assert "13 results" in first.content.decode() and "page 1 of 2" in first.content.decode()
    second = client.get("/search/", {"q": "meringue", "page": 2})
    assert len(second.context["results"]) == 3
    assert client.get("/search/", {"q": "meringue", "page": "zzz"}).status_code == 200
    assert len(client.get("/search/", {"q": "meringue", "page": 99}).context["results"]) == 3


def _queries_for(client, q):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/search/", {"q": q}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_as_results_grow(client, home):
    make_blog(home, title="Caramel post 0")
    product("Caramel box 0", "CAR-0")
    client.get("/search/", {"q": "caramel"})  # warm caches (site root paths, content types)
    few = _queries_for(client, "caramel")
    for i in range(1, 9):
        make_blog(home, title=f"Caramel post {i}")
        product(f"Caramel box {i}", f"CAR-{i}")
    client.get("/search/", {"q": "caramel"})  # re-warm caches that publishing invalidated (menus)
    many = _queries_for(client, "caramel")
    assert many == few, (few, many)


def test_promoted_results_come_first(client, home):
    box = product("Gift card", "GIFT-CARD")
    query = Query.get("gift")
    SearchPromotion.objects.create(query=query, page=box, description="Perfect for birthdays", sort_order=0)
    html = client.get("/search/", {"q": "Gift"}).content.decode()
    assert "Recommended" in html and "Perfect for birthdays" in html
    assert html.index("Perfect for birthdays") < html.index("search-result search-result--products")


def test_searches_are_logged_and_no_results_report(client, home):
    make_standard(home, "Chocolate eclairs")
    client.get("/search/", {"q": "eclairs"})
    client.get("/search/", {"q": "croissant"})
    client.get("/search/", {"q": "Croissant"})
    assert Query.get("croissant").hits == 2
    assert QueryResultCount.objects.get(query=Query.get("croissant")).last_result_count == 0
    assert QueryResultCount.objects.get(query=Query.get("eclairs")).last_result_count == 1
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    report = client.get("/admin/reports/search-no-results/")
    assert report.status_code == 200
    html = report.content.decode()
    assert "croissant" in html and "eclairs" not in html
    export = client.get("/admin/reports/search-no-results/?export=csv")
    assert export.status_code == 200 and b"croissant" in b"".join(export.streaming_content)


def test_empty_and_silly_queries_never_fail(client, home):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "   "}).status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200
    assert client.get("/search/", {"q": "\"'<>%&|!()"}).status_code == 200
    assert client.get("/search/", {"q": "macaron", "type": "nonsense"}).status_code == 200
