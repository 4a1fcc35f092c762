"""End to end in headless Chromium: a signed-in customer books a 1:1 lesson and a course seat,
pays for both in one checkout (localstripe's Stripe.js), sees them in "My bookings"; the teacher
signs in and confirms; the customer then sees "Confirmed". Runs with the site's real CSP."""

import re

import pytest

from conftest import watch_csp
from learning.models import Booking, BookingStatus
from learning.tests.helpers import make_course, make_teacher, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "browser-pass-2026"


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.acct-form button[type=submit]").click()
    page.wait_for_load_state()


def test_book_lesson_and_seat_pay_once_teacher_confirms(chromium, live_server, localstripe, settings, artifacts_dir):
    localstripe.register_webhook("learning", f"{live_server.url}/shop/stripe/webhook/", settings.STRIPE_WEBHOOK_SECRET)
    teacher_user = make_user("camille.teacher@example.com", teacher=True, password=PASSWORD)
    teacher = make_teacher("Camille Roux", user=teacher_user, price=6500)
    course = make_course("Macaron masterclass", price=9500, sessions=[(6, 8)])
    customer = make_user("claire@example.com", password=PASSWORD)
    customer.first_name, customer.last_name = "Claire", "Martin"
    customer.save()

    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    csp_errors = watch_csp(page)
    sign_in(page, live_server, customer.email)

    # 1:1 lesson: the first free slot is pre-selected; add a goal.
    page.goto(live_server.url + teacher.url)
    slot_value = page.locator("input[name=start]:checked").get_attribute("value")
    page.fill("textarea[name=goal]", "Macaron shells without cracks")
    page.screenshot(path=str(artifacts_dir / "learning-teacher-phone.png"), full_page=True)
    page.get_by_role("button", name="Add lesson to cart").click()
    page.wait_for_url(re.compile(r"/shop/cart/"))

    # Course seat.
    page.goto(live_server.url + course.url)
    page.fill("input[name=quantity]", "1")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url(re.compile(r"/shop/cart/"))
    assert page.get_by_text("1:1 lesson with Camille Roux").first.is_visible()
    assert page.get_by_text("Macaron masterclass").first.is_visible()

    # One checkout, one payment.
    page.goto(f"{live_server.url}/shop/checkout/")
    if not page.input_value("input[name=name]"):
        page.fill("input[name=name]", "Claire Martin")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/shop/checkout/[^/]+/pay/"))
    assert page.get_by_role("button", name=re.compile(r"Pay €160\.00")).is_visible()
    page.get_by_role("button", name=re.compile(r"Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_text("Thank you, your order is confirmed!").wait_for()

    lesson = Booking.objects.get(kind="lesson", customer_email="claire@example.com")
    seat = Booking.objects.get(kind="seat", customer_email="claire@example.com")
    assert lesson.start.strftime("%Y-%m-%dT%H:%M:%SZ") == slot_value
    assert (lesson.status, seat.status) == (BookingStatus.PAID, BookingStatus.CONFIRMED)

    page.goto(f"{live_server.url}/learning/bookings/")
    assert page.locator(f"#booking-{lesson.pk} [data-status=paid]").is_visible()
    assert page.locator(f"#booking-{seat.pk} [data-status=confirmed]").is_visible()
    assert page.get_by_text("Macaron shells without cracks").is_visible()
    page.screenshot(path=str(artifacts_dir / "learning-my-bookings-phone.png"), full_page=True)

    # The teacher signs in and confirms.
    teacher_context = chromium.new_context(viewport=DESKTOP)
    tpage = teacher_context.new_page()
    sign_in(tpage, live_server, teacher_user.email)
    tpage.goto(f"{live_server.url}/learning/teach/")
    card = tpage.locator(f"#booking-{lesson.pk}")
    assert "Claire Martin" in card.inner_text() and "Macaron shells without cracks" in card.inner_text()
    tpage.screenshot(path=str(artifacts_dir / "learning-teacher-dashboard-desktop.png"), full_page=True)
    card.get_by_role("button", name="Confirm").click()
    tpage.get_by_text("Lesson confirmed").wait_for()
    teacher_context.close()

    page.reload()
    assert page.locator(f"#booking-{lesson.pk} [data-status=confirmed]").is_visible()
    assert "Confirmed" in page.locator(f"#booking-{lesson.pk}").inner_text()
    assert csp_errors == []
    context.close()
