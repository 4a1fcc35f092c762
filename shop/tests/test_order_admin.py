"""Orders in the Wagtail admin: listing, filters, search, CSV/XLSX export, inspect, fulfil, cancel."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook

from shop.models import Order, PaymentEvent, ShippingMethod, StockHold
from shop.payments import lifecycle as payments
from shop.tests.payment_helpers import make_order, make_variant

pytestmark = pytest.mark.django_db

URL = "/admin/shop_orders/"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def orders():
    pickup = ShippingMethod.objects.create(name="Click & collect", price=0, requires_address=False)
    paid = make_order([(make_variant(title="Lemon tart"), 1)], email="paid@example.com")
    paid.shipping_method = pickup
    paid.save()
    payments.mark_paid(paid)
    pending = make_order(email="pending@example.com")
    return {"paid": Order.objects.get(pk=paid.pk), "pending": pending, "pickup": pickup}


def test_listing_shows_orders_for_staff(client, staff, orders):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert orders["paid"].reference in html and orders["pending"].reference in html
    assert "€18.00" in html


def test_listing_is_forbidden_to_customers(client, orders):
    user = get_user_model().objects.create_user("eve", "eve@example.com", "pw")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    "query,expect_paid,expect_pending",
    [
        ("status=paid", True, False),
        ("status=pending_payment", False, True),
        ("q=paid%40example.com", True, False),
    ],
)
def test_filters_and_search(client, staff, orders, query, expect_paid, expect_pending):
    html = client.get(f"{URL}?{query}").content.decode()
    assert (orders["paid"].reference in html) is expect_paid
    assert (orders["pending"].reference in html) is expect_pending


def test_filter_by_fulfilment_method_and_date(client, staff, orders):
    html = client.get(f"{URL}?shipping_method={orders['pickup'].pk}").content.decode()
    assert orders["paid"].reference in html and orders["pending"].reference not in html
    html = client.get(f"{URL}?created_at_from=2000-01-01&created_at_to=2000-12-31").content.decode()
    assert orders["paid"].reference not in html
    html = client.get(f"{URL}?created_at_from=2000-01-01").content.decode()
    assert orders["paid"].reference in html


def test_search_by_reference(client, staff, orders):
    html = client.get(f"{URL}?q={orders['pending'].reference}").content.decode()
    assert orders["pending"].reference in html and orders["paid"].reference not in html


def test_export_csv_and_xlsx(client, staff, orders):
    response = client.get(f"{URL}?export=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_ref = {r["Reference"]: r for r in rows}
    assert by_ref[orders["paid"].reference]["Status"] == "paid"
    assert by_ref[orders["paid"].reference]["Total (minor units)"] == str(orders["paid"].total)
    response = client.get(f"{URL}?export=xlsx")
    assert response.status_code == 200

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert orders["paid"].reference in [c.value for c in sheet["A"]]


def test_inspect_shows_lines_amounts_and_payment_events(client, staff, orders):
    order = orders["paid"]
    PaymentEvent.objects.create(event_id="evt_admin_1", type="payment_intent.succeeded", order=order, outcome="paid")
    html = client.get(f"{URL}inspect/{order.pk}/").content.decode()
    assert "Lemon tart" in html
    assert "evt_admin_1" in html and "payment_intent.succeeded" in html
    assert "Mark collected" in html
    assert "Cancel order" not in html  # paid orders are refunded, not cancelled


def test_cancel_action_releases_holds(client, staff, orders):
    order = orders["pending"]
    response = client.post(f"{URL}{order.pk}/cancel/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.RELEASED


def test_fulfil_action(client, staff, orders):
    order = orders["paid"]
    client.post(f"{URL}{order.pk}/fulfil/")
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    # Fulfilling a pending order is refused with a message and changes nothing.
    pending = orders["pending"]
    response = client.post(f"{URL}{pending.pk}/fulfil/", follow=True)
    pending.refresh_from_db()
    assert pending.status == Order.Status.PENDING_PAYMENT
    assert "not possible" in response.content.decode()


def test_actions_need_change_permission(client, orders):
    user = get_user_model().objects.create_user("viewer", "viewer@example.com", "pw")
    group = Group.objects.create(name="Order viewers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    user.groups.add(group)
    client.force_login(user)
    assert client.get(URL).status_code == 200
    assert client.post(f"{URL}{orders['pending'].pk}/cancel/").status_code in (302, 403)
    assert Order.objects.get(pk=orders["pending"].pk).status == Order.Status.PENDING_PAYMENT


def test_no_add_or_delete(client, staff, orders):
    assert client.get(f"{URL}new/").status_code in (302, 403)
    assert client.post(f"{URL}delete/{orders['pending'].pk}/").status_code in (302, 403)
    assert Order.objects.filter(pk=orders["pending"].pk).exists()
