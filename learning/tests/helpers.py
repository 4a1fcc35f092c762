"""Builders for learning tests: teachers with lesson offers, courses with sessions, carts and
orders placed through the shop's real checkout (``shop.checkout.place_order``).
"""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from learning import booking as services
from learning.models import (
    TEACHERS_GROUP,
    AvailabilityWindow,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    LessonOffer,
    TeacherIndexPage,
    TeacherPage,
)
from learning.purchasables import lesson_key
from shop.checkout import place_order
from shop.models import Cart, CartLine
from shop.tests.factories import checkout_data, make_site
from shop.tests.offer_helpers import pay as shop_pay

_seq = itertools.count(1)


def make_user(email: str | None = None, *, teacher: bool = False, password: str = "pass-1234-word"):
    n = next(_seq)
    email = email or f"user{n}@example.com"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password, first_name=f"User{n}", last_name="Test"
    )
    if teacher:
        user.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
    return user


def site_root():

    return make_site()


def _index(page_class, title: str, slug: str):
    """The live index page ``slug`` under the site root, created and published once."""
    index = page_class.objects.filter(slug=slug).first()
    if index is None:
        index = page_class(title=title, slug=slug)
        site_root().add_child(instance=index)
        index.save_revision().publish()
    return index


def teacher_index() -> TeacherIndexPage:
    return _index(TeacherIndexPage, "Teachers", "t-teachers")


def course_index() -> CourseIndexPage:
    return _index(CourseIndexPage, "Classes", "t-classes")


def make_teacher(
    name: str = "Camille Roux",
    *,
    user=None,
    price: int = 6000,
    duration: int = 60,
    windows=None,
    lead_time_hours: int = 48,
    horizon_days: int = 60,
    buffer: int = 0,
    step: int = 60,
):
    """A live TeacherPage linked to a Teachers-group user, with an active LessonOffer whose
    windows default to every day 09:00–17:00 (site time zone)."""
    n = next(_seq)
    user = user or make_user(f"teacher{n}@example.com", teacher=True)
    page = TeacherPage(title=name, slug=f"teacher-{n}", user=user, short_bio="Pastry chef")
    teacher_index().add_child(instance=page)
    page.save_revision().publish()
    offer = LessonOffer.objects.create(
        teacher=page,
        duration_minutes=duration,
        price=price,
        lead_time_hours=lead_time_hours,
        horizon_days=horizon_days,
        buffer_minutes=buffer,
        slot_step_minutes=step,
    )
    for weekday, start, end in windows or [(d, time(9), time(17)) for d in range(7)]:
        AvailabilityWindow.objects.create(offer=offer, weekday=weekday, start_time=start, end_time=end)
    return page


def make_course(
    title: str = "Macaron masterclass",
    *,
    price: int = 9500,
    sessions=None,
    level="intermediate",
    category="Macarons",
    **fields,
):
    """A live CoursePage; ``sessions`` = list of ``(days_from_now, capacity)`` (default one, 8 seats)."""
    n = next(_seq)
    page = CoursePage(
        title=title, slug=f"course-{n}", price=price, level=level, category=category, intro=f"{title} intro", **fields
    )
    course_index().add_child(instance=page)
    page.save_revision().publish()
    for days, capacity in sessions or [(7, 8)]:
        start = (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        CourseSession.objects.create(
            page=page, start=start, end=start + timedelta(hours=3), capacity=capacity, location="Petit Four kitchen"
        )
    return page


def first_free_slot(teacher: TeacherPage, skip: int = 0):
    """The first free slot (``learning.slots.Slot``) of ``teacher`` from today on."""
    by_day = services.slots_by_day(teacher.lesson_offer, timezone.localdate(), 30)
    slots = [s for day in by_day.values() for s in day]
    return slots[skip]


def lesson_line_key(teacher, slot) -> str:
    return lesson_key(teacher.pk, slot.start)


def place_cart(lines, *, email="claire@example.com", name="Claire Martin", user=None):
    """Place an order through the shop's checkout for ``lines`` = ``[(kind, key, quantity, options)]``."""

    cart = Cart.objects.filter(user=user).first() if user else None
    if cart is None:
        cart = Cart.objects.create(user=user)
    cart.lines.all().delete()
    for kind, key, quantity, options in lines:
        CartLine.objects.create(
            cart=cart, purchasable_kind=kind, purchasable_key=key, quantity=quantity, options=options or {}
        )
    return place_order(cart, checkout_data(email=email, name=name), user=user)


def pay(order, pi: str | None = None):

    return shop_pay(order, pi=pi)


def local(dt: datetime) -> datetime:
    return dt.astimezone(services.site_tz())
