"""Refunds: one row per refund asked of Stripe (or found in a ``charge.refunded`` event).

The row exists *before* Stripe is called so its primary key can be the idempotency key
(``refund-<pk>``): a retried request never refunds twice. ``applied_at`` marks the moment the
refund's effects (line quantities, order status, entitlements, bookings, stock) were applied;
:func:`shop.refunds.apply_refund` applies a row at most once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Refund(models.Model):
    """A refund of ``amount`` minor units of ``order``'s currency.

    ``lines`` maps an order line id (as a string, JSON keys) to a quantity; empty means an
    amount-only refund (e.g. issued from the Stripe dashboard) that refunds no particular line
    unless it completes the order's total.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey("shop.Order", on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(help_text=_("Minor units."))
    lines = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    restock = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Refund #{self.pk} of {self.order}"

    @property
    def idempotency_key(self) -> str:
        """The Stripe ``Idempotency-Key`` for this refund (stable across retries)."""
        return f"comptoir-refund-{self.pk}"
