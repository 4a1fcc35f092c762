"""Who can see which order: the guest link by token, "My orders" for the signed-in customer only,
and guest orders joining the account whose verified email matches."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.guest_orders import attach_guest_orders
from shop.models import Order
from shop.payments import lifecycle as payments
from shop.tests.payment_helpers import make_order, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    User = get_user_model()
    alice = User.objects.create_user("alice", "alice@example.com", "pw-alice-123!")
    bob = User.objects.create_user("bob", "bob@example.com", "pw-bob-123!")
    return alice, bob


def paid(order):
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    order.refresh_from_db()
    return order


def test_guest_link_shows_the_order(client):
    order = paid(make_order([(make_variant(title="Pistachio macarons", price=1800), 2)]))
    response = client.get(f"/shop/orders/{order.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert order.reference in html
    assert "Pistachio macarons" in html
    assert "€36.00" in html
    assert "noindex" in html


@pytest.mark.parametrize("token", ["wrong-token", "x" * 32])
def test_guest_link_with_wrong_token_is_404(client, token):
    make_order()
    assert client.get(f"/shop/orders/{token}/").status_code == 404
    assert client.get(f"/shop/checkout/{token}/pay/").status_code == 404


def test_my_orders_lists_only_mine(client, users):
    alice, bob = users
    mine = make_order(email="alice@example.com", user=alice)
    theirs = make_order(email="bob@example.com", user=bob)
    client.force_login(alice)
    response = client.get("/shop/account/orders/")
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.reference in html
    assert theirs.reference not in html


def test_my_orders_needs_sign_in(client):
    response = client.get("/shop/account/orders/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_customers_order_is_404(client, users):
    alice, bob = users
    theirs = make_order(email="bob@example.com", user=bob)
    mine = make_order(email="alice@example.com", user=alice)
    client.force_login(alice)
    assert client.get(f"/shop/account/orders/{mine.reference}/").status_code == 200
    assert client.get(f"/shop/account/orders/{theirs.reference}/").status_code == 404
    assert client.get("/shop/account/orders/PF-999999/").status_code == 404


def test_my_orders_query_count_is_constant(client, users):

    alice, _bob = users
    for _ in range(3):
        make_order(email="alice@example.com", user=alice)
    client.force_login(alice)

    def warm_count():
        client.get("/shop/account/orders/")  # warm: first request creates settings rows, fills caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/shop/account/orders/").status_code == 200
        return len(ctx.captured_queries)

    few = warm_count()
    for _ in range(5):
        make_order(email="alice@example.com", user=alice)
    assert few <= 12
    assert warm_count() == few


def test_guest_orders_join_account_with_verified_email(users):
    alice, _bob = users
    guest = make_order(email="Alice@Example.com")
    other = make_order(email="someone@example.com")
    EmailAddress.objects.create(user=alice, email="alice@example.com", verified=False, primary=True)
    assert attach_guest_orders(alice) == 0  # not verified: nothing joins
    EmailAddress.objects.filter(user=alice).update(verified=True)
    assert attach_guest_orders(alice) == 1
    guest.refresh_from_db()
    other.refresh_from_db()
    assert guest.user == alice
    assert other.user is None


def test_email_confirmed_signal_attaches_orders(users, rf):

    alice, _bob = users
    guest = make_order(email="alice@example.com")
    address = EmailAddress.objects.create(user=alice, email="alice@example.com", verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    guest.refresh_from_db()
    assert guest.user == alice


def test_sign_in_attaches_orders_for_verified_email(client, users):
    alice, _bob = users
    EmailAddress.objects.create(user=alice, email="alice@example.com", verified=True, primary=True)
    guest = make_order(email="alice@example.com")
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "pw-alice-123!"})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.user == alice


def test_order_page_is_cheap(client, django_assert_max_num_queries):

    order = make_order([(make_variant(), 1), (make_variant(), 2)])
    payments.mark_paid(order)
    client.get(f"/shop/orders/{order.token}/")  # warm: the first request creates the site settings rows
    with django_assert_max_num_queries(10):
        response = client.get(f"/shop/orders/{order.token}/")
    assert response.status_code == 200
