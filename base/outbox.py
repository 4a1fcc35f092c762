"""The email outbox: queue in the caller's transaction, deliver after commit, retry until sent.

Guarantee: an email is never lost; at most one duplicate, and only if the worker dies between
the SMTP server accepting the message and the row being marked sent (the duplicate carries the
same Message-ID, :attr:`OutboxMessage.message_id`).

- :func:`queue_email` / :func:`queue_templated_email` write an :class:`OutboxMessage` row inside
  the caller's transaction (so the email exists exactly when the state change that causes it
  does) and, on commit, enqueue :data:`deliver_outbox_message` (django-tasks) for prompt delivery.
- :func:`deliver_due` claims due rows one at a time (``select_for_update(skip_locked=True)`` on
  PostgreSQL, a compare-and-set UPDATE everywhere), sends each through Django's mail backend
  outside any transaction, then marks it ``sent``; on an error the row goes back to ``pending``
  with an exponential backoff (``OUTBOX_BACKOFF_MINUTES``: 1, 5, 15, 60 … capped at 24 h) and is
  ``failed`` for good after ``OUTBOX_MAX_ATTEMPTS`` (then a "needs attention" entry is made).
  A ``sending`` row older than ``OUTBOX_SENDING_TIMEOUT`` seconds (its worker died) is due again.
- The scheduler runs :func:`deliver_due` every minute (``base.apps``), so retries need no cron.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from base.models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

#: Attachments are stored in the row (base64): keep them small (an .ics, a short PDF).
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024

Status = OutboxMessage.Status

#: Called with the row when a message fails for good; ``base.attention`` plugs in here so this
#: module does not depend on it (the attention module itself queues emails).
on_final_failure: list = []


def _as_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _encode_attachments(attachments: Iterable) -> list[dict]:
    """``(filename, content, mimetype)`` triples (content ``bytes`` or ``str``) → JSON rows.

    Raises ``ValueError`` when they add up to more than :data:`MAX_ATTACHMENT_BYTES`.
    """
    rows, total = [], 0
    for filename, content, mimetype in attachments:
        data = content.encode() if isinstance(content, str) else bytes(content)
        total += len(data)
        rows.append({"filename": filename, "mimetype": mimetype, "content_b64": base64.b64encode(data).decode()})
    if total > MAX_ATTACHMENT_BYTES:
        raise ValueError(f"attachments of {total} bytes exceed the outbox limit of {MAX_ATTACHMENT_BYTES}")
    return rows


def queue_email(
    key: str,
    *,
    to: str | Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Iterable = (),
    reply_to: str | Sequence[str] | None = None,
    cc: str | Sequence[str] | None = None,
    headers: dict | None = None,
    from_email: str | None = None,
) -> OutboxMessage:
    """Write one email to the outbox in the caller's transaction; returns its row.

    ``key`` is the idempotency key (``"<kind>:<id>"``, at most 200 characters): a second call
    with the same key returns the existing row unchanged, so retried or duplicated code paths
    send one email. ``to``/``cc``/``reply_to``: an address or a list. ``attachments``:
    ``(filename, bytes or str, mimetype)`` triples, at most :data:`MAX_ATTACHMENT_BYTES` in all
    (``ValueError`` otherwise). Delivery is enqueued when the transaction commits; nothing is
    sent if it rolls back. Call it inside the ``transaction.atomic()`` that makes the change.
    """
    recipients = _as_list(to)
    if not recipients:
        raise ValueError(f"outbox message {key!r} has no recipient")
    defaults = {
        "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
        "to": recipients,
        "cc": _as_list(cc),
        "reply_to": _as_list(reply_to),
        "headers": dict(headers or {}),
        "subject": " ".join(subject.split())[:255],
        "text": text,
        "html": html or "",
        "attachments": _encode_attachments(attachments),
    }
    message, created = OutboxMessage.objects.get_or_create(key=key, defaults=defaults)
    if created:
        pk = message.pk
        transaction.on_commit(lambda: deliver_outbox_message.enqueue(pk))
    return message


def queue_templated_email(
    key: str,
    *,
    to: str | Sequence[str],
    template: str,
    context: dict,
    subject: str | None = None,
    **options,
) -> OutboxMessage:
    """Render ``<template>.txt`` (required), ``<template>.html`` (when it exists) and the subject
    (``subject`` or ``<template>_subject.txt``), then :func:`queue_email` them under ``key``.

    ``template`` is a path without extension, e.g. ``"emails/order_confirmation"``. Other
    keyword arguments (``attachments``, ``reply_to``, ``headers`` …) pass through. Nothing is
    rendered when ``key`` was queued already.
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if subject is None:
        subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:  # a text-only email
        html = None
    return queue_email(key, to=to, subject=subject, text=text, html=html, **options)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: ``OUTBOX_BACKOFF_MINUTES[attempts - 1]``, the last
    value (24 h) once the list runs out."""
    steps = settings.OUTBOX_BACKOFF_MINUTES
    return timedelta(minutes=steps[min(max(attempts, 1), len(steps)) - 1])


def _due(now: datetime) -> Q:
    stale = now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, claimed_at__lte=stale)


def _claim_one(now: datetime, pk: int | None = None) -> OutboxMessage | None:
    """Take one due row: ``sending``, ``claimed_at = now``, one more attempt. ``None`` when none is due.

    On PostgreSQL rows other workers hold are skipped (``SKIP LOCKED``); the conditional UPDATE
    (same status, claim and attempts as read) makes the claim safe on any database.
    """
    for _ in range(5):
        with transaction.atomic():
            rows = OutboxMessage.objects.filter(_due(now))
            if pk is not None:
                rows = rows.filter(pk=pk)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            row = rows.order_by("next_attempt_at", "pk").first()
            if row is None:
                return None
            taken = OutboxMessage.objects.filter(
                pk=row.pk, status=row.status, claimed_at=row.claimed_at, attempts=row.attempts
            ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
        if taken:
            row.status, row.claimed_at, row.attempts = Status.SENDING, now, row.attempts + 1
            return row
    return None


def build_message(row: OutboxMessage, mail_connection=None) -> EmailMultiAlternatives:
    """The Django email for ``row``, with its Message-ID and attachments."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text,
        from_email=row.from_email or settings.DEFAULT_FROM_EMAIL,
        to=row.to,
        cc=row.cc,
        reply_to=row.reply_to,
        headers={**row.headers, "Message-ID": row.message_id},
        connection=mail_connection,
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    for item in row.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return message


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> None:
    final = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    text = f"{type(error).__name__}: {error}"[:2000]
    changes = {"last_error": text, "updated_at": timezone.now(), "claimed_at": None}
    if final:
        changes["status"] = Status.FAILED
    else:
        changes["status"] = Status.PENDING
        changes["next_attempt_at"] = now + backoff(row.attempts)
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING, claimed_at=row.claimed_at).update(
            **changes
        )
        if updated and final:
            row.status, row.last_error = Status.FAILED, text
            for hook in on_final_failure:
                hook(row)
    log = logger.error if final else logger.warning
    log("outbox %s (%s) attempt %s failed%s: %s", row.pk, row.key, row.attempts, " for good" if final else "", text)


def deliver_due(limit: int = 100, *, now: datetime | None = None, pk: int | None = None) -> int:
    """Send up to ``limit`` due messages (only row ``pk`` when given); returns how many were sent.

    ``now`` (default: the current time) decides what is due, which lets tests move the clock.
    Each message is claimed in its own short transaction, sent with no transaction open, then
    marked ``sent`` (only if our claim still stands). Errors are recorded on the row, never raised.
    """
    sent = 0
    mail_connection = None
    for _ in range(limit):
        current = now or timezone.now()
        row = _claim_one(current, pk)
        if row is None:
            break
        if mail_connection is None:
            mail_connection = get_connection(fail_silently=False)
        try:
            build_message(row, mail_connection).send()
        except Exception as exc:  # SMTP down, refused recipient, timeout …: retry later
            _record_failure(row, exc, current)
            try:
                mail_connection.close()
            except Exception:
                pass
            mail_connection = None
            continue
        OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING, claimed_at=row.claimed_at).update(
            status=Status.SENT, sent_at=timezone.now(), last_error="", updated_at=timezone.now()
        )
        sent += 1
    if mail_connection is not None:
        try:
            mail_connection.close()
        except Exception:
            pass
    return sent


def resend(row: OutboxMessage) -> None:
    """Staff action: put a ``failed`` (or ``sent``) message back in the queue now, attempts reset."""
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=row.pk).exclude(status=Status.SENDING).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            updated_at=timezone.now(),
        )
        pk = row.pk
        transaction.on_commit(lambda: deliver_outbox_message.enqueue(pk))


@task()
def deliver_outbox_message(pk: int) -> int:
    """Deliver one queued message now if it is due (enqueued on commit by :func:`queue_email`)."""
    return deliver_due(1, pk=pk)


@task()
def deliver_outbox(limit: int = 100) -> int:
    """Deliver every due message (the scheduler's every-minute job); returns how many were sent."""
    return deliver_due(limit)
