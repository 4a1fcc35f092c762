"""Teacher pages: the teacher listing and a teacher's page with the 1:1 lesson slot picker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from base import page_cache, seo
from base.models.pages import BasePage
from learning.lesson_picker import lesson_picker_context
from learning.models.lessons import LessonOffer

TEACHERS_GROUP = "Teachers"


class TeacherIndexPage(BasePage):
    """All teachers, as a grid."""

    intro = RichTextField(blank=True)
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    subpage_types = ["learning.TeacherPage"]
    template = "learning/teacher_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["teachers"] = (
            TeacherPage.objects.child_of(self).live().public().select_related("photo", "lesson_offer").order_by("title")
        )
        page_cache.depends_on(request, "type:learning.teacherpage")
        return context


class TeacherPage(BasePage):
    """A teacher's public profile, linked to a user in the "Teachers" group; books 1:1 lessons."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher_page",
        limit_choices_to={"groups__name": TEACHERS_GROUP},
        help_text=_("The teacher's account (must be in the Teachers group)."),
    )
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    short_bio = models.CharField(max_length=255, blank=True)
    bio = RichTextField(blank=True)
    specialities = models.CharField(max_length=255, blank=True, help_text=_("Comma-separated."))
    languages = models.CharField(max_length=255, blank=True, help_text=_("Comma-separated, e.g. French, English."))
    intro_video = models.URLField(blank=True, help_text=_("YouTube or Vimeo link, embedded on the page."))

    content_panels = BasePage.content_panels + [
        FieldPanel("user"),
        FieldPanel("photo"),
        FieldPanel("short_bio"),
        FieldPanel("bio"),
        FieldPanel("specialities"),
        FieldPanel("languages"),
        FieldPanel("intro_video"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("short_bio"),
        index.SearchField("bio"),
        index.SearchField("specialities"),
    ]
    parent_page_types = ["learning.TeacherIndexPage"]
    subpage_types: list[str] = []
    seo_description_sources = ["search_description", "short_bio", "bio"]
    route_select_related = ("photo",)  # shown on every visit: fetched with the page (BasePage.route)
    template = "learning/teacher_page.html"

    @property
    def speciality_list(self) -> list[str]:
        return [s.strip() for s in self.specialities.split(",") if s.strip()]

    @property
    def language_list(self) -> list[str]:
        return [s.strip() for s in self.languages.split(",") if s.strip()]

    @cached_property
    def course_list(self) -> list:
        """Live courses this teacher teaches; empty for an unsaved page (a preview of a
        new teacher page has no rows to relate to)."""
        if self.pk is None:
            return []
        return list(self.courses.live())

    @cached_property
    def offer(self):
        """The active :class:`~learning.models.LessonOffer`, or ``None`` (always for an unsaved page,
        e.g. the preview of a new teacher page)."""
        if self.pk is None:
            return None
        return LessonOffer.objects.filter(teacher=self, active=True).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_picker_context(request, self))
        page_cache.depends_on(request, f"page:{self.pk}")
        return context

    def get_structured_data(self, request=None) -> list[dict]:
        """schema.org ``Person`` (name, jobTitle, description, image, knowsAbout, knowsLanguage,
        url, worksFor with the organisation's name and url)."""
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": self.title,
            "jobTitle": "Pastry teacher",
            "url": seo.page_url(self, request),
            "worksFor": seo.publisher(self, request),
        }
        if self.seo_description:
            data["description"] = self.seo_description
        if self.photo_id:
            data["image"] = seo.image_url(self.photo, "fill-800x800-c100|format-jpeg", request)
        if self.speciality_list:
            data["knowsAbout"] = self.speciality_list
        if self.language_list:
            data["knowsLanguage"] = self.language_list
        return [data]


__all__ = ["TEACHERS_GROUP", "TeacherIndexPage", "TeacherPage"]
