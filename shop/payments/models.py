"""A record of every Stripe event the webhook accepted, so each event id is processed once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.models.orders import Order


class PaymentEvent(models.Model):
    """One verified Stripe event (``evt_...``); the unique ``event_id`` makes processing at-most-once.

    ``outcome`` says what the event did (``paid``, ``failed``, ``ignored``, ``unknown_payment_intent``,
    ``refund``...), for staff reading the order's payment history in the admin.
    """

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="payment_events")
    payload = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("payment event")

    def __str__(self):
        return f"{self.type} {self.event_id}"
