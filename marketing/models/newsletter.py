"""Newsletter subscribers: the local record that is always kept, whatever Mailchimp says.

The business rules (signup, double opt-in, unsubscribe, Mailchimp sync) live in
:mod:`home.newsletter`; this module only holds the row.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    """One email address on the mailing list.

    ``email`` is stored lower-cased (unique); ``status`` follows double opt-in:
    ``pending`` (signed up, not confirmed) → ``subscribed`` → ``unsubscribed`` (and back to
    ``pending`` if they sign up again). ``consent_at`` is when the visitor ticked/submitted the
    form (GDPR proof of consent); ``source_page`` is the page the form was on.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        SUBSCRIBED = "subscribed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email"), max_length=254, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    consent_at = models.DateTimeField(_("consent given at"), default=timezone.now)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("source page"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Mailchimp sync bookkeeping (empty when Mailchimp is not configured).
    mailchimp_synced_at = models.DateTimeField(_("synced to Mailchimp at"), null=True, blank=True)
    mailchimp_error = models.CharField(_("last Mailchimp error"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="subscriber_email_lowercase"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "subscribed", "unsubscribed"]), name="subscriber_status_valid"
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)
