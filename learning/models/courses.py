"""Course pages: the course listing, a course page and its dated sessions (the seats sold).

Prices are integers in minor units of the shop currency.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from base import page_cache, parsing, seo
from base.blocks import BasicStreamBlock
from base.models.pages import BasePage
from learning.models.bookings import Booking
from learning.timekeeping import cancel_cutoff, format_duration, iso_duration
from shop.models import shop_config
from shop.money import Money

FEW_SEATS_LEFT = 3  # "few seats left" when this many or fewer remain


class CourseIndexPage(BasePage):
    """The list of courses: upcoming sessions first, filterable by level and category."""

    intro = RichTextField(blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    subpage_types = ["learning.CoursePage"]
    template = "learning/course_index_page.html"

    def get_courses(self, level: str = "", category: str = ""):
        """Live child courses with ``next_session`` and ``sessions_upcoming`` attached.

        A fixed number of queries whatever the number of courses (pages, sessions, seat
        counts, renditions), so the listing stays cheap.
        """
        courses = (
            CoursePage.objects.child_of(self)
            .live()
            .public()
            .defer_streamfields()
            .select_related("image")
            .order_by("title")
        )
        if level:
            courses = courses.filter(level=level)
        if category:
            courses = courses.filter(category__iexact=category)
        courses = list(courses)
        CoursePage.attach_upcoming_sessions(courses)
        courses.sort(key=lambda c: (c.next_session is None, c.next_session.start if c.next_session else None, c.title))
        return courses

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        level = parsing.choice(request.GET.get("level"), CoursePage.Level.values, default="")
        try:
            category = parsing.text(request.GET.get("category"), max_length=60)
        except parsing.InvalidInput:
            category = ""
        context["courses"] = self.get_courses(level, category)
        page_cache.depends_on(request, "type:learning.coursepage")
        CoursePage.record_cache_dependencies(request, context["courses"])
        context["levels"] = CoursePage.Level.choices
        context["categories"] = sorted(
            set(CoursePage.objects.child_of(self).live().exclude(category="").values_list("category", flat=True))
        )
        context["level"], context["category"] = level, category
        return context


class CoursePage(BasePage):
    """A class the school teaches, with scheduled sessions (``CourseSession``) to book seats in."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")
        ALL = "all", _("All levels")

    intro = models.CharField(max_length=255, blank=True, help_text=_("One sentence shown on listings."))
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = StreamField(BasicStreamBlock(), blank=True, use_json_field=True)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.ALL)
    category = models.CharField(max_length=60, blank=True, help_text=_("E.g. Macarons, Viennoiserie."))
    duration_minutes = models.PositiveIntegerField(default=180, help_text=_("Length of one session."))
    price = models.PositiveIntegerField(help_text=_("Price of one seat, in minor units (cents)."), default=0)
    what_to_bring = RichTextField(blank=True, features=["bold", "italic", "ul", "link"])
    teachers = ParentalManyToManyField("learning.TeacherPage", blank=True, related_name="courses")

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("level"), FieldPanel("category"), FieldPanel("duration_minutes"), FieldPanel("price")],
            heading=_("Course details"),
        ),
        FieldPanel("what_to_bring"),
        FieldPanel("teachers", widget=forms.CheckboxSelectMultiple),
    ]
    edit_handler = BasePage.tabbed(
        ("Course", "What the class teaches, who teaches it and what it costs per seat.", content_panels),
        (
            "Sessions",
            "Dates customers can book, each with its capacity (seats). Past sessions stay for the records.",
            [InlinePanel("sessions", heading=_("Sessions"), label=_("Session"))],
        ),
    )
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("category"),
        index.FilterField("level"),
        index.FilterField("category"),
    ]
    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types: list[str] = []
    route_select_related = ("image",)  # shown on every visit: fetched with the page (BasePage.route)
    template = "learning/course_page.html"

    @property
    def price_money(self) -> Money:
        return Money(self.price, shop_config().currency)

    @property
    def duration_display(self) -> str:
        return format_duration(self.duration_minutes)

    @staticmethod
    def attach_upcoming_sessions(courses) -> None:
        """Set ``sessions_upcoming`` (with ``seats_left``) and ``next_session`` on each course.

        Two queries for any number of courses: the sessions, and the seat counts.
        """
        by_id = {c.pk: c for c in courses}
        for course in courses:
            course.sessions_upcoming = []
            course.next_session = None
        if not by_id:
            return
        sessions = list(CourseSession.objects.filter(page_id__in=by_id, start__gt=timezone.now()).order_by("start"))
        CourseSession.attach_seats_left(sessions)
        for session in sessions:
            course = by_id[session.page_id]
            course.sessions_upcoming.append(session)
        for course in courses:
            bookable = [s for s in course.sessions_upcoming if s.seats_left > 0]
            course.next_session = (bookable or course.sessions_upcoming or [None])[0]

    @staticmethod
    def record_cache_dependencies(request, courses) -> None:
        """Tell the page cache (:mod:`base.page_cache`) that ``courses`` (with upcoming sessions
        attached) are shown: their ``page:<id>`` tags (purged when seats change) and the start
        of the first upcoming session (it leaves the page then)."""
        page_cache.depends_on(request, *(f"page:{c.pk}" for c in courses))
        starts = [s.start for c in courses for s in getattr(c, "sessions_upcoming", [])]
        if starts:
            page_cache.expires_at(request, min(starts))

    @cached_property
    def upcoming_sessions(self) -> list[CourseSession]:
        """Future sessions in date order, each with ``seats_left`` set (two queries).

        In a preview (or on an unsaved page) the sessions are the editor's in-memory rows
        (modelcluster's FakeQuerySet): they are filtered and sorted in Python.
        """
        sessions = self.sessions.all()
        if isinstance(sessions, models.QuerySet):
            self.attach_upcoming_sessions([self])
            return self.sessions_upcoming
        now = timezone.now()
        upcoming = sorted((s for s in sessions if s.start and s.start > now), key=lambda s: s.start)
        CourseSession.attach_seats_left(upcoming)
        self.sessions_upcoming = upcoming
        self.next_session = next((s for s in upcoming if s.seats_left > 0), upcoming[0] if upcoming else None)
        return upcoming

    @cached_property
    def teacher_list(self) -> list:
        """Live teachers of this course, photo renditions prefetched (a fixed number of queries).

        In a preview the relation is modelcluster's FakeQuerySet (no ``live()``): filtered in Python.
        """
        teachers = self.teachers.all()
        if isinstance(teachers, models.QuerySet):
            return list(teachers.live().select_related("photo").prefetch_related("photo__renditions"))
        return sorted((t for t in teachers if t.live), key=lambda t: t.title)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        context["sessions"] = self.upcoming_sessions
        context["default_session"] = next((s for s in self.upcoming_sessions if s.seats_left), None)
        context["cutoff_hours"] = int(cancel_cutoff().total_seconds() // 3600)
        context["course_teachers"] = self.teacher_list
        self.record_cache_dependencies(request, [self])
        return context

    def get_structured_data(self, request=None) -> list[dict]:
        """schema.org ``Course`` with one ``CourseInstance`` per upcoming session.

        Follows https://developers.google.com/search/docs/appearance/structured-data/course-info:
        ``name``, ``description``, ``image``, ``provider`` (name and url), ``offers``,
        ``hasCourseInstance`` with ``courseMode``, ``location``, ``startDate``, ``endDate``,
        ``courseWorkload`` and ``instructor``; each instance is also an Event for Google's event
        guide (``name``, ``eventStatus``, ``eventAttendanceMode``, ``organizer``, ``image``).
        """
        url = seo.page_url(self, request)
        provider = seo.publisher(self, request)
        image = seo.image_url(self.seo_image, "fill-1200x900-c100|format-jpeg", request) if self.seo_image else ""
        description = self.seo_description or self.title
        price = str(self.price_money.decimal)
        offer = {
            "@type": "Offer",
            "category": "Paid",
            "price": price,
            "priceCurrency": self.price_money.currency,
            "url": url,
        }
        instances = []
        for session in self.upcoming_sessions:
            instance = {
                "@type": "CourseInstance",
                "name": self.title,
                "description": description,
                "url": url,
                "organizer": provider,
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": "https://schema.org/"
                + ("OnlineEventAttendanceMode" if session.is_online else "OfflineEventAttendanceMode"),
                "courseMode": "Online" if session.is_online else "Onsite",
                "startDate": session.start.isoformat(),
                "endDate": session.end.isoformat(),
                "courseWorkload": iso_duration(self.duration_minutes),
                "offers": {
                    **offer,
                    "availability": "https://schema.org/InStock"
                    if session.seats_left
                    else "https://schema.org/SoldOut",
                },
            }
            if image:
                instance["image"] = [image]
            if session.is_online:
                instance["location"] = {"@type": "VirtualLocation", "url": session.online_url or url}
            else:
                instance["location"] = self._place(session.location, provider)
            if self.teacher_list:
                instance["instructor"] = [
                    {"@type": "Person", "name": t.title, "url": seo.page_url(t, request)} for t in self.teacher_list
                ]
            instances.append(instance)
        data = {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": self.title,
            "description": description,
            "url": url,
            "provider": provider,
            "offers": [offer],
            "educationalLevel": self.get_level_display(),
        }
        if self.category:
            data["about"] = self.category
        if image:
            data["image"] = [image]
        if instances:
            data["hasCourseInstance"] = instances
        return [data]

    @staticmethod
    def _place(location: str, provider: dict) -> dict:
        """A ``Place`` for a session held at ``location`` (the typed address), else at the shop."""
        name = location or provider.get("name", "")
        return {"@type": "Place", "name": name, "address": location or name}


class CourseSession(Orderable):
    """One scheduled occurrence of a course: aware start/end (stored UTC), capacity, place."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=8)
    location = models.CharField(max_length=255, blank=True, help_text=_("Address, or empty for online."))
    online_url = models.URLField(blank=True, help_text=_("Video link for online sessions."))

    panels = [
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("capacity"),
        FieldPanel("location"),
        FieldPanel("online_url"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="course_session_end_after_start"),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.page.title} — {local:%a %d %b %Y %H:%M}"

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.location

    def seats_taken(self) -> int:
        """Seats sold plus live holds (one query)."""
        return Booking.objects.filter(session=self).seat_count()

    @staticmethod
    def attach_seats_left(sessions) -> None:
        """Set ``seats_left`` on each session from one aggregate query."""
        ids = [s.pk for s in sessions if s.pk]
        taken = {}
        if ids:
            taken = dict(
                Booking.objects.filter(session_id__in=ids)
                .occupying()
                .values_list("session_id")
                .annotate(n=Sum("quantity"))
                .values_list("session_id", "n")
            )
        for s in sessions:
            s.seats_left = max(0, s.capacity - (taken.get(s.pk) or 0))

    @property
    def availability(self) -> str:
        """``"full"``, ``"few"`` or ``"open"`` (needs ``seats_left``)."""
        left = getattr(self, "seats_left", None)
        if left is None:
            self.seats_left = left = max(0, self.capacity - self.seats_taken())
        if left <= 0:
            return "full"
        return "few" if left <= FEW_SEATS_LEFT else "open"

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


__all__ = ["FEW_SEATS_LEFT", "CourseIndexPage", "CoursePage", "CourseSession"]
