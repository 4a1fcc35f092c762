"""Order states and their one explicit transition table (after django-salesman's status.py).

``transition(table, current, new)`` is the single check every state change goes through; the
learning app reuses it with its own booking table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvalidTransition(ValueError):
    """``current → new`` is not in the table. Carries both states for the log line."""

    def __init__(self, current, new):
        self.current, self.new = current, new
        super().__init__(f"cannot go from {current!r} to {new!r}")


def transition(table: dict, current: str, new: str) -> str:
    """Return ``new`` if ``current → new`` is allowed by ``table``; raise :class:`InvalidTransition`."""
    if new not in table.get(current, ()):
        raise InvalidTransition(current, new)
    return new


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    PAID = "paid", _("Paid")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


S = OrderStatus
ORDER_TRANSITIONS: dict[str, set[str]] = {
    # A failed attempt can be retried with another card on the same PaymentIntent.
    S.PENDING_PAYMENT: {S.PAID, S.PAYMENT_FAILED, S.CANCELLED},
    S.PAYMENT_FAILED: {S.PAID, S.PENDING_PAYMENT, S.CANCELLED},
    S.PAID: {S.FULFILLED, S.PARTIALLY_REFUNDED, S.REFUNDED},
    S.FULFILLED: {S.PARTIALLY_REFUNDED, S.REFUNDED},
    S.PARTIALLY_REFUNDED: {S.PARTIALLY_REFUNDED, S.REFUNDED, S.FULFILLED},
    # Only shop.payments.mark_paid: the card payment succeeded after the holds expired and every
    # line could be held again (otherwise the order stays cancelled and is refunded).
    S.CANCELLED: {S.PAID},
    S.REFUNDED: set(),
}
# States in which the customer has paid (money is or was with the shop).
PAID_STATES = {S.PAID, S.FULFILLED, S.PARTIALLY_REFUNDED, S.REFUNDED}
