"""Petit Four demo content for learning: three teachers (users in the "Teachers" group, with
lesson offers and weekly availability), three courses with sessions dated relative to today,
teachers + upcoming-courses blocks on the home page, and a few existing bookings.

Idempotent: users by email, pages by slug under their parent, offers per teacher, sessions added
only when a course has no future session left (so the demo never runs out of dates), bookings
only when the demo customer has none. Images are drawn with Pillow; nothing is downloaded.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Page

from demo.images import draw
from home.models import BlogPage, HomePage
from learning import booking as services
from learning.booking import site_tz
from learning.models import (
    TEACHERS_GROUP,
    AvailabilityWindow,
    BlackoutDate,
    Booking,
    BookingStatus,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    LessonOffer,
    TeacherIndexPage,
    TeacherPage,
)

DEMO_CUSTOMER = ("claire.customer@example.com", "Claire Martin", "bake-demo-2026")
TEACHERS = [
    {
        "slug": "camille-roux",
        "title": "Camille Roux",
        "email": "camille@petitfour.example",
        "password": "teach-camille-2026",
        "palette": ((232, 141, 166), (253, 232, 236)),
        "short_bio": "Head pastry chef. Fifteen years of macarons, from Paris to Lyon.",
        "bio": "<p>Camille trained at the École Ferrandi and ran the macaron bench of a Paris "
        "pâtisserie before opening Petit Four's kitchen. She loves a student who asks why.</p>",
        "specialities": "Macarons, Entremets, Chocolate",
        "languages": "French, English",
        "offer": {"duration_minutes": 60, "price": 6500, "buffer_minutes": 15},
        "windows": [(0, "09:00", "12:00"), (1, "09:00", "12:00"), (3, "14:00", "18:00"), (4, "09:00", "17:00")],
    },
    {
        "slug": "hugo-bernard",
        "title": "Hugo Bernard",
        "email": "hugo@petitfour.example",
        "password": "teach-hugo-2026",
        "palette": ((240, 196, 98), (255, 241, 204)),
        "short_bio": "Viennoiserie obsessive. Croissants, brioche and the patience they need.",
        "bio": "<p>Hugo learned lamination in his grandfather's bakery in Brittany. He teaches "
        "croissants the slow way: cold butter, warm hands, no shortcuts.</p>",
        "specialities": "Viennoiserie, Bread, Laminated dough",
        "languages": "French, English, Spanish",
        "offer": {"duration_minutes": 90, "price": 8500, "buffer_minutes": 30},
        "windows": [(1, "08:00", "13:00"), (2, "08:00", "13:00"), (5, "08:00", "12:00")],
    },
    {
        "slug": "amara-diallo",
        "title": "Amara Diallo",
        "email": "amara@petitfour.example",
        "password": "teach-amara-2026",
        "palette": ((160, 204, 150), (228, 242, 226)),
        "short_bio": "Tarts, cakes and decoration; patient with first-timers.",
        "bio": "<p>Amara designs our celebration cakes. Her classes are where beginners find out "
        "that a perfect tart shell is a matter of temperature, not luck.</p>",
        "specialities": "Tarts, Cake decorating, Gluten-free",
        "languages": "French, English",
        "offer": {"duration_minutes": 60, "price": 6000, "buffer_minutes": 0},
        "windows": [(0, "13:00", "19:00"), (2, "13:00", "19:00"), (4, "13:00", "19:00")],
    },
]
COURSES = [
    {
        "slug": "macaron-masterclass",
        "title": "Macaron masterclass",
        "category": "Macarons",
        "level": CoursePage.Level.INTERMEDIATE,
        "duration_minutes": 180,
        "price": 9500,
        "capacity": 8,
        "teachers": ["camille-roux"],
        "image": ("macarons", "rose"),
        "intro": "Shells with feet, smooth tops and three fillings — the Italian meringue way.",
        "body": "<p>We start with the almond flour and sugar, then the Italian meringue, the "
        "macaronage and the piping. While the shells rest you make a raspberry ganache, "
        "a salted caramel and a pistachio cream. You leave with a box of twenty-four.</p>",
        "bring": "<ul><li>An apron</li><li>A box to carry your macarons home</li></ul>",
        "sessions": [(4, "10:00", 3), (11, "14:00", 3), (25, "10:00", 3)],
    },
    {
        "slug": "croissants-and-viennoiserie",
        "title": "Croissants & viennoiserie",
        "category": "Viennoiserie",
        "level": CoursePage.Level.BEGINNER,
        "duration_minutes": 240,
        "price": 12000,
        "capacity": 6,
        "teachers": ["hugo-bernard"],
        "image": ("croissant", "peach"),
        "intro": "Laminated dough from scratch: croissants, pains au chocolat and a brioche.",
        "body": "<p>Lamination is less mysterious than it looks. You fold butter into a détrempe, "
        "roll, rest and repeat, then shape, proof and bake croissants and pains au chocolat.</p>",
        "bring": "<ul><li>An apron</li><li>A large container</li></ul>",
        "sessions": [(6, "09:00", 4), (20, "09:00", 4)],
    },
    {
        "slug": "tarts-for-beginners",
        "title": "Fruit tarts for beginners",
        "category": "Tarts",
        "level": CoursePage.Level.BEGINNER,
        "duration_minutes": 150,
        "price": 7500,
        "capacity": 10,
        "teachers": ["amara-diallo", "camille-roux"],
        "image": ("tart", "butter"),
        "intro": "A crisp sweet pastry, a silky crème pâtissière and fruit arranged like a pro.",
        "body": "<p>You make a pâte sablée, blind-bake it without shrinking, cook a vanilla crème "
        "pâtissière and finish with seasonal fruit and a glaze.</p>",
        "bring": "<ul><li>An apron</li></ul>",
        "sessions": [(3, "14:00", 2.5), (9, "18:00", 2.5), (16, "14:00", 2.5)],
    },
]


def _portrait(name: str, colors) -> bytes:
    """A friendly abstract portrait (head and shoulders on a soft gradient), drawn with Pillow."""
    size = 800
    main, bg = colors
    rng = random.Random(name)
    img = PILImage.new("RGB", (size, size), bg)
    d = ImageDraw.Draw(img)
    for _i in range(14):  # soft confetti
        x, y, r = rng.randrange(size), rng.randrange(size), rng.randrange(8, 22)
        d.ellipse((x - r, y - r, x + r, y + r), fill=tuple(min(255, c + 30) for c in main))
    img = img.filter(ImageFilter.GaussianBlur(3))
    d = ImageDraw.Draw(img)
    skin = [(241, 200, 170), (198, 140, 105), (120, 80, 60)][len(name) % 3]
    d.ellipse((160, 520, 640, 1000), fill=main)  # shoulders
    d.ellipse((270, 180, 530, 460), fill=skin)  # head
    hair = tuple(max(0, c - 120) for c in main)
    d.chord((255, 160, 545, 380), 180, 360, fill=hair)
    d.rectangle((330, 520, 470, 560), fill=(255, 255, 255))  # chef collar
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _image(title: str, data_fn, alt: str):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = data_fn()
    img = Image(
        title=title, description=alt, file=ImageFile(io.BytesIO(data), name=title.lower().replace(" ", "-") + ".jpg")
    )
    img.save()
    return img


def _child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _user(email, name, password, *, teacher=False):
    User = get_user_model()
    first, _sp, last = name.partition(" ")
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(password)
        user.save()
    try:
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    except Exception:
        pass
    if teacher:
        group, _c = Group.objects.get_or_create(name=TEACHERS_GROUP)
        user.groups.add(group)
    return user, created


def _local(day, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime.combine(day, time(h, m), tzinfo=site_tz())


def _home():
    return HomePage.objects.first() or Page.get_first_root_node()


def _link_blog_posts(teacher):
    """Blog posts written by ``teacher`` (by name) with no author page get the teacher's page."""
    for post in BlogPage.objects.filter(author=teacher.title, author_page__isnull=True):
        post.author_page = teacher
        post.save_revision().publish()


def build(stdout):
    """Create or complete the learning demo (see the module docstring)."""
    home = _home()
    today = timezone.localdate()

    teacher_index, _c = _child(
        home,
        TeacherIndexPage,
        "teachers",
        title="Our teachers",
        intro="<p>Pastry chefs who love to teach. Book a class with them, or a private 1:1 lesson at a time that suits you.</p>",
        search_description="Meet the Petit Four pastry teachers and book a private 1:1 baking lesson in Lyon.",
    )
    course_index, _c = _child(
        home,
        CourseIndexPage,
        "classes",
        title="Baking classes",
        intro="<p>Small groups, real pastry kitchens, and a box of what you baked to take home.</p>",
        search_description="Macaron, croissant and tart classes in Lyon, for beginners and keen bakers.",
    )

    teachers = {}
    stdout.write("  teachers (dev sign-in, password):")
    for spec in TEACHERS:
        user, _created = _user(spec["email"], spec["title"], spec["password"], teacher=True)
        photo = _image(
            f"Teacher {spec['title']}",
            lambda s=spec: _portrait(s["title"], s["palette"]),
            f"Portrait of {spec['title']}",
        )
        page, _c = _child(
            teacher_index,
            TeacherPage,
            spec["slug"],
            title=spec["title"],
            user=user,
            photo=photo,
            short_bio=spec["short_bio"],
            bio=spec["bio"],
            specialities=spec["specialities"],
            languages=spec["languages"],
            search_description=spec["short_bio"],
        )
        _link_blog_posts(page)
        offer, created = LessonOffer.objects.get_or_create(teacher=page, defaults=spec["offer"])
        if created:
            for i, (weekday, start, end) in enumerate(spec["windows"]):
                AvailabilityWindow.objects.create(
                    offer=offer,
                    sort_order=i,
                    weekday=weekday,
                    start_time=time(*map(int, start.split(":"))),
                    end_time=time(*map(int, end.split(":"))),
                )
            BlackoutDate.objects.create(offer=offer, date=today + timedelta(days=21), note="Salon du chocolat")
        teachers[spec["slug"]] = page
        stdout.write(f"    {spec['email']} / {spec['password']}")

    for spec in COURSES:
        motif, palette = spec["image"]
        img = _image(spec["title"], lambda m=motif, p=palette: draw(m, p, (1600, 1000), seed=7), spec["intro"])
        page, created = _child(
            course_index,
            CoursePage,
            spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            image=img,
            category=spec["category"],
            level=spec["level"],
            duration_minutes=spec["duration_minutes"],
            price=spec["price"],
            what_to_bring=spec["bring"],
            search_description=spec["intro"],
            description=[{"type": "paragraph", "value": spec["body"]}],
        )
        if created:
            page.teachers.set([teachers[s] for s in spec["teachers"]])
            page.save_revision().publish()
        if not CourseSession.objects.filter(page=page, start__gt=timezone.now()).exists():
            for i, (days, start, hours) in enumerate(spec["sessions"]):
                begin = _local(today + timedelta(days=days), start)
                CourseSession.objects.create(
                    page=page,
                    sort_order=i,
                    start=begin,
                    end=begin + timedelta(hours=hours),
                    capacity=spec["capacity"],
                    location="Petit Four kitchen, 12 rue Mercière, Lyon",
                )
    stdout.write("  3 courses with upcoming sessions")

    _home_blocks(home, stdout)
    _bookings(teachers, stdout)


def _home_blocks(home, stdout):
    """Append the teachers and upcoming-courses blocks to the home page body, once."""
    if not hasattr(home, "body"):
        return
    kinds = {b.block_type for b in home.body}
    raw = list(home.body.raw_data)
    added = False
    if "upcoming_courses" not in kinds:
        raw.append({"type": "upcoming_courses", "value": {"heading": "Upcoming classes", "category": "", "count": 3}})
        added = True
    if "teachers" not in kinds:
        raw.append({"type": "teachers", "value": {"heading": "Meet our teachers", "teachers": [], "count": 3}})
        added = True
    if added:
        home.body = raw
        home.save_revision().publish()
        stdout.write("  home page: teachers and upcoming-courses blocks added")


def _bookings(teachers, stdout):
    """A demo customer with a confirmed class seat, a lesson awaiting confirmation and a past one."""
    email, name, password = DEMO_CUSTOMER
    customer, _created = _user(email, name, password)
    stdout.write(f"  demo customer: {email} / {password}")
    if Booking.objects.filter(customer=customer).exists():
        return
    now = timezone.now()
    session = CourseSession.objects.filter(page__slug="tarts-for-beginners", start__gt=now).order_by("start").first()
    if session:
        Booking.objects.create(
            kind=Booking.SEAT,
            session=session,
            course=session.page,
            title=session.page.title,
            customer=customer,
            customer_email=email,
            customer_name=name,
            start=session.start,
            end=session.end,
            quantity=2,
            status=BookingStatus.CONFIRMED,
            paid_at=now,
            confirmed_at=now,
        )

    camille = teachers["camille-roux"]
    offer = camille.lesson_offer
    for day_slots in services.slots_by_day(offer, timezone.localdate() + timedelta(days=3), 10).values():
        if day_slots:
            slot = day_slots[0]
            Booking.objects.create(
                kind=Booking.LESSON,
                teacher=camille,
                title=f"1:1 lesson with {camille.title}",
                customer=customer,
                customer_email=email,
                customer_name=name,
                start=slot.start,
                end=slot.end,
                status=BookingStatus.PAID,
                paid_at=now,
                goal="My macaron shells crack in the oven.",
            )
            break
    past = (now - timedelta(days=12)).replace(minute=0, second=0, microsecond=0)
    Booking.objects.create(
        kind=Booking.LESSON,
        teacher=teachers["hugo-bernard"],
        title="1:1 lesson with Hugo Bernard",
        customer=customer,
        customer_email=email,
        customer_name=name,
        start=past,
        end=past + timedelta(minutes=90),
        status=BookingStatus.COMPLETED,
        paid_at=past - timedelta(days=5),
        goal="Croissant lamination",
    )
    stdout.write("  demo bookings created")
