"""The admin has one "Shop" menu group holding every shop screen (as Learning and Marketing do)."""

import json
import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

SHOP_SCREENS = ["Orders", "Stock", "Product categories", "Shipping methods", "Offers", "Digital files", "Shop settings"]


def sidebar_labels(client) -> list[str]:
    """Every menu label of the admin sidebar, in order (its props are telepath-packed JSON)."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    return re.findall(r'"label": "([^"]+)"', json.dumps(json.loads(props.group(1))))


def test_shop_group_holds_every_shop_screen(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-1")
    client.force_login(admin)
    labels = sidebar_labels(client)
    assert "Shop" in labels and "Learning" in labels and "Marketing" in labels
    shop_at = labels.index("Shop")
    assert labels[shop_at + 1 : shop_at + 1 + len(SHOP_SCREENS)] == SHOP_SCREENS
    assert labels.count("Orders") == 1 and labels.count("Stock") == 1  # not also on their own
