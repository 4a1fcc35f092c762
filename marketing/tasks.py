"""Background tasks of marketing (django-tasks): Mailchimp sync; and the moderators' email
(queued in the outbox, :mod:`base.outbox`).

Tasks are enqueued after the surrounding transaction commits (``transaction.on_commit``), so
a worker never sees a row that does not exist yet. With the immediate backend (development,
tests) they run in-process right after commit; they never raise into the request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

import mailchimp_marketing
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from mailchimp_marketing.api_client import ApiClientError

from base.outbox import queue_templated_email
from marketing.models import Subscriber, Testimonial

logger = logging.getLogger(__name__)

#: HTTP statuses worth retrying (Mailchimp rate limit and server errors); None = network/timeout.
TRANSIENT_STATUSES = {None, 408, 429, 500, 502, 503, 504}


class MailchimpFailure(Exception):
    """A Mailchimp call failed. ``status`` is the HTTP status (None for timeouts/network),
    ``title`` Mailchimp's error title (e.g. "Member Exists")."""

    def __init__(self, status, title, detail=""):
        super().__init__(f"{status} {title} {detail}".strip())
        self.status, self.title, self.detail = status, title, detail

    @property
    def transient(self) -> bool:
        return self.status in TRANSIENT_STATUSES


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: the MD5 hex digest of the lower-cased address."""
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


def mailchimp_client():
    """The official SDK client, configured from settings.

    ``MAILCHIMP_API_BASE`` (e.g. ``http://127.0.0.1:8765/3.0``) replaces the SDK's
    ``https://{server}.api.mailchimp.com/3.0`` host: tests point it at a local server.
    """

    client = mailchimp_marketing.Client()
    client.set_config(
        {
            "api_key": settings.MAILCHIMP_API_KEY,
            "server": settings.MAILCHIMP_SERVER_PREFIX,
            "timeout": settings.MAILCHIMP_TIMEOUT,
        }
    )
    if settings.MAILCHIMP_API_BASE:
        client.api_client.host = settings.MAILCHIMP_API_BASE.rstrip("/")
        client.api_client.server = ""  # the SDK substitutes "server" in the host otherwise
    return client


def _call(fn, *args):
    """Run one SDK call, turning its error shapes into :class:`MailchimpFailure`."""
    try:
        result = fn(*args)
    except ApiClientError as exc:
        body = exc.text
        if isinstance(body, str):  # Mailchimp answers errors as application/problem+json, left as text by the SDK
            try:
                body = json.loads(body)
            except ValueError:
                pass
        if not isinstance(body, dict):
            title = type(exc.text).__name__ if exc.status_code is None else "Error"
            raise MailchimpFailure(exc.status_code, title, str(exc.text)[:200]) from None
        raise MailchimpFailure(exc.status_code, body.get("title", "Error"), str(body.get("detail", ""))[:200]) from None
    # The SDK returns the raw response (instead of raising) when an error has an empty body.
    if hasattr(result, "ok") and not result.ok:
        raise MailchimpFailure(result.status_code, "Error", "")
    return result


def _upsert_body(subscriber, action):
    body = {"email_address": subscriber.email, "status_if_new": "pending"}
    if action == "resubscribe":
        body["status"] = "pending"  # a returning address gets a fresh confirmation email
    return body


@task()
def sync_subscriber_to_mailchimp(subscriber_id: int, action: str = "subscribe") -> dict:
    """Mirror one :class:`~home.models.Subscriber` in the Mailchimp audience.

    ``action``: "subscribe"/"resubscribe" → ``lists.set_list_member`` (PUT, idempotent upsert,
    ``status_if_new="pending"`` so Mailchimp sends the double opt-in email); "unsubscribe" →
    ``lists.update_list_member`` with ``status="unsubscribed"``.

    Timeouts, 429 and 5xx are retried up to ``MAILCHIMP_MAX_ATTEMPTS`` times with exponential
    backoff (``MAILCHIMP_RETRY_BACKOFF`` seconds × 2^n). "Member Exists" counts as done; other
    4xx (401 bad key, 400 invalid address...) are not retried. The outcome is recorded on the
    row (``mailchimp_synced_at`` / ``mailchimp_error``) and returned; nothing is raised.
    """

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return {"ok": False, "error": "no such subscriber"}
    client = mailchimp_client()
    audience, member = settings.MAILCHIMP_AUDIENCE_ID, subscriber_hash(subscriber.email)
    attempts = max(1, settings.MAILCHIMP_MAX_ATTEMPTS)
    error = None
    for attempt in range(1, attempts + 1):
        try:
            if action == "unsubscribe":
                _call(client.lists.update_list_member, audience, member, {"status": "unsubscribed"})
            else:
                _call(client.lists.set_list_member, audience, member, _upsert_body(subscriber, action))
            error = None
            break
        except MailchimpFailure as exc:
            if exc.title == "Member Exists" or (action == "unsubscribe" and exc.status == 404):
                error = None  # already there / never reached Mailchimp: nothing left to do
                break
            error = exc
            logger.warning(
                "mailchimp %s for subscriber %s failed (attempt %s/%s): %s",
                action,
                subscriber_id,
                attempt,
                attempts,
                exc,
            )
            if not exc.transient or attempt == attempts:
                break
            time.sleep(settings.MAILCHIMP_RETRY_BACKOFF * (2 ** (attempt - 1)))
    if error is None:
        Subscriber.objects.filter(pk=subscriber_id).update(mailchimp_synced_at=timezone.now(), mailchimp_error="")
        return {"ok": True, "attempts": attempt}
    Subscriber.objects.filter(pk=subscriber_id).update(mailchimp_error=str(error)[:255])
    logger.error("mailchimp %s for subscriber %s gave up: %s", action, subscriber_id, error)
    return {"ok": False, "attempts": attempt, "error": str(error)}


def notify_moderators_of_testimonial(testimonial_id: int) -> int:
    """Queue (outbox, caller's transaction) the "new testimonial to moderate" email to staff who
    may moderate testimonials (superusers and holders of ``change_testimonial``). Returns the
    number of recipients (0: nobody to tell, nothing queued)."""
    testimonial = Testimonial.objects.select_related("page", "user").filter(pk=testimonial_id).first()
    if testimonial is None:
        return 0
    User = get_user_model()
    staff = (
        User.objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="change_testimonial")
            | Q(groups__permissions__codename="change_testimonial")
        )
        .distinct()
    )
    recipients = sorted({u.email for u in staff})
    if not recipients:
        return 0

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {"testimonial": testimonial, "admin_url": base + reverse("testimonials:edit", args=[testimonial.pk])}
    queue_templated_email(
        f"testimonial-submitted:{testimonial.pk}",
        to=recipients,
        template="emails/testimonial_submitted",
        context=context,
        subject=f"New testimonial to moderate from {testimonial.author_name}",
    )
    return len(recipients)
