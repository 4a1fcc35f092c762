"""The transactional outbox: every email the site sends is first a row here.

A row is written in the same transaction as the state change that causes it (an order paid, a
booking confirmed, a contact message stored), under a unique idempotency ``key`` such as
``order-confirmation:42``; the worker and the scheduler deliver it later
(:mod:`base.outbox`). Status: ``pending → sending → sent``, or back to ``pending`` with a later
``next_attempt_at`` after an error, and ``failed`` for good after ``OUTBOX_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """One email to deliver: recipients, subject, text and HTML bodies, small attachments.

    ``attachments`` is a list of ``{"filename", "mimetype", "content_b64"}`` (base64 of the
    bytes; :func:`base.outbox.queue_email` caps their total size). ``headers`` holds extra
    headers (e.g. ``List-Unsubscribe``). ``claimed_at`` is set when a worker takes the row
    (``sending``); a ``sending`` row older than ``OUTBOX_SENDING_TIMEOUT`` seconds belongs to a
    worker that died and is taken again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key, e.g. order-confirmation:42.")
    from_email = models.CharField(max_length=254, blank=True)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "email"
        verbose_name_plural = "emails"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def message_id(self) -> str:
        """``<outbox.<sha256(key)[:32]>@<sender's domain>>``: the same for every attempt, so a
        duplicate sent after a crash is recognised by mail clients as the same message."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        address = parseaddr(self.from_email or settings.DEFAULT_FROM_EMAIL)[1]
        domain = address.rpartition("@")[2] or "localhost"
        return f"<outbox.{digest}@{domain}>"

    def recipients_display(self) -> str:
        """To and Cc addresses, comma-separated (admin listing and inspect view)."""
        return ", ".join(self.to + self.cc)

    recipients_display.short_description = "To"

    def reply_to_display(self) -> str:
        return ", ".join(self.reply_to) or "—"

    reply_to_display.short_description = "Reply to"


class Heartbeat(models.Model):
    """The last time a long-running process (``worker``, ``scheduler``) showed it was alive."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class SchedulerLease(models.Model):
    """Who runs the scheduler, on databases without advisory locks (SQLite): one row per lock
    name, taken by a conditional UPDATE when ``expires_at`` has passed and renewed each tick."""

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%H:%M:%S}"
