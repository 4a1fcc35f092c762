"""Customer testimonials, moderated in the Wagtail admin before they are shown anywhere."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The page types a testimonial may be about: (app_label, model).
TESTIMONIAL_PAGE_TYPES = [("learning", "coursepage"), ("learning", "teacherpage"), ("shop", "productpage")]


def _about_page_choices():
    q = models.Q(pk__in=[])
    for app_label, model in TESTIMONIAL_PAGE_TYPES:
        q |= models.Q(content_type__app_label=app_label, content_type__model=model)
    return q


class TestimonialQuerySet(models.QuerySet):
    def approved(self):
        """Only what visitors may see."""
        return self.filter(status=Testimonial.Status.APPROVED)


class Testimonial(models.Model):
    """A customer's words about the shop, optionally about one course, teacher or product page.

    Stored ``pending``; a moderator sets ``approved`` or ``rejected``. Only approved ones are
    ever rendered (:meth:`TestimonialQuerySet.approved`). ``rating`` is optional, 1–5 stars.
    """

    __test__ = False  # not a pytest test class despite the name

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        verbose_name=_("customer"),
    )
    author_name = models.CharField(
        _("shown as"), max_length=80, help_text=_("Name shown with the testimonial, e.g. “Camille, Lyon”.")
    )
    text = models.TextField(_("testimonial"), max_length=1500)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        limit_choices_to=_about_page_choices,
        verbose_name=_("about"),
        help_text=_("Optional: the course, teacher or product this is about."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="testimonial_rating_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.text[:40]}"

    @property
    def stars(self):
        """``range`` helpers for templates: filled and empty stars (templates hold no logic)."""
        rating = self.rating or 0
        return {"filled": range(rating), "empty": range(5 - rating)}
