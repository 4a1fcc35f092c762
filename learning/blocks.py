"""StreamField blocks that place teachers and upcoming courses on any page.

No model import at module level (home.streams imports this module while models load): page
choosers take "app.Model" strings and queries happen in ``get_context``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from base import page_cache
from learning.models import CourseIndexPage, CoursePage, TeacherIndexPage, TeacherPage


class TeachersBlock(blocks.StructBlock):
    """A grid of teacher cards: the chosen teachers, else every live teacher (up to ``count``)."""

    heading = blocks.CharBlock(required=False, max_length=120, default=_("Meet our teachers"))
    teachers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="learning.TeacherPage"),
        default=[],
        required=False,
        help_text=_("Pick teachers, or leave empty to show the first ones of the teachers page."),
    )
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=12)

    class Meta:
        icon = "group"
        label = _("Teachers")
        template = "blocks/learning_teachers.html"

    def get_context(self, value, parent_context=None):
        """Adds ``teachers`` (two queries) and ``index_url``."""
        context = super().get_context(value, parent_context=parent_context)
        qs = TeacherPage.objects.live().public().select_related("photo", "lesson_offer")
        chosen = [p.pk for p in value.get("teachers") or [] if p]
        if chosen:
            by_pk = {t.pk: t for t in qs.filter(pk__in=chosen)}
            teachers = [by_pk[pk] for pk in chosen if pk in by_pk]
        else:
            teachers = list(qs.order_by("path")[: value.get("count") or 3])
        context["teachers"] = teachers
        request = (parent_context or {}).get("request")
        page_cache.depends_on(request, "type:learning.teacherpage", *(f"page:{t.pk}" for t in teachers))
        index = TeacherIndexPage.objects.live().first()
        context["index_url"] = index.url if index else ""
        return context


class UpcomingCoursesBlock(blocks.StructBlock):
    """The next courses with a bookable session, soonest first (constant number of queries)."""

    heading = blocks.CharBlock(required=False, max_length=120, default=_("Upcoming classes"))
    category = blocks.CharBlock(required=False, max_length=60, help_text=_("Only this category (optional)."))
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=12)

    class Meta:
        icon = "date"
        label = _("Upcoming courses")
        template = "blocks/learning_upcoming_courses.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        qs = CoursePage.objects.live().public().defer_streamfields().select_related("image")
        if value.get("category"):
            qs = qs.filter(category__iexact=value["category"])
        courses = list(qs)
        CoursePage.attach_upcoming_sessions(courses)
        courses = [c for c in courses if c.next_session]
        courses.sort(key=lambda c: c.next_session.start)
        context["courses"] = courses[: value.get("count") or 3]
        # Which courses show depends on every course's seats and dates.
        request = (parent_context or {}).get("request")
        page_cache.depends_on(request, "type:learning.coursepage", *(f"page:{c.pk}" for c in courses))
        CoursePage.record_cache_dependencies(request, context["courses"])
        index = CourseIndexPage.objects.live().first()
        context["index_url"] = index.url if index else ""
        return context
