"""Against a running localstripe with the real stripe SDK (tests/stripe_fixtures.py starts it).

- the PaymentIntent is created for the server's total, once per order (idempotent);
- the webhook localstripe sends is verified by our endpoint and marks the order paid (or failed);
- the TEST-MODE step only runs against a non-Stripe API base.
"""

import json
import urllib.parse
import urllib.request

import pytest
from django.core import mail
from django.test import override_settings

from shop.models import Order, PaymentEvent
from shop.payments import lifecycle as payments
from shop.payments.stripe_client import get_client, is_test_stack, prepare_test_payment
from shop.tests.payment_helpers import make_order, make_variant, wait_for


def authenticate_3ds(localstripe, pi, success=True):
    """What localstripe's Stripe.js does when the customer answers the "3D Secure" dialog."""
    data = json.dumps({"key": "pk_test_localstripe", "client_secret": pi.client_secret}).encode()
    url = f"{localstripe.url}/v1/payment_intents/{pi.id}/_authenticate?success={'true' if success else 'false'}"
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=5).read()
    except urllib.error.HTTPError as exc:  # a declined charge answers 402
        return exc.code
    return 200


@pytest.mark.django_db
def test_payment_intent_for_server_total_and_idempotent(localstripe):
    order = make_order([(make_variant(price=1850, stock=4), 2), (make_variant(price=990, stock=None), 1)], shipping=500)
    assert order.total == 1850 * 2 + 990 + 500
    before = len(get_client().v1.payment_intents.list(params={"limit": 100}).data)
    pi = payments.create_or_get_payment_intent(order)
    again = payments.create_or_get_payment_intent(Order.objects.get(pk=order.pk))
    assert len(get_client().v1.payment_intents.list(params={"limit": 100}).data) == before + 1
    assert again.id == pi.id
    order.refresh_from_db()
    assert order.stripe_payment_intent_id == pi.id
    remote = get_client().v1.payment_intents.retrieve(pi.id)
    assert remote.amount == order.total
    assert remote.currency == "eur"
    assert remote.metadata["order_reference"] == order.reference
    assert payments.idempotency_key(order) == f"order-{order.reference}-pi-v1"


@pytest.mark.django_db
def test_payment_page_renders_stripe_js_and_client_secret(localstripe, client):
    order = make_order()
    response = client.get(f"/shop/checkout/{order.token}/pay/")
    assert response.status_code == 200
    html = response.content.decode()
    order.refresh_from_db()
    pi = get_client().v1.payment_intents.retrieve(order.stripe_payment_intent_id)
    assert f'src="{localstripe.js_url}"' in html
    assert pi.client_secret in html
    assert "Test mode" in html
    # TEST MODE: the 3-D Secure test card is attached, waiting for Stripe.js.
    assert pi.status == "requires_action"
    assert localstripe.url in response["Content-Security-Policy"]


@pytest.mark.django_db(transaction=True)
def test_localstripe_webhook_is_verified_and_marks_order_paid(localstripe, localstripe_webhook):
    order = make_order([(make_variant(price=2400, stock=3), 1)])
    pi = payments.create_or_get_payment_intent(order)
    pi = prepare_test_payment(pi, "approve")
    assert pi.status == "requires_action"
    assert authenticate_3ds(localstripe, pi) == 200
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID), "webhook never marked it paid"
    assert wait_for(
        lambda: PaymentEvent.objects.filter(
            payment_intent_id=pi.id, type="payment_intent.succeeded", outcome="paid", order_id=order.pk
        ).exists()
    )
    assert wait_for(lambda: len(mail.outbox) == 1)


@pytest.mark.django_db(transaction=True)
def test_localstripe_decline_webhook_marks_order_failed(localstripe, localstripe_webhook):
    order = make_order([(make_variant(price=2400, stock=3), 1)])
    pi = prepare_test_payment(payments.create_or_get_payment_intent(order), "decline")
    assert authenticate_3ds(localstripe, pi) == 402
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAYMENT_FAILED)
    assert wait_for(lambda: Order.objects.get(pk=order.pk).payment_failure_reason != "")
    assert mail.outbox == []


@pytest.mark.django_db
def test_success_page_asks_stripe_when_webhook_is_late(localstripe, client, django_capture_on_commit_callbacks):
    """No webhook registered: the order page retrieves the PaymentIntent and runs mark_paid."""
    order = make_order()
    pi = prepare_test_payment(payments.create_or_get_payment_intent(order), "approve")
    assert authenticate_3ds(localstripe, pi) == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/shop/orders/{order.token}/?payment=done")
    assert response.status_code == 200
    assert "Thank you, your order is confirmed!" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/shop/orders/{order.token}/?payment=done")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_browser_cannot_mark_paid(localstripe, client):
    """Posting to the payment page or the order page with anything never pays an unpaid order."""
    order = make_order()
    client.get(f"/shop/checkout/{order.token}/pay/")
    client.post(f"/shop/checkout/{order.token}/pay/", {"status": "succeeded", "paid": "1", "total": "1"})
    client.get(f"/shop/orders/{order.token}/?payment=done&status=succeeded&payment_intent=pi_fake")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_test_mode_only_off_real_stripe():
    with override_settings(STRIPE_API_BASE="https://api.stripe.com", STRIPE_SECRET_KEY="sk_test_x"):
        assert not is_test_stack()
        with pytest.raises(RuntimeError):
            prepare_test_payment(object(), "approve")
    with override_settings(STRIPE_API_BASE="http://127.0.0.1:8420", STRIPE_SECRET_KEY="sk_live_x"):
        assert not is_test_stack()
    with override_settings(STRIPE_API_BASE="http://127.0.0.1:8420", STRIPE_SECRET_KEY="sk_test_x"):
        assert is_test_stack()
