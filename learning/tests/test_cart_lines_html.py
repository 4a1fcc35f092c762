"""The cart page: a lesson slot (max quantity 1) shows its quantity as text, not a box, and the
goal the customer wrote under its title; other lines keep their quantity box."""

import re

import pytest
from django.urls import reverse

from learning.tests.helpers import first_free_slot, make_teacher
from shop.tests.factories import make_variant

pytestmark = pytest.mark.django_db


def cart_lines_html(html):
    """``{title: <li> html}`` for each line of the rendered cart."""
    items = re.findall(r'<li class="shop-cart-line.*?</li>', html, flags=re.S)
    return {re.search(r'class="shop-cart-line__title"[^>]*>([^<]+)<', item).group(1): item for item in items}


def test_lesson_line_has_no_quantity_box_and_shows_its_goal(client):

    teacher = make_teacher("Camille Roux")
    slot = first_free_slot(teacher)
    added = client.post(
        "/learning/cart/lesson/",
        {"teacher": teacher.pk, "start": slot.key_start, "goal": "My macaron shells <crack> in the oven"},
    )
    assert added.status_code == 302
    client.post(
        reverse("shop:cart_add"), {"variant": make_variant("Macaron box", price=1800, stock=9).pk, "quantity": 2}
    )

    response = client.get(reverse("shop:cart"))

    assert response.status_code == 200
    lines = cart_lines_html(response.content.decode())
    assert len(lines) == 2
    lesson = lines["1:1 lesson with Camille Roux"]
    box = next(item for title, item in lines.items() if title.startswith("Macaron box"))
    assert 'name="quantity"' not in lesson and "Update</button>" not in lesson
    assert re.search(r'shop-cart-line__qty--fixed">.*?</span>1</p>', lesson)
    assert "Your goal:</span> My macaron shells &lt;crack&gt; in the oven" in lesson  # escaped
    assert "Remove" in lesson  # it can still be removed
    assert 'name="quantity" value="2"' in box and 'max="99"' in box
    assert "Your goal" not in box
