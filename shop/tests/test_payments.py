"""The payment services: mark_paid / mark_failed idempotency, retries after a decline, staff
cancel/fulfil, the confirmation email, and the payment page's states (no Stripe needed here)."""

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from wagtail.models import Site

from base.models.outbox import OutboxMessage
from shop.catalogue.models import SHOP_CONFIG_CACHE_KEY, ShopSettings
from shop.emails import queue_order_emails
from shop.exceptions import OutOfStock
from shop.models import Order, ProductVariant, StockHold
from shop.payments import lifecycle as payments
from shop.status import InvalidTransition
from shop.tests.factories import make_site
from shop.tests.payment_helpers import make_order, make_variant

pytestmark = pytest.mark.django_db


def stock_of(order):
    return ProductVariant.objects.get(pk=order.lines.first().purchasable_key).stock


def hold_status(order):
    return StockHold.objects.get(order_line=order.lines.first()).status


def test_mark_paid_twice_changes_once(django_capture_on_commit_callbacks):
    order = make_order([(make_variant(stock=4), 3)])
    with django_capture_on_commit_callbacks(execute=True):
        first = payments.mark_paid(order)
        second = payments.mark_paid(order)
    assert first[1] is True and second[1] is False
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert stock_of(order) == 1
    assert len(mail.outbox) == 1


def test_mark_paid_on_cancelled_order_holds_again_when_items_are_still_free():
    order = make_order([(make_variant(stock=4), 3)])
    payments.cancel_order(order)
    _order, changed = payments.mark_paid(order)
    assert changed
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert stock_of(order) == 1


def test_mark_paid_on_cancelled_order_whose_items_are_gone_is_refused_and_logged(caplog):
    variant = make_variant(stock=3)
    order = make_order([(variant, 3)])
    payments.cancel_order(order)
    make_order([(variant, 2)])  # someone else holds two of the three
    with caplog.at_level(logging.ERROR, logger="shop.payments"):
        _order, changed = payments.mark_paid(order)
    assert not changed
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert hold_status(order) == StockHold.Status.RELEASED and stock_of(order) == 3
    assert "cancelled order" in caplog.text


def test_mark_paid_refuses_a_payment_intent_that_is_not_succeeded():
    order = make_order()
    order.stripe_payment_intent_id = "pi_x"
    order.save()
    pi = {"id": "pi_x", "status": "requires_action", "amount": order.total, "currency": "eur"}
    assert payments.mark_paid(order, pi)[1] is False
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_mark_failed_releases_holds_and_a_retry_holds_again():
    variant = make_variant(stock=2)
    order = make_order([(variant, 2)])
    payments.mark_failed(order, reason="Your card was declined.")
    order.refresh_from_db()
    assert order.status == Order.Status.PAYMENT_FAILED
    assert hold_status(order) == StockHold.Status.RELEASED
    payments.ensure_holds(order)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert hold_status(order) == StockHold.Status.HELD


def test_retry_after_decline_when_sold_out_meanwhile_says_so():
    variant = make_variant(stock=2)
    order = make_order([(variant, 2)])
    payments.mark_failed(order, reason="declined")
    make_order([(variant, 2)])  # someone else holds the last two
    with pytest.raises(OutOfStock) as exc:
        payments.ensure_holds(order)
    assert "sold out" in str(exc.value.user_message)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAYMENT_FAILED


def test_prepare_endpoint_reports_sold_out_as_json(client):
    variant = make_variant(stock=1)
    order = make_order([(variant, 1)])
    payments.mark_failed(order, reason="declined")
    make_order([(variant, 1)])
    response = client.post(f"/shop/checkout/{order.token}/pay/")
    assert response.status_code == 409
    assert "sold out" in response.json()["error"]


def test_cancel_releases_holds_and_paid_orders_cannot_be_cancelled():
    order = make_order()
    assert payments.cancel_order(order) is True
    assert hold_status(order) == StockHold.Status.RELEASED
    paid = make_order()
    payments.mark_paid(paid)
    with pytest.raises(InvalidTransition):
        payments.cancel_order(paid)


def test_fulfil_only_after_payment():
    order = make_order()
    with pytest.raises(InvalidTransition):
        payments.mark_fulfilled(order)
    payments.mark_paid(order)
    assert payments.mark_fulfilled(order) is True
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED


def test_confirmation_email_html_and_text_with_lines_adjustments_totals_and_link(django_capture_on_commit_callbacks):
    order = make_order([(make_variant(title="Rose macarons", price=2000), 2)], shipping=450, discount=400)
    with django_capture_on_commit_callbacks(execute=True):
        payments.mark_paid(order)
    with django_capture_on_commit_callbacks(execute=True):
        payments.mark_paid(order)  # a second "paid" queues nothing more
        queue_order_emails(Order.objects.get(pk=order.pk))  # nor does queueing again
    assert OutboxMessage.objects.filter(key=f"order-confirmation:{order.pk}", status="sent").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Rose macarons" in body
        assert "Spring offer" in body and "−€4.00" in body
        assert "€4.50" in body  # delivery
        assert "€40.50" in body  # 40.00 - 4.00 + 4.50
        assert f"/shop/orders/{order.token}/" in body
    assert message.alternatives[0][1] == "text/html"


def test_confirmation_is_not_sent_for_unpaid_orders(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order()
        payments.mark_failed(order, reason="declined")
    assert not OutboxMessage.objects.filter(key=f"order-confirmation:{order.pk}").exists()
    assert mail.outbox == []


def test_payment_page_of_a_paid_order_goes_to_the_order(client):
    order = make_order()
    payments.mark_paid(order)
    response = client.get(f"/shop/checkout/{order.token}/pay/")
    assert response.status_code == 302
    assert response["Location"] == f"/shop/orders/{order.token}/"


def test_payment_page_of_a_cancelled_order_says_so(client):
    order = make_order()
    payments.cancel_order(order)
    response = client.get(f"/shop/checkout/{order.token}/pay/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cancelled" in html
    assert "payment.js" not in html


def test_payment_page_when_stripe_is_down_shows_a_message(client, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    order = make_order()
    response = client.get(f"/shop/checkout/{order.token}/pay/")
    assert response.status_code == 503
    assert "could not reach the payment provider" in response.content.decode()
    assert Order.objects.get(pk=order.pk).stripe_payment_intent_id is None


@pytest.fixture
def notify_staff():

    make_site()
    ShopSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"order_notification_email": "orders@petitfour.example"}
    )
    cache.delete(SHOP_CONFIG_CACHE_KEY)
    yield "orders@petitfour.example"
    cache.delete(SHOP_CONFIG_CACHE_KEY)


def test_staff_are_told_once_about_a_paid_order(notify_staff, django_capture_on_commit_callbacks):
    order = make_order([(make_variant(title="Opera cake", price=3200), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        payments.mark_paid(order)
        payments.mark_paid(order)
    staff = [m for m in mail.outbox if m.to == [notify_staff]]
    customer = [m for m in mail.outbox if m.to == [order.email]]
    assert len(staff) == 1 and len(customer) == 1
    assert order.reference in staff[0].subject and "€32.00" in staff[0].subject
    assert "Opera cake" in staff[0].body
    assert f"/admin/shop_orders/inspect/{order.pk}/" in staff[0].body
