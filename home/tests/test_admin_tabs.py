"""Editors' comfort: the busiest page types open in tabs of their own, each with help text."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from home.models import HomePage
from home.tests.factories import ensure_root
from learning.models import CoursePage
from shop.models import ProductPage

pytestmark = pytest.mark.django_db


def test_page_editors_are_grouped_in_tabs_with_help(client):
    """Home, product and course pages open in tabs (their own, then Promote; publishing settings
    are in the side panel)."""
    ensure_root()
    call_command("load_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw-ed-1"))
    expected = {
        HomePage: ["Hero", "Page body"],
        ProductPage: ["Product", "Variants &amp; prices", "Pictures"],
        CoursePage: ["Course", "Sessions"],
    }
    for model, tabs in expected.items():
        page = model.objects.live().first()
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "The first picture is the product" in html or model is not ProductPage  # the tab's help
        for tab in [*tabs, "Promote"]:
            assert f">{tab}<" in html.replace("\n", "").replace("  ", ""), (model, tab)
