"""Forms of the site: the contact form builder with a honeypot field."""

from django import forms
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

#: Name of the honeypot input. People never see it (hidden with CSS, skipped by keyboard and
#: screen readers); bots that fill every input give themselves away.
HONEYPOT_FIELD = "url_homepage"


class HoneypotForm(BaseForm):
    """A form-builder form that drops its honeypot value from ``cleaned_data``.

    After validation, ``honeypot_triggered`` is True when the honeypot was filled.
    """

    honeypot_field = HONEYPOT_FIELD

    def clean(self):
        cleaned_data = super().clean()
        self.honeypot_triggered = bool((cleaned_data.pop(HONEYPOT_FIELD, "") or "").strip())
        return cleaned_data


class HoneypotFormBuilder(FormBuilder):
    """Wagtail's FormBuilder plus the honeypot field, always last."""

    @property
    def formfields(self):
        fields = super().formfields
        fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        return fields

    def get_form_class(self):
        return type("ContactForm", (HoneypotForm,), self.formfields)
