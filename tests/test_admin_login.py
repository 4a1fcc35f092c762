"""Wagtail's /admin/login/ is throttled (django-axes), refuses non-staff accounts exactly like a
wrong password, never signs them in, and asks staff for a verified email where verification is
mandatory. allauth's /accounts/login/ keeps its own limits.

The throttle is tested for real: 30 posts through the site's middleware and backends.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

ADMIN_LOGIN = "/admin/login/"
STAFF_PASSWORD = "Staff-pass-2026"
CUSTOMER_PASSWORD = "Customer-pass-2026"
CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # masked CSRF tokens: new on every response


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_superuser("chef", "chef@petitfour.example", STAFF_PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def customer(django_user_model):
    user = django_user_model.objects.create_user("claire", "claire@example.com", CUSTOMER_PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def attempt(client, username, password, **headers):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, headers=headers)


def page_of(response) -> str:
    """The login page's HTML without its per-response CSRF tokens (form field and admin config)."""
    return CSRF.sub("", response.content.decode())


@pytest.mark.django_db
def test_thirty_wrong_passwords_are_throttled_from_the_sixth(staff):
    client = Client()
    statuses = [attempt(client, staff.email, f"wrong-{n}").status_code for n in range(30)]
    # Four plain refusals, the fifth failure locks (its answer already says so), and every
    # attempt from the sixth on is refused without its password being checked.
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429] * 26, statuses
    locked = attempt(client, staff.email, STAFF_PASSWORD)
    assert locked.status_code == 429, "the right password does not get through a lockout"
    assert "_auth_user_id" not in client.session
    print("admin login, 30 wrong passwords:", statuses)


@pytest.mark.django_db
def test_a_customers_right_password_gets_the_same_page_as_a_wrong_one(customer):
    wrong = attempt(Client(), customer.email, "not-the-password")
    client = Client()
    right = attempt(client, customer.email, CUSTOMER_PASSWORD)
    assert wrong.status_code == right.status_code == 200
    assert page_of(wrong) == page_of(right)
    assert "_auth_user_id" not in client.session, "a customer is never signed in through the admin door"
    assert client.get("/admin/").status_code == 302  # still asked to sign in


@pytest.mark.django_db
def test_customer_refusals_count_towards_the_throttle(customer):
    client = Client()
    statuses = [attempt(client, customer.email, CUSTOMER_PASSWORD).status_code for _ in range(6)]
    assert statuses == [200] * 4 + [429] * 2


@pytest.mark.django_db
def test_staff_sign_in_and_unverified_staff_when_verification_is_mandatory(staff, django_user_model, settings):
    ok = Client()
    response = attempt(ok, staff.email, STAFF_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert ok.get("/admin/").status_code == 200

    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    unverified = django_user_model.objects.create_superuser("new-chef", "new@petitfour.example", STAFF_PASSWORD)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False, primary=True)
    client = Client()
    refused = attempt(client, unverified.email, STAFF_PASSWORD)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert page_of(refused) == page_of(attempt(Client(), unverified.email, "wrong"))
    assert attempt(Client(), staff.email, STAFF_PASSWORD).status_code == 302  # verified staff still sign in


@pytest.mark.django_db
def test_clients_behind_the_trusted_proxy_are_throttled_one_by_one(staff, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(5):
        attempt(client, "nobody@example.com", f"x{n}", **{"X-Forwarded-For": "203.0.113.7"})
    assert attempt(client, "nobody@example.com", "x", **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    # Another visitor behind the same load balancer (same REMOTE_ADDR) is not locked out.
    other = attempt(Client(), staff.email, STAFF_PASSWORD, **{"X-Forwarded-For": "198.51.100.9"})
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_site_login_is_not_counted_by_the_admin_throttle(staff):
    client = Client()
    for n in range(4):
        client.post(reverse("account_login"), {"login": staff.email, "password": f"wrong-{n}"})
    assert attempt(Client(), staff.email, STAFF_PASSWORD).status_code == 302
