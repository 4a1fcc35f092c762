"""Refunds through the Stripe Refund API (a real localstripe) and the ``charge.refunded`` webhook.

Full and partial refunds, amounts net of discounts, restock, refused quantities, Stripe errors,
staff's admin form, and duplicated ``charge.refunded`` events (signed exactly as Stripe signs
them) that change nothing the second time.
"""

import pytest
from django.contrib.auth import get_user_model
from django.dispatch import receiver

from shop.models import Order, ProductVariant, Refund
from shop.payments.stripe_client import get_client
from shop.refunds import RefundError, refund_order, refund_order_line
from shop.signals import order_refunded
from shop.tests.factories import make_product
from shop.tests.offer_helpers import make_offer, pay, place
from tests.stripe_fixtures import make_event, pay_with_test_card, refund_amounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunded_signals():
    calls = []

    @receiver(order_refunded, weak=False)
    def listen(sender, order, refunds, restock, **kwargs):
        calls.append((order.pk, [(line.pk, qty) for line, qty in refunds], restock))

    yield calls
    order_refunded.disconnect(listen)


def paid_with_stripe(items, **kwargs):
    """An order placed from a cart and paid with a real (localstripe) PaymentIntent."""
    order = place(items, **kwargs)
    return pay(order, pi=pay_with_test_card(order.total, order.currency))


def stripe_refunds(order):
    return refund_amounts(order.stripe_payment_intent_id)


@pytest.fixture
def two_lines():
    box = make_product("Macaron box", variants=[{"price": 1800, "stock": 10}]).variants.get()
    tart = make_product("Lemon tart", variants=[{"price": 3200, "stock": 5}]).variants.get()
    return box, tart


def test_full_refund(localstripe, two_lines, refunded_signals):
    box, tart = two_lines
    order = paid_with_stripe([(box, 2), (tart, 1)])
    assert order.total == 6800

    refund = refund_order(order, None, reason="Customer changed their mind")

    order.refresh_from_db()
    assert order.status == "refunded"
    assert refund.status == "succeeded" and refund.stripe_refund_id.startswith("re_") and refund.amount == 6800
    assert stripe_refunds(order) == [6800]
    assert [(line.refunded_quantity, line.refunded_amount) for line in order.lines.all()] == [(2, 3600), (1, 3200)]
    assert len(refunded_signals) == 1
    with pytest.raises(RefundError, match="already been refunded"):
        refund_order(order, None)
    assert stripe_refunds(order) == [6800]


def test_partial_refunds_net_of_discount_then_rest(localstripe, two_lines, refunded_signals):
    box, tart = two_lines
    make_offer(percent=10)
    order = paid_with_stripe([(box, 2), (tart, 1)], coupon_code="SPRING10")
    assert order.total == 6800 - 680
    box_line, tart_line = order.lines.all()
    assert (box_line.discount, tart_line.discount) == (360, 320)

    refund_order_line(box_line, 1, reason="One box was crushed")
    order.refresh_from_db()
    box_line.refresh_from_db()
    assert order.status == "partially_refunded"
    assert (box_line.refunded_quantity, box_line.refunded_amount) == (1, 1620)  # (3600 - 360) / 2
    assert stripe_refunds(order) == [1620]

    refund_order(order, {box_line.pk: 1, tart_line.pk: 1})
    order.refresh_from_db()
    assert order.status == "refunded"
    assert stripe_refunds(order) == [1620, 4500]  # 1620 + 2880: everything paid, never more
    assert sum(r.amount for r in order.refunds.all()) == order.total
    assert len(refunded_signals) == 2


def test_refusing_bad_quantities_changes_nothing(localstripe, two_lines):
    box, tart = two_lines
    order = paid_with_stripe([(box, 1)])
    line = order.lines.get()
    for lines in ({line.pk: 2}, {line.pk: -1}, {999999: 1}, {line.pk: "x"}, {}):
        with pytest.raises(RefundError):
            refund_order(order, lines)
    assert Refund.objects.count() == 0 and stripe_refunds(order) == []
    unpaid = place([(tart, 1)])
    with pytest.raises(RefundError, match="Only a paid order"):
        refund_order(unpaid, None)


def test_restock_only_when_asked(localstripe, two_lines):
    box, _tart = two_lines
    order = paid_with_stripe([(box, 3)])
    assert ProductVariant.objects.get(pk=box.pk).stock == 7
    line = order.lines.get()
    refund_order_line(line, 1)
    assert ProductVariant.objects.get(pk=box.pk).stock == 7
    refund_order_line(line, 2, restock=True)
    assert ProductVariant.objects.get(pk=box.pk).stock == 9


def test_stripe_refusal_is_reported_and_changes_nothing(localstripe, two_lines):
    box, _tart = two_lines
    order = paid_with_stripe([(box, 1)])
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_does_not_exist")
    order.refresh_from_db()
    with pytest.raises(RefundError, match="Stripe refused"):
        refund_order(order, None)
    order.refresh_from_db()
    assert order.status == "paid" and order.lines.get().refunded_quantity == 0
    assert Refund.objects.get().status == "failed"


# --------------------------------------------------------------------------------- webhook
def charge_refunded(order, refunds):
    return {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": order.stripe_payment_intent_id,
        "amount": order.total,
        "amount_refunded": sum(r["amount"] for r in refunds),
        "refunded": True,
        "refunds": {"object": "list", "data": refunds},
    }


def test_duplicated_charge_refunded_changes_nothing_the_second_time(
    localstripe, two_lines, stripe_signer, refunded_signals
):
    box, tart = two_lines
    order = paid_with_stripe([(box, 2), (tart, 1)])
    box_line = order.lines.first()
    refund = refund_order_line(box_line, 1)  # applied from the API answer
    stripe_refund = {
        "id": refund.stripe_refund_id,
        "object": "refund",
        "amount": 1800,
        "status": "succeeded",
        "metadata": {"refund_id": str(refund.pk)},
    }
    event = make_event("charge.refunded", charge_refunded(order, [stripe_refund]))

    for sent in (event, event, make_event("charge.refunded", charge_refunded(order, [stripe_refund]))):
        assert stripe_signer.post(sent).status_code == 200

    box_line.refresh_from_db()
    order.refresh_from_db()
    assert (box_line.refunded_quantity, box_line.refunded_amount) == (1, 1800)
    assert order.status == "partially_refunded" and Refund.objects.count() == 1
    assert len(refunded_signals) == 1


def test_refund_made_in_stripe_dashboard_arrives_by_webhook_once(
    localstripe, two_lines, stripe_signer, refunded_signals
):
    box, _tart = two_lines
    order = paid_with_stripe([(box, 2)])
    remote = get_client().v1.refunds.create(params={"payment_intent": order.stripe_payment_intent_id})
    data = {"id": remote.id, "object": "refund", "amount": remote.amount, "status": "succeeded", "metadata": {}}

    for _ in range(2):
        assert stripe_signer.post(make_event("charge.refunded", charge_refunded(order, [data]))).status_code == 200

    order.refresh_from_db()
    assert order.status == "refunded"
    assert order.lines.get().refunded_quantity == 2
    assert Refund.objects.get().stripe_refund_id == remote.id
    assert len(refunded_signals) == 1


def test_bad_signature_refund_event_changes_nothing(localstripe, two_lines, stripe_signer):
    box, _tart = two_lines
    order = paid_with_stripe([(box, 1)])
    data = {"id": "re_fake", "object": "refund", "amount": 1800, "status": "succeeded", "metadata": {}}
    response = stripe_signer.post(make_event("charge.refunded", charge_refunded(order, [data])), secret="whsec_wrong")
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "paid" and not Refund.objects.exists()


# --------------------------------------------------------------------------------- admin
def test_staff_refund_form(localstripe, two_lines, client):
    box, tart = two_lines
    order = paid_with_stripe([(box, 2), (tart, 1)])
    box_line, tart_line = order.lines.all()
    url = f"/admin/shop/orders/{order.pk}/refund/"

    customer = get_user_model().objects.create_user("c", "c@example.com", "pw")
    client.force_login(customer)
    assert client.get(url).status_code in (302, 403)

    staff = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(staff)
    page = client.get(url)
    assert page.status_code == 200 and "Lemon tart" in page.content.decode()

    response = client.post(url, {f"qty_{box_line.pk}": "5", "reason": ""})
    assert response.status_code == 200 and Refund.objects.count() == 0  # 5 > 2: form error

    response = client.post(
        url, {f"qty_{box_line.pk}": "1", f"qty_{tart_line.pk}": "0", "reason": "Crushed", "restock": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "Refunded €18.00" in response.content.decode()
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason, refund.initiated_by, refund.restock) == (1800, "Crushed", staff, True)
    assert ProductVariant.objects.get(pk=box.pk).stock == 9
