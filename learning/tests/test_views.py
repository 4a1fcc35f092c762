"""Pages, add-to-cart validation, dashboards and access rules, through the test client."""

import json
import re
from datetime import time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import Booking, BookingStatus, CoursePage, CourseSession
from learning.tests.helpers import (
    course_index,
    first_free_slot,
    lesson_line_key,
    make_course,
    make_teacher,
    make_user,
    pay,
    place_cart,
)
from shop.models import CartLine

pytestmark = pytest.mark.django_db


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def cart_lines():

    return list(CartLine.objects.values_list("purchasable_kind", "purchasable_key", "quantity", "options"))


# --- pages -----------------------------------------------------------------------------------


def test_course_index_lists_courses_with_next_session_and_filters(client):
    make_course("Macaron masterclass", level="intermediate", category="Macarons", sessions=[(3, 8), (10, 8)])
    make_course("Fruit tarts", level="beginner", category="Tarts", sessions=[(5, 2)])
    url = course_index().url
    html = client.get(url).content.decode()
    assert "Macaron masterclass" in html and "Fruit tarts" in html and "Next session" in html
    assert "Europe/Paris" in html
    html = client.get(url, {"level": "beginner"}).content.decode()
    assert "Fruit tarts" in html and "Macaron masterclass" not in html
    html = client.get(url, {"category": "macarons"}).content.decode()
    assert "Macaron masterclass" in html and "Fruit tarts" not in html
    assert client.get(url, {"level": "<script>"}).status_code == 200


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_course_index_query_count_does_not_grow_with_courses(client):
    make_course("One", sessions=[(3, 8), (4, 8)])
    url = course_index().url
    client.get(url)  # warm caches (site, settings)
    few = _count_queries(client, url)
    for i in range(6):
        make_course(f"More {i}", sessions=[(3 + i, 8), (9, 4)])
    client.get(url)  # warm again: publishing pages clears the site's menu cache
    many = _count_queries(client, url)
    assert many == few, (few, many)


def test_course_page_shows_seats_few_and_full_and_structured_data(client):
    course = make_course("Croissants", sessions=[(3, 8), (4, 3), (5, 1)])
    full = course.sessions.order_by("start").last()
    order = place_cart([("session_seat", str(full.pk), 1, {})])
    pay(order)
    html = client.get(course.url).content.decode()
    assert "8 seats left" in html and "Few seats left · 3" in html and ">Full<" in html
    assert re.search(rf'value="{full.pk}"\s+disabled', html)
    data = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    course_ld = next(d for d in data if d.get("@type") == "Course")
    assert course_ld["name"] == "Croissants" and course_ld["offers"][0]["price"] == "95.00"
    assert len(course_ld["hasCourseInstance"]) == 3
    instance = course_ld["hasCourseInstance"][0]
    assert instance["courseMode"] == "Onsite" and instance["location"]["name"] == "Petit Four kitchen"
    assert instance["startDate"] and instance["endDate"]
    assert course_ld["hasCourseInstance"][2]["offers"]["availability"] == "https://schema.org/SoldOut"


def test_teacher_page_shows_free_slots_and_person_data(client):
    teacher = make_teacher("Amara Diallo")
    slot = first_free_slot(teacher)
    day = slot.start.astimezone(timezone.get_current_timezone()).date()
    html = client.get(teacher.url, {"date": day.isoformat()}).content.decode()
    assert f'value="{slot.key_start}"' in html and "Europe/Paris" in html
    assert '"@type": "Person"' in html or '"@type":"Person"' in html
    for bad in ["yesterday", "2001-01-01", (timezone.localdate() + timedelta(days=400)).isoformat()]:
        response = client.get(teacher.url, {"date": bad})
        assert response.status_code == 200 and 'class="lrn-alert"' in response.content.decode()


# --- add to cart: good and bad input ---------------------------------------------------------


def test_add_lesson_to_cart(client):
    teacher = make_teacher()
    slot = first_free_slot(teacher)
    response = client.post("/learning/cart/lesson/", {"teacher": teacher.pk, "start": slot.key_start, "goal": "Shells"})
    assert response.status_code == 302 and response["Location"].endswith("/shop/cart/")
    assert cart_lines() == [("lesson", lesson_line_key(teacher, slot), 1, {"goal": "Shells"})]


@pytest.mark.parametrize(
    "case, message",
    [
        ("past", "in the past"),
        ("lead_time", "further ahead"),
        ("outside", "does not teach at this time"),
        ("garbage_start", "listed times"),
        ("tampered_teacher", "does not offer lessons"),
        ("horizon", "too far ahead"),
        ("taken", "just been taken"),
    ],
)
def test_add_lesson_bad_input_gets_a_message_and_changes_nothing(client, case, message):
    teacher = make_teacher(windows=[(d, time(9), time(12)) for d in range(7)])
    slot = first_free_slot(teacher)
    start, teacher_id = slot.key_start, teacher.pk
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    if case == "past":
        start = (timezone.now() - timedelta(days=1)).strftime(fmt)
    elif case == "lead_time":
        start = (timezone.now() + timedelta(hours=3)).replace(minute=0, second=0).strftime(fmt)
    elif case == "outside":
        start = (slot.start + timedelta(hours=6)).strftime(fmt)  # 15:00 or later, outside 09–12
    elif case == "garbage_start":
        start = "tomorrow at nine"
    elif case == "tampered_teacher":
        teacher_id = 999999
    elif case == "horizon":
        start = (slot.start + timedelta(days=90)).strftime(fmt)
    elif case == "taken":
        place_cart([("lesson", lesson_line_key(teacher, slot), 1, {})], email="someone@example.com")

        CartLine.objects.all().delete()  # that customer's cart is not the one under test
    response = client.post("/learning/cart/lesson/", {"teacher": teacher_id, "start": start})
    assert response.status_code == 302
    assert any(message in m for m in flashed(response)), flashed(response)
    assert cart_lines() == []


def test_add_seats_to_cart_and_bad_input(client):
    course = make_course(sessions=[(5, 3)])
    session = course.sessions.get()
    r = client.post("/learning/cart/seats/", {"session": session.pk, "quantity": "2"})
    assert r.status_code == 302 and r["Location"].endswith("/shop/cart/")
    assert cart_lines() == [("session_seat", str(session.pk), 2, {})]
    past = CourseSession.objects.create(
        page=course, start=timezone.now() - timedelta(days=1), end=timezone.now() - timedelta(hours=20), capacity=5
    )
    for data, message in [
        ({"session": "99999", "quantity": "1"}, "listed sessions"),
        ({"session": "abc", "quantity": "1"}, "listed sessions"),
        ({"session": past.pk, "quantity": "1"}, "already started"),
        ({"session": session.pk, "quantity": "4"}, "seat(s) left"),
        ({"session": session.pk, "quantity": "-1"}, "at least one seat"),
        ({"session": session.pk, "quantity": "lots"}, "number of seats"),
    ]:
        r = client.post("/learning/cart/seats/", data)
        assert r.status_code == 302 and any(message in m for m in flashed(r)), (data, flashed(r))
    assert cart_lines() == [("session_seat", str(session.pk), 2, {})]


# --- dashboards and access -------------------------------------------------------------------


@pytest.fixture
def paid_lesson():
    teacher = make_teacher("Camille Roux")
    customer = make_user("claire@example.com")
    slot = first_free_slot(teacher)
    order = place_cart(
        [("lesson", lesson_line_key(teacher, slot), 1, {"goal": "Macaron feet"})], email=customer.email, user=customer
    )
    pay(order)
    return Booking.objects.get(order_line__order=order), teacher, customer


def test_my_bookings_shows_own_bookings_only(client, paid_lesson):
    booking, teacher, customer = paid_lesson
    client.force_login(customer)
    html = client.get("/learning/bookings/").content.decode()
    assert "1:1 lesson with Camille Roux" in html and "Paid" in html and "Cancel and refund" in html
    assert client.get(f"/learning/bookings/{booking.pk}/ics/")["Content-Type"].startswith("text/calendar")
    stranger = make_user("mallory@example.com")
    client.force_login(stranger)
    assert "Camille Roux" not in client.get("/learning/bookings/").content.decode()
    assert client.get(f"/learning/bookings/{booking.pk}/ics/").status_code == 404
    assert client.post(f"/learning/bookings/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PAID


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ["/learning/bookings/", "/learning/teach/"]:
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_non_teacher_gets_no_dashboard(client, paid_lesson):
    _booking, _teacher, customer = paid_lesson
    client.force_login(customer)
    assert client.get("/learning/teach/").status_code == 403
    assert client.get("/learning/teach/availability/").status_code == 403


def test_teacher_dashboard_confirm_and_other_teacher_cannot(client, paid_lesson):
    booking, teacher, customer = paid_lesson
    other = make_teacher("Hugo Bernard")
    client.force_login(other.user)
    assert "Macaron feet" not in client.get("/learning/teach/").content.decode()
    assert client.post(f"/learning/teach/bookings/{booking.pk}/confirm/").status_code == 404
    assert client.post(f"/learning/teach/bookings/{booking.pk}/decline/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PAID
    client.force_login(teacher.user)
    html = client.get("/learning/teach/").content.decode()
    assert "Claire Martin" in html and "Macaron feet" in html
    r = client.post(f"/learning/teach/bookings/{booking.pk}/confirm/")
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    client.force_login(customer)
    assert 'data-status="confirmed"' in client.get("/learning/bookings/").content.decode()


def test_cancel_after_cutoff_is_refused(client, settings, paid_lesson):
    booking, _teacher, customer = paid_lesson
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 24 * 400
    client.force_login(customer)
    assert "Cancel and refund" not in client.get("/learning/bookings/").content.decode()
    r = client.post(f"/learning/bookings/{booking.pk}/cancel/")
    assert r.status_code == 302 and any("can be cancelled up to" in m for m in flashed(r))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PAID


def test_teacher_edits_own_availability(client):
    teacher = make_teacher(windows=[(0, time(9), time(12))])
    client.force_login(teacher.user)
    page = client.get("/learning/teach/availability/")
    assert page.status_code == 200
    window = teacher.lesson_offer.windows.get()
    data = {
        "lead_time_hours": "24",
        "horizon_days": "30",
        "buffer_minutes": "10",
        "windows-TOTAL_FORMS": "2",
        "windows-INITIAL_FORMS": "1",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
        "windows-0-id": window.pk,
        "windows-0-weekday": "0",
        "windows-0-start_time": "10:00",
        "windows-0-end_time": "13:00",
        "windows-1-weekday": "2",
        "windows-1-start_time": "14:00",
        "windows-1-end_time": "18:00",
        "blackouts-TOTAL_FORMS": "1",
        "blackouts-INITIAL_FORMS": "0",
        "blackouts-MIN_NUM_FORMS": "0",
        "blackouts-MAX_NUM_FORMS": "1000",
        "blackouts-0-date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "blackouts-0-note": "Holiday",
    }
    assert client.post("/learning/teach/availability/", data).status_code == 302
    offer = teacher.lesson_offer
    offer.refresh_from_db()
    assert offer.lead_time_hours == 24 and offer.windows.count() == 2 and offer.blackouts.count() == 1
    data["windows-1-end_time"] = "13:00"  # ends before it starts
    r = client.post("/learning/teach/availability/", data)
    assert r.status_code == 200 and "must end after it starts" in r.content.decode()


def test_detail_pages_query_count_does_not_grow(client):
    """The page's own queries are fixed (sessions, seat counts, teachers; offer, windows,
    blackouts, busy times); more sessions, teachers or bookings add none."""
    teacher = make_teacher("Amara Diallo")
    course = make_course("Tarts", sessions=[(3, 8)])
    course.teachers.set([teacher])
    course.save_revision().publish()
    counts = {}
    for url in (course.url, teacher.url):
        client.get(url)
        counts[url] = _count_queries(client, url)
    for i in range(5):
        start = timezone.now() + timedelta(days=4 + i)
        CourseSession.objects.create(page=course, start=start, end=start + timedelta(hours=2), capacity=4)
    course.teachers.add(make_teacher(f"Other {i}"))
    course.save_revision().publish()
    for n in range(3):
        place_cart(
            [("lesson", lesson_line_key(teacher, first_free_slot(teacher, skip=0)), 1, {})], email=f"q{n}@example.com"
        )
        place_cart([("session_seat", str(course.sessions.last().pk), 1, {})], email=f"s{n}@example.com")
    for url, before in counts.items():
        client.get(url)  # warm again: publishing pages clears the site's menu cache
        assert _count_queries(client, url) == before, url


def test_site_search_finds_courses_by_title_description_and_category():

    make_course("Macaron masterclass", category="Macarons")
    make_course("Laminated dough", category="Viennoiserie")
    titles = lambda q: {p.title for p in CoursePage.objects.live().search(q)}  # noqa: E731
    assert titles("masterclass") == {"Macaron masterclass"}
    assert titles("Viennoiserie") == {"Laminated dough"}
    assert "Laminated dough" in titles("dough intro")
