"""Learning in the Wagtail admin: a Bookings view (filters by teacher, course, status, date;
CSV/XLSX export) and Lesson offers (availability windows and blackout dates, any teacher).

Course sessions are edited inline on each course page. Teachers edit their own availability on
the public dashboard (``/learning/teach/availability/``); staff edit anyone's here.
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from learning.models import Booking, BookingStatus, CoursePage, CourseSession, LessonOffer, TeacherPage


class BookingFilterSet(WagtailFilterSet):
    teacher = django_filters.ModelChoiceFilter(queryset=TeacherPage.objects.order_by("title"))
    course = django_filters.ModelChoiceFilter(queryset=CoursePage.objects.order_by("title"))
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices)
    kind = django_filters.ChoiceFilter(choices=[(Booking.LESSON, _("1:1 lesson")), (Booking.SEAT, _("Course seat"))])
    start = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = Booking
        fields = ["teacher", "course", "status", "kind", "start"]


class BookingPermissionPolicy(ModelPermissionPolicy):
    """Bookings are created by checkout only: nobody adds one by hand in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


class BookingViewSet(ModelViewSet):
    model = Booking
    icon = "date"
    menu_label = _("Bookings")
    menu_order = 100
    filterset_class = BookingFilterSet
    list_display = ["title", "start", "customer_name", "customer_email", "quantity", "status", "order_reference"]
    list_export = [
        "pk",
        "kind",
        "title",
        "start",
        "end",
        "customer_name",
        "customer_email",
        "quantity",
        "status",
        "goal",
        "order_reference",
        "created_at",
        "paid_at",
    ]
    export_headings = {"order_reference": "Order", "pk": "Booking"}
    export_filename = "bookings"
    search_fields = ["title", "customer_name", "customer_email"]
    ordering = ["-start"]
    form_fields = ["customer_name", "goal"]
    inspect_view_enabled = True

    @property
    def permission_policy(self):
        return BookingPermissionPolicy(self.model)


class LessonOfferViewSet(ModelViewSet):
    model = LessonOffer
    icon = "user"
    menu_label = _("Lesson offers")
    menu_order = 110
    list_display = ["teacher", "duration_minutes", "price", "lead_time_hours", "horizon_days", "active"]
    list_filter = ["active"]


class LearningViewSetGroup(ViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "group"
    menu_order = 250
    items = (BookingViewSet("bookings"), LessonOfferViewSet("lesson_offers"))


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    return LearningViewSetGroup()


class UpcomingSessionsPanel(Component):
    """Dashboard panel: the next five course sessions with their seats left (two queries)."""

    name = "learning_upcoming_sessions"
    order = 60
    template_name = "learning/admin/upcoming_sessions_panel.html"

    def get_context_data(self, parent_context=None):
        sessions = list(
            CourseSession.objects.filter(start__gte=timezone.now()).select_related("page").order_by("start")[:5]
        )
        CourseSession.attach_seats_left(sessions)
        return {"sessions": sessions}


@hooks.register("construct_homepage_panels")
def add_upcoming_sessions_panel(request, panels):
    if request.user.has_perm("learning.view_booking"):
        panels.append(UpcomingSessionsPanel())
