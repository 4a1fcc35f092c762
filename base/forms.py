"""Forms of the site: the one honeypot helper, and the contact form builder that uses it."""

from django import forms
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

#: Name of the honeypot input. People never see it (hidden with CSS, skipped by keyboard and
#: screen readers); bots that fill every input give themselves away.
HONEYPOT_FIELD = "url_homepage"


def honeypot_field() -> forms.CharField:
    """The honeypot input every public form adds: optional, labelled "Leave this field empty",
    skipped by keyboard (``tabindex=-1``) and autofill; templates hide it with the ``hp-field``
    class. Check it with :func:`honeypot_triggered`."""
    return forms.CharField(
        required=False,
        label="Leave this field empty",
        max_length=500,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def honeypot_triggered(value) -> bool:
    """True when a honeypot field came back filled (a bot): the form then pretends to succeed."""
    return bool(str(value or "").strip())


class HoneypotForm(BaseForm):
    """A form-builder form that drops its honeypot value from ``cleaned_data``.

    After validation, ``honeypot_triggered`` is True when the honeypot was filled.
    """

    honeypot_field = HONEYPOT_FIELD

    def clean(self):
        cleaned_data = super().clean()
        self.honeypot_triggered = honeypot_triggered(cleaned_data.pop(HONEYPOT_FIELD, ""))
        return cleaned_data


class HoneypotFormBuilder(FormBuilder):
    """Wagtail's FormBuilder plus the honeypot field, always last."""

    @property
    def formfields(self):
        fields = super().formfields
        fields[HONEYPOT_FIELD] = honeypot_field()
        return fields

    def get_form_class(self):
        return type("ContactForm", (HoneypotForm,), self.formfields)
