"""Singular/plural fallback: a search that finds nothing is retried once with each word's
number changed ("macarons" → "macaron"), since SQLite's full-text search does not stem words
the way PostgreSQL's does."""

import pytest
from django.db import connection
from wagtail.contrib.search_promotions.models import Query

from marketing.tests.helpers import make_site, make_standard
from search.models import QueryResultCount
from search.views import number_variant


@pytest.mark.parametrize(
    "typed, variant",
    [
        ("macarons", "macaron"),
        ("Berries", "Berry"),
        ("gift boxes", "gift box"),
        ("peaches", "peach"),
        ("gâteaux", "gâteau"),
        ("tart", "tarts"),
        ("pistachio macarons", "pistachio macaron"),
        ("lemon tart", "lemons tarts"),
        ("MAC-PIS-12", "MAC-PIS-12"),  # SKUs are left alone
        ("class", "class"),
        ("choux", "choux"),
    ],
)
def test_number_variant(typed, variant):
    assert number_variant(typed) == variant


@pytest.mark.django_db
def test_plural_query_finds_a_page_that_only_uses_the_singular(client):
    home = make_site()
    make_standard(home, "Our signature macaron", search_description="Almond shell, ganache.")
    response = client.get("/search/", {"q": "macarons"})
    html = response.content.decode()
    assert [r["page"].title for r in response.context["results"]] == ["Our signature macaron"]
    if connection.vendor == "sqlite":  # PostgreSQL stems "macarons" itself: no fallback needed
        assert response.context["searched_instead"] == "macaron"
        assert "showing results for “<strong>macaron</strong>”" in html
    # What the visitor typed is logged, with the number of results shown to them.
    assert Query.get("macarons").hits == 1
    assert QueryResultCount.objects.get(query=Query.get("macarons")).last_result_count == 1


@pytest.mark.django_db
def test_no_fallback_note_when_the_query_matches_or_nothing_matches_at_all(client):
    home = make_site()
    make_standard(home, "Our signature macaron")
    found = client.get("/search/", {"q": "macaron"})
    assert "searched_instead" not in found.context and "showing results for" not in found.content.decode()
    nothing = client.get("/search/", {"q": "croissants"})
    assert nothing.context["results"] == [] and "searched_instead" not in nothing.context
    assert "Nothing matched “croissants”" in nothing.content.decode()
