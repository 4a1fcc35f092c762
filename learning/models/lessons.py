"""A teacher's 1:1 lesson offer: duration, price, lead time, horizon, buffer, weekly windows and
blackout dates. The rules themselves are applied by the pure functions in :mod:`learning.slots`.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from learning.slots import SlotRules, Window
from shop.catalogue.models import shop_config
from shop.money import Money


class LessonOffer(ClusterableModel):
    """What a teacher sells as 1:1 lessons. Its row is the lock taken when a slot is held."""

    teacher = models.OneToOneField("learning.TeacherPage", on_delete=models.CASCADE, related_name="lesson_offer")
    active = models.BooleanField(default=True)
    duration_minutes = models.PositiveIntegerField(default=60)
    price = models.PositiveIntegerField(help_text=_("Price of one lesson, in minor units (cents)."))
    lead_time_hours = models.PositiveIntegerField(default=48, help_text=_("Earliest booking, hours from now."))
    horizon_days = models.PositiveIntegerField(default=60, help_text=_("Latest booking, days from now."))
    buffer_minutes = models.PositiveIntegerField(default=0, help_text=_("Free time kept between two lessons."))
    slot_step_minutes = models.PositiveIntegerField(default=30, help_text=_("Slots start every N minutes."))

    panels = [
        FieldPanel("teacher"),
        FieldPanel("active"),
        MultiFieldPanel(
            [
                FieldPanel("duration_minutes"),
                FieldPanel("price"),
                FieldPanel("buffer_minutes"),
                FieldPanel("slot_step_minutes"),
            ],
            heading=_("Lesson"),
        ),
        MultiFieldPanel([FieldPanel("lead_time_hours"), FieldPanel("horizon_days")], heading=_("Booking window")),
        InlinePanel("windows", heading=_("Weekly availability"), label=_("Window")),
        InlinePanel("blackouts", heading=_("Blackout dates"), label=_("Date")),
    ]

    class Meta:
        verbose_name = _("lesson offer")

    def __str__(self):
        return f"{self.teacher.title} — {self.duration_minutes} min"

    @property
    def price_money(self) -> Money:
        return Money(self.price, shop_config().currency)

    def clean(self):
        if self.duration_minutes < 15:
            raise ValidationError({"duration_minutes": _("A lesson lasts at least 15 minutes.")})
        if self.slot_step_minutes < 5:
            raise ValidationError({"slot_step_minutes": _("Use at least 5 minutes.")})
        # Upper bounds keep slot arithmetic (now + lead time + horizon) far from datetime's limits.
        limits = {
            "duration_minutes": (24 * 60, _("A lesson lasts at most a day.")),
            "slot_step_minutes": (24 * 60, _("Use at most a day.")),
            "buffer_minutes": (24 * 60, _("Keep at most a day between lessons.")),
            "lead_time_hours": (24 * 90, _("Ask for at most 90 days' notice.")),
            "horizon_days": (730, _("Open bookings at most two years ahead.")),
        }
        errors = {name: message for name, (limit, message) in limits.items() if (getattr(self, name) or 0) > limit}
        if errors:
            raise ValidationError(errors)

    def rules(self):
        """The :class:`learning.slots.SlotRules` of this offer (two queries: windows, blackouts)."""
        return SlotRules(
            duration=timedelta(minutes=self.duration_minutes),
            buffer=timedelta(minutes=self.buffer_minutes),
            lead_time=timedelta(hours=self.lead_time_hours),
            horizon=timedelta(days=self.horizon_days),
            step=timedelta(minutes=self.slot_step_minutes),
            windows=tuple(Window(w.weekday, w.start_time, w.end_time) for w in self.windows.all()),
            blackout_dates=frozenset(b.date for b in self.blackouts.all()),
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilityWindow(Orderable):
    """A weekly window in the site's time zone, e.g. Monday 08:00–19:00."""

    offer = ParentalKey(LessonOffer, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    panels = [FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")]

    class Meta(Orderable.Meta):
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="window_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The window must end after it starts.")})


class BlackoutDate(Orderable):
    """A day (site time zone) without lessons: holidays, a trade fair."""

    offer = ParentalKey(LessonOffer, on_delete=models.CASCADE, related_name="blackouts")
    date = models.DateField()
    note = models.CharField(max_length=100, blank=True)

    panels = [FieldPanel("date"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}".strip()


__all__ = ["AvailabilityWindow", "BlackoutDate", "LessonOffer", "Weekday"]
