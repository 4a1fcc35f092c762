"""Background tasks (django-tasks): immediate backend in development and tests, the database
backend from django-tasks-db plus ``manage.py db_worker`` in production (``Procfile: worker``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from shop.catalogue.models import shop_config
from shop.models.orders import Order
from shop.order_summary import order_summary
from shop.status import PAID_STATES

logger = logging.getLogger(__name__)


def _customer_email(order, subject: str, template: str) -> EmailMultiAlternatives:
    """The customer's text + HTML email about ``order``, from ``{template}.txt`` / ``.html``."""
    context = {"order": order, "summary": order_summary(order)}
    text = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [order.email])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


@task()
def send_order_confirmation(order_id: int) -> bool:
    """Email the customer their paid order (HTML + text), exactly once per order.

    The send is claimed by setting ``Order.confirmation_sent_at`` with a conditional UPDATE, so a
    retried or duplicated task sends nothing the second time; if sending raises, the claim is
    undone so a retry can send. Returns whether an email was sent.
    """

    now = timezone.now()
    claimed = Order.objects.filter(pk=order_id, confirmation_sent_at__isnull=True, status__in=list(PAID_STATES)).update(
        confirmation_sent_at=now
    )
    if not claimed:
        return False
    order = Order.objects.prefetch_related("lines", "adjustments").get(pk=order_id)
    message = _customer_email(order, f"Your Petit Four order {order.reference}", "emails/order_confirmation")
    try:
        message.send()
    except Exception:
        Order.objects.filter(pk=order_id, confirmation_sent_at=now).update(confirmation_sent_at=None)
        logger.exception("Could not send the confirmation of order %s", order.reference)
        raise
    logger.info("Confirmation of order %s sent to %s", order.reference, order.email)
    return True


@task()
def send_staff_order_notification(order_id: int) -> bool:
    """Tell the shop (``ShopSettings.order_notification_email``) about a paid order; text only.

    Sent at most once per paid order: ``mark_paid`` enqueues it only on the transition to paid.
    Returns whether an email was sent (no address configured → nothing to do).
    """

    address = shop_config().order_notification_email
    if not address:
        return False
    order = Order.objects.prefetch_related("lines", "adjustments").get(pk=order_id)
    summary = order_summary(order)
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    admin_url = f"{base}/admin/shop_orders/inspect/{order.pk}/"
    body = render_to_string(
        "emails/staff_order_notification.txt", {"order": order, "summary": summary, "admin_url": admin_url}
    )
    send_mail(f"New paid order {order.reference} – {summary['total']}", body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


@task()
def send_cancelled_order_refunded(order_id: int) -> bool:
    """Tell the customer their order could not be completed and their payment was refunded in full.

    Sent by :func:`shop.refunds.refund_cancelled_order_payment` once Stripe accepted the refund of
    a payment that arrived after the order was cancelled (its holds had expired and the items
    were gone). Text + HTML. Returns whether an email was sent.
    """

    order = Order.objects.prefetch_related("lines", "adjustments").get(pk=order_id)
    subject = f"Your Petit Four order {order.reference} could not be completed – refunded"
    _customer_email(order, subject, "emails/order_cancelled_refunded").send()
    logger.info("Refund notice of cancelled order %s sent to %s", order.reference, order.email)
    return True
