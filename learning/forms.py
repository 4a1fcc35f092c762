"""Forms: seat and lesson requests (validated before anything reaches the cart) and the
teacher-facing availability editor (inline formsets on the teacher's LessonOffer)."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base import parsing
from learning.models.courses import CourseSession
from learning.models.lessons import AvailabilityWindow, BlackoutDate, LessonOffer

from . import booking as services
from . import slots as slot_rules
from .purchasables import parse_lesson_key


class SeatRequestForm(forms.Form):
    """``session`` (a CourseSession pk of a live course, in the future) and ``quantity`` seats."""

    session = parsing.IdField(error_messages={"invalid": _("Please choose one of the listed sessions.")})
    quantity = forms.IntegerField(
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": _("Choose at least one seat."),
            "max_value": _("You can book at most 10 seats at once."),
            "invalid": _("Please enter a number of seats."),
            "required": _("Please enter a number of seats."),
        },
    )

    def clean_session(self):
        session = (
            CourseSession.objects.select_related("page")
            .filter(pk=self.cleaned_data["session"], page__live=True)
            .first()
        )
        if session is None:
            raise forms.ValidationError(_("Please choose one of the listed sessions."))
        if session.start <= timezone.now():
            raise forms.ValidationError(_("This session has already started."))
        return session

    def clean(self):
        data = super().clean()
        session, quantity = data.get("session"), data.get("quantity")
        if session and quantity:
            left = max(0, session.capacity - session.seats_taken())
            if left == 0:
                raise forms.ValidationError(_("Sorry, this session is full."))
            if quantity > left:
                raise forms.ValidationError(_("Only %(n)d seat(s) left in this session.") % {"n": left})
        return data


class LessonRequestForm(forms.Form):
    """``teacher`` (TeacherPage pk), ``start`` (ISO 8601 UTC from the slot picker), ``goal``."""

    teacher = parsing.IdField(widget=forms.HiddenInput)
    start = forms.CharField(max_length=40, error_messages={"required": _("Please choose a time.")})
    goal = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("E.g. perfect macaron shells, laminated dough…")}),
        label=_("What would you like to work on?"),
    )

    def clean(self):
        data = super().clean()
        teacher_id, raw_start = data.get("teacher"), data.get("start", "")
        if not teacher_id or not raw_start:
            return data
        offer = (
            LessonOffer.objects.filter(teacher_id=teacher_id, teacher__live=True, active=True)
            .select_related("teacher")
            .first()
        )
        if offer is None:
            raise forms.ValidationError(_("This teacher does not offer lessons at the moment."))
        teacher = offer.teacher
        try:
            _tid, start = parse_lesson_key(f"{teacher.pk}:{raw_start.strip()}")
        except ValueError:
            raise forms.ValidationError(_("Please choose one of the listed times.")) from None
        try:
            services.check_lesson_start(offer, start)
        except slot_rules.SlotUnavailable as exc:
            raise forms.ValidationError(str(exc)) from None
        data.update(teacher=teacher, offer=offer, start=start)
        return data


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateInput(forms.DateInput):
    input_type = "date"


class LessonOfferSettingsForm(forms.ModelForm):
    """What a teacher may change themselves (price and duration stay with the shop's staff)."""

    # Bounds keep the slot arithmetic (now + lead time, + horizon) far from datetime's limits.
    lead_time_hours = forms.IntegerField(min_value=0, max_value=24 * 90, label=_("Lead time (hours)"))
    horizon_days = forms.IntegerField(min_value=1, max_value=730, label=_("Horizon (days)"))
    buffer_minutes = forms.IntegerField(min_value=0, max_value=24 * 60, label=_("Buffer (minutes)"))

    class Meta:
        model = LessonOffer
        fields = ["lead_time_hours", "horizon_days", "buffer_minutes"]


AvailabilityFormSet = inlineformset_factory(
    LessonOffer,
    AvailabilityWindow,
    fields=["weekday", "start_time", "end_time"],
    widgets={"start_time": TimeInput(format="%H:%M"), "end_time": TimeInput(format="%H:%M")},
    extra=1,
    can_delete=True,
)
BlackoutFormSet = inlineformset_factory(
    LessonOffer,
    BlackoutDate,
    fields=["date", "note"],
    widgets={"date": DateInput(format="%Y-%m-%d")},
    extra=1,
    can_delete=True,
)
