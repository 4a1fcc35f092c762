"""The contact page: Wagtail's form builder, stored submissions, an email to the shop, a honeypot."""

import uuid

from django import forms
from django.db import models, transaction
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from base import ratelimit
from base.forms import HoneypotFormBuilder
from base.models.outbox import OutboxMessage
from base.models.pages import BasePage
from base.models.settings import SiteSettings
from base.outbox import queue_email


class ContactFormField(AbstractFormField):
    page = ParentalKey("marketing.ContactPage", related_name="form_fields", on_delete=models.CASCADE)


class ContactPage(BasePage, AbstractEmailForm):
    """A form whose fields editors choose; each submission is stored and emailed.

    Mail goes to ``to_address`` or, when that is blank, to Site settings' contact email.
    A post whose honeypot field is filled (a bot) is neither stored nor emailed but still
    sees the thank-you page, so the bot learns nothing.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="Shown after a message is sent."
    )
    form_builder = HoneypotFormBuilder

    content_panels = BasePage.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email",
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "contact page"

    #: Shown (HTTP 429) when ``ACCOUNT_RATE_LIMITS["contact"]`` is reached for the visitor's IP.
    RATE_LIMITED_MESSAGE = "You've sent several messages in a short while. Please wait a few minutes and try again."

    def serve(self, request, *args, **kwargs):
        """Wagtail's form view, rate-limited per client IP (``base.ratelimit``, action ``contact``):
        over the limit the form comes back with a message, nothing is stored or sent."""
        if request.method == "POST" and not ratelimit.allow(request, "contact"):
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            form.is_valid()
            form.add_error(None, self.RATE_LIMITED_MESSAGE)
            context = self.get_context(request)
            context["form"] = form
            return TemplateResponse(request, self.get_template(request), context, status=429)
        return super().serve(request, *args, **kwargs)

    def get_to_addresses(self) -> list[str]:
        """Recipients: ``to_address`` (comma-separated) or Site settings' contact email."""
        raw = self.to_address or SiteSettings.for_site(self.get_site()).contact_email
        return [address.strip() for address in raw.split(",") if address.strip()]

    def process_form_submission(self, form):
        """Store the submission and queue its email in one transaction; ``None`` for a bot
        (honeypot filled). The email goes through the outbox, so the visitor never waits on
        SMTP and an SMTP outage only delays the notification.

        Override to store extra data (e.g. the signed-in user) on the submission.
        """
        if getattr(form, "honeypot_triggered", False):
            return None
        with transaction.atomic():
            submission = self.get_submission_class().objects.create(form_data=form.cleaned_data, page=self)
            if self.get_to_addresses():
                self.send_mail(form, key=f"contact:{submission.pk}")
        return submission

    def send_mail(self, form, key: str | None = None) -> OutboxMessage:
        """Queue the submission's email to :meth:`get_to_addresses` (outbox key ``key``,
        ``contact:<submission pk>``), replying to the sender's address."""
        reply_to = [
            value
            for name, value in form.cleaned_data.items()
            if isinstance(form.fields.get(name), forms.EmailField) and value
        ]
        return queue_email(
            key or f"contact:{self.pk}:{uuid.uuid4().hex}",
            to=self.get_to_addresses(),
            subject=self.subject or f"New message from the {self.title} page",
            text=self.render_email(form),
            from_email=self.from_address or None,
            reply_to=reply_to[:1] or None,
        )
