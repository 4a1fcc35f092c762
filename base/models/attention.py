""" "Needs attention": things that happened without a person and that a person must look at.

Entries are written in the transaction that detects the problem (a payment refunded because the
items were gone, a failed refund, an email that failed past its last retry, a booking that needs
a manual decision) through :func:`base.attention.report`, which also emails ``ADMINS`` through
the outbox. Staff see them under Admin → Needs attention and on the dashboard.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NeedsAttention(models.Model):
    """One problem for staff. ``key`` makes reporting idempotent (one entry per problem);
    ``url`` points at the admin page to act on (an order, a booking, an email)."""

    class Kind(models.TextChoices):
        PAYMENT_REFUNDED = "payment_refunded", "Payment refunded: items gone"
        REFUND_FAILED = "refund_failed", "Refund failed"
        EMAIL_FAILED = "email_failed", "Email failed"
        BOOKING = "booking", "Booking needs a decision"
        STOCK = "stock", "Stock or coupon overrun"
        OTHER = "other", "Other"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=255)
    detail = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Admin page to act on.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "needs-attention entry"
        verbose_name_plural = "needs attention"

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
