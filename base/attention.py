"""Report something staff must look at: a "needs attention" entry plus an email to ``ADMINS``.

Call :func:`report` inside the transaction that detects the problem: the entry and its email
(through the outbox) exist exactly when the change that caused them does. The same ``key``
reported twice makes one entry and one email.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from base import outbox
from base.models.attention import NeedsAttention
from base.models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

Kind = NeedsAttention.Kind


def admin_addresses() -> list[str]:
    """The ``ADMINS`` email addresses (settings: ``[(name, address), ...]``)."""
    return [address for _name, address in settings.ADMINS if address]


def report(key: str, *, kind: str, title: str, detail: str = "", url: str = "") -> NeedsAttention:
    """Create the "needs attention" entry ``key`` (once) and queue its email to ``ADMINS``.

    ``kind`` is a :class:`NeedsAttention.Kind`; ``title`` one line for the listing; ``detail``
    what happened and what to do; ``url`` an admin path or absolute URL to act on. Returns the
    entry (the existing one when ``key`` was reported before). With no ``ADMINS`` the entry is
    still made; only the email is skipped.
    """
    with transaction.atomic():
        entry, created = NeedsAttention.objects.get_or_create(
            key=key[:200], defaults={"kind": kind, "title": title[:255], "detail": detail, "url": url[:500]}
        )
        if created:
            logger.error("Needs attention: %s", title)
            recipients = admin_addresses()
            if recipients:
                link = url
                if url.startswith("/"):
                    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
                admin_list = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/needs-attention/"
                outbox.queue_templated_email(
                    f"attention:{entry.key}",
                    to=recipients,
                    template="emails/needs_attention",
                    context={"entry": entry, "link": link, "admin_list": admin_list},
                )
    return entry


def _email_failed(row: OutboxMessage) -> None:
    """Outbox hook: an email failed past its last retry (not the attention emails themselves)."""
    if row.key.startswith("attention:"):
        return
    report(
        f"email-failed:{row.pk}",
        kind=Kind.EMAIL_FAILED,
        title=f"Email not delivered after {row.attempts} attempts: {row.subject}"[:255],
        detail=f"To {', '.join(row.to)}. Last error: {row.last_error}\nResend it from Admin → Emails.",
        url=f"/admin/outbox/inspect/{row.pk}/",
    )


def connect() -> None:
    """Called from ``BaseConfig.ready()``: emails failed for good become attention entries."""
    if _email_failed not in outbox.on_final_failure:
        outbox.on_final_failure.append(_email_failed)
