"""The Wagtail admin Bookings view: filters and CSV export; lesson offers editable by staff."""

import pytest
from django.contrib.auth import get_user_model

from learning.tests.helpers import (
    first_free_slot,
    lesson_line_key,
    make_course,
    make_teacher,
    pay,
    place_cart,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw-admin-123")
    client.force_login(admin)
    return client


def test_bookings_listing_filters_and_export(staff_client):
    camille, hugo = make_teacher("Camille Roux"), make_teacher("Hugo Bernard")
    pay(place_cart([("lesson", lesson_line_key(camille, first_free_slot(camille)), 1, {})], email="ana@example.com"))
    place_cart([("lesson", lesson_line_key(hugo, first_free_slot(hugo)), 1, {})], email="bob@example.com")
    course = make_course("Tarts")
    place_cart([("session_seat", str(course.sessions.get().pk), 2, {})], email="cy@example.com")

    html = staff_client.get("/admin/bookings/").content.decode()
    assert "ana@example.com" in html and "bob@example.com" in html and "cy@example.com" in html
    html = staff_client.get("/admin/bookings/", {"teacher": hugo.pk}).content.decode()
    assert "bob@example.com" in html and "ana@example.com" not in html
    html = staff_client.get("/admin/bookings/", {"status": "paid"}).content.decode()
    assert "ana@example.com" in html and "bob@example.com" not in html
    html = staff_client.get("/admin/bookings/", {"course": course.pk}).content.decode()
    assert "cy@example.com" in html and "ana@example.com" not in html
    csv = staff_client.get("/admin/bookings/", {"export": "csv"})
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "ana@example.com" in body and "cy@example.com" in body and "Order" in body.splitlines()[0]


def test_staff_edit_lesson_offers(staff_client):
    teacher = make_teacher("Amara Diallo")
    assert staff_client.get("/admin/lesson_offers/").status_code == 200
    assert "Amara Diallo" in staff_client.get(f"/admin/lesson_offers/edit/{teacher.lesson_offer.pk}/").content.decode()


def test_bookings_cannot_be_added_by_hand(staff_client):
    assert staff_client.get("/admin/bookings/new/").status_code in (302, 403)
    assert "Add booking" not in staff_client.get("/admin/bookings/").content.decode()
