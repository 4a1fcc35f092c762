"""The shop's emails, written to the outbox (:mod:`base.outbox`) in the transaction that causes them.

- :func:`queue_order_emails` — the customer's confirmation (HTML + text, download links) and the
  staff notification (``ShopSettings.order_notification_email``), when an order becomes paid.
- :func:`queue_cancelled_refunded` — "your order could not be completed, you were refunded".

Idempotency keys: ``order-confirmation:<order pk>``, ``order-staff:<order pk>``,
``order-cancelled-refunded:<order pk>``; calling twice queues each email once.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from base.outbox import queue_templated_email
from shop.catalogue.models import shop_config
from shop.models.orders import Order
from shop.order_summary import order_summary


def _admin_url(order: Order) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/shop_orders/inspect/{order.pk}/"


def queue_order_emails(order: Order) -> None:
    """Queue the paid ``order``'s confirmation and staff notification (call inside ``mark_paid``'s
    transaction). Sets ``Order.confirmation_sent_at`` (the time the confirmation was queued)."""
    summary = order_summary(order)
    context = {"order": order, "summary": summary}
    queue_templated_email(
        f"order-confirmation:{order.pk}",
        to=order.email,
        template="emails/order_confirmation",
        context=context,
        subject=f"Your Petit Four order {order.reference}",
    )
    if order.confirmation_sent_at is None:
        order.confirmation_sent_at = timezone.now()
        Order.objects.filter(pk=order.pk).update(confirmation_sent_at=order.confirmation_sent_at)
    address = shop_config().order_notification_email
    if address:
        queue_templated_email(
            f"order-staff:{order.pk}",
            to=address,
            template="emails/staff_order_notification",
            context={**context, "admin_url": _admin_url(order)},
            subject=f"New paid order {order.reference} – {summary['total']}",
        )


def queue_cancelled_refunded(order: Order, reason: str = "") -> None:
    """Queue the customer's "could not be completed — refunded in full" email for ``order``.

    ``reason`` (optional) says why in one sentence, e.g. which item was no longer available.
    """
    queue_templated_email(
        f"order-cancelled-refunded:{order.pk}",
        to=order.email,
        template="emails/order_cancelled_refunded",
        context={"order": order, "summary": order_summary(order), "reason": reason},
        subject=f"Your Petit Four order {order.reference} could not be completed – refunded",
    )
