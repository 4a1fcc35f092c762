"""Newsletter rules: signup, double opt-in, unsubscribe, and when Mailchimp is involved.

Two modes, chosen by settings (``config/settings/base.py``):

- **Mailchimp** when ``MAILCHIMP_API_KEY``, ``MAILCHIMP_SERVER_PREFIX`` and
  ``MAILCHIMP_AUDIENCE_ID`` are all set: after the local row is committed, the task
  :func:`home.tasks.sync_subscriber_to_mailchimp` upserts the member with
  ``status_if_new="pending"``, so Mailchimp sends its own confirmation email
  (https://mailchimp.com/developer/marketing/api/list-members/add-or-update-list-member/).
- **Local** otherwise: the site sends its own confirmation email with a signed, expiring link
  (:mod:`django.core.signing`), and every newsletter email carries a signed unsubscribe link
  plus ``List-Unsubscribe``/``List-Unsubscribe-Post`` headers (RFC 2369, RFC 8058).

A local :class:`~home.models.Subscriber` row is always stored. Nothing here raises on
Mailchimp trouble: the task retries and records the error on the row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from base.outbox import queue_templated_email
from marketing.models import Subscriber
from marketing.tasks import sync_subscriber_to_mailchimp

logger = logging.getLogger(__name__)

CONFIRM_SALT = "comptoir.newsletter.confirm"
UNSUBSCRIBE_SALT = "comptoir.newsletter.unsubscribe"
#: How long a confirmation link stays valid (seconds). Unsubscribe links never expire.
CONFIRM_MAX_AGE = 7 * 24 * 3600

# Outcomes of :func:`subscribe`.
NEW = "new"  # a new (or returning) address: confirmation on its way
ALREADY = "already"  # already subscribed: nothing to do
PENDING_AGAIN = "pending"  # signed up earlier but never confirmed: confirmation sent again


@dataclass(frozen=True)
class SignupResult:
    """What :func:`subscribe` did: the row and one of ``NEW``, ``ALREADY``, ``PENDING_AGAIN``."""

    subscriber: Subscriber
    outcome: str


def mailchimp_enabled() -> bool:
    """True when all three Mailchimp settings are non-empty."""
    return all(
        getattr(settings, name, "")
        for name in ("MAILCHIMP_API_KEY", "MAILCHIMP_SERVER_PREFIX", "MAILCHIMP_AUDIENCE_ID")
    )


def make_token(subscriber: Subscriber, purpose: str) -> str:
    """A signed token for ``purpose`` ("confirm" or "unsubscribe") naming the subscriber's email."""
    salt = CONFIRM_SALT if purpose == "confirm" else UNSUBSCRIBE_SALT
    return signing.dumps({"e": subscriber.email}, salt=salt, compress=True)


def _read_token(token: str, purpose: str) -> Subscriber | None:
    salt = CONFIRM_SALT if purpose == "confirm" else UNSUBSCRIBE_SALT
    max_age = CONFIRM_MAX_AGE if purpose == "confirm" else None
    data = signing.loads(token, salt=salt, max_age=max_age)  # raises BadSignature / SignatureExpired
    return Subscriber.objects.filter(email=str(data.get("e", "")).lower()).first()


def subscribe(email: str, *, source_page=None, base_url: str = "") -> SignupResult:
    """Sign ``email`` up (double opt-in). Idempotent; never raises for a known address.

    ``base_url`` ("https://host") builds absolute links in the confirmation email. The email
    (local mode) or the Mailchimp upsert task (Mailchimp mode) is sent after commit.
    """
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscriber, created = Subscriber.objects.select_for_update().get_or_create(
                    email=email, defaults={"consent_at": now, "source_page": source_page}
                )
        except IntegrityError:  # a concurrent signup with the same address won the race
            subscriber, created = Subscriber.objects.select_for_update().get(email=email), False
        if not created and subscriber.status == Subscriber.Status.SUBSCRIBED:
            return SignupResult(subscriber, ALREADY)
        outcome, action = NEW, "subscribe"
        if not created:
            outcome = PENDING_AGAIN if subscriber.status == Subscriber.Status.PENDING else NEW
            if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
                action = "resubscribe"  # Mailchimp must move the member back to "pending" explicitly
            subscriber.status = Subscriber.Status.PENDING
            subscriber.consent_at = now
            subscriber.unsubscribed_at = None
            if source_page is not None:
                subscriber.source_page = source_page
            subscriber.save()
        _after_commit(subscriber, action, base_url)
    return SignupResult(subscriber, outcome)


def confirm(token: str, *, base_url: str = "") -> Subscriber | None:
    """Confirm a subscription from a signed link. Returns the subscriber, or None if unknown.

    Raises :class:`django.core.signing.BadSignature` (or its subclass ``SignatureExpired``)
    for a tampered or expired token. Confirming twice is harmless.
    """
    subscriber = _read_token(token, "confirm")
    if subscriber is None or subscriber.status == Subscriber.Status.SUBSCRIBED:
        return subscriber
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return subscriber  # an old confirm link must not undo an unsubscribe
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.status = Subscriber.Status.SUBSCRIBED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at", "updated_at"])
        send_email(subscriber, "welcome", base_url)
    return subscriber


def unsubscribe(token: str) -> Subscriber | None:
    """Unsubscribe from a signed link (never expires). Returns the subscriber, or None if unknown.

    Raises :class:`django.core.signing.BadSignature` for a tampered token. In Mailchimp mode the
    member is also set to ``unsubscribed`` there (background task).
    """
    subscriber = _read_token(token, "unsubscribe")
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return subscriber
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        if mailchimp_enabled():
            _after_commit(subscriber, "unsubscribe", "")
    return subscriber


def _after_commit(subscriber: Subscriber, action: str, base_url: str) -> None:
    if mailchimp_enabled():
        transaction.on_commit(lambda: sync_subscriber_to_mailchimp.enqueue(subscriber.pk, action))
    elif action in ("subscribe", "resubscribe"):
        send_email(subscriber, "confirm", base_url)


def links(subscriber: Subscriber, base_url: str) -> dict:
    """Absolute confirm and unsubscribe URLs for emails."""
    base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return {
        "confirm_url": base + reverse("newsletter_confirm", args=[make_token(subscriber, "confirm")]),
        "unsubscribe_url": base + reverse("newsletter_unsubscribe", args=[make_token(subscriber, "unsubscribe")]),
    }


def send_email(subscriber: Subscriber, kind: str, base_url: str = "") -> None:
    """Queue ``emails/newsletter_<kind>.{txt,html}`` ("confirm" or "welcome") in the outbox, in
    the caller's transaction (delivered after commit; an SMTP outage never reaches the visitor).

    Every newsletter email carries the unsubscribe link in its body and in the
    ``List-Unsubscribe`` headers (one-click POST per RFC 8058). The idempotency key names the
    signup (``consent_at``) or confirmation (``confirmed_at``) it answers, so a second signup
    gets a fresh confirmation and a retried request does not.
    """

    site = Site.objects.filter(is_default_site=True).first()
    context = {
        "subscriber": subscriber,
        "site_name": site.site_name if site and site.site_name else "Petit Four",
        "confirm_days": CONFIRM_MAX_AGE // 86400,
        **links(subscriber, base_url),
    }
    moment = subscriber.confirmed_at if kind == "welcome" else subscriber.consent_at
    stamp = f"{moment:%Y%m%dT%H%M%S.%f}" if moment else "0"
    queue_templated_email(
        f"newsletter-{kind}:{subscriber.pk}:{stamp}",
        to=subscriber.email,
        template=f"emails/newsletter_{kind}",
        context=context,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
