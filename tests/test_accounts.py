"""Customer accounts through django-allauth: sign up, sign in/out, password reset, email
verification, login rate limit, safe ``next=`` redirects and the account home at /accounts/."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Site

from base.models import SiteSettings

pytestmark = pytest.mark.django_db

PASSWORD = "Macaron-Framboise-42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def customer(django_user_model):
    user = django_user_model.objects.create_user(username="claire", email="claire@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def login(client, email="claire@example.com", password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def links_in(message):
    return re.findall(r"https?://testserver(/\S+)", message.body)


# --- sign up / in / out ------------------------------------------------------------------


def test_sign_up_creates_account_signs_in_and_sends_verification(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = django_user_model.objects.get(email="new@example.com")
    assert EmailAddress.objects.get(user=user).verified is False
    # Verification is optional in development and tests: the customer is signed in at once.
    assert client.get(reverse("account_home")).status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert mail.outbox[0].subject == "[Petit Four] Welcome! Please confirm your email address"
    assert mail.outbox[0].body.startswith("Hello from Petit Four,")

    # The link in the email verifies the address.
    (confirm_path,) = [p for p in links_in(mail.outbox[0]) if "/confirm-email/" in p]
    page = client.get(confirm_path)
    assert page.status_code == 200
    client.post(confirm_path)
    assert EmailAddress.objects.get(user=user).verified is True


def test_sign_up_with_mismatched_passwords_shows_error_and_creates_nothing(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not django_user_model.objects.filter(email="new@example.com").exists()


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_mandatory_verification_blocks_sign_in_until_confirmed(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {"email": "strict@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    page = client.get(response["Location"])
    assert "Verify Your Email Address" in page.content.decode()
    # Not signed in: the account home sends the visitor to the sign-in page.
    assert client.get(reverse("account_home")).status_code == 302


def test_sign_in_with_email_lands_on_account_home_and_sign_out(client, customer):
    response = login(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    home = client.get("/accounts/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "Bonjour" in html and "claire@example.com" in html
    assert reverse("account_email") in html and reverse("account_change_password") in html

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 302


def test_wrong_password_shows_message_and_does_not_sign_in(client, customer):
    response = login(client, password="nope")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_home_requires_login(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_account_home_links_teachers_to_their_dashboard(client, customer):

    client.force_login(customer)
    assert "Teaching dashboard" not in client.get("/accounts/").content.decode()
    customer.groups.add(Group.objects.get_or_create(name="Teachers")[0])
    html = client.get("/accounts/").content.decode()
    assert "Teaching dashboard" in html and 'href="/learning/teach/"' in html


# --- password reset ------------------------------------------------------------------------


def test_password_reset_email_link_sets_a_new_password(client, customer):
    response = client.post(reverse("account_reset_password"), {"email": "claire@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    (reset_path,) = [p for p in links_in(mail.outbox[0]) if "/password/reset/key/" in p]

    # The key URL stores the key in the session and redirects to the form.
    response = client.get(reset_path)
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and "Change Password" in page.content.decode()
    response = client.post(form_url, {"password1": "Nouveau-Eclair-77", "password2": "Nouveau-Eclair-77"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    customer.refresh_from_db()
    assert customer.check_password("Nouveau-Eclair-77")
    assert login(client, password="Nouveau-Eclair-77").status_code == 302


def html_body(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_password_reset_email_names_the_shop_and_contains_the_link(client, customer):
    client.post(reverse("account_reset_password"), {"email": "claire@example.com"})
    (message,) = mail.outbox
    assert message.to == ["claire@example.com"]
    assert message.from_email == "Petit Four <hello@petitfour.example>"
    assert message.subject == "[Petit Four] Reset your password"
    assert message.body.startswith("Hello from Petit Four,")
    assert "reset the password of your Petit Four account" in message.body
    (reset_path,) = [p for p in links_in(message) if "/password/reset/key/" in p]
    assert message.body.rstrip().endswith("Petit Four\ntestserver")
    # The HTML version carries the same link as a button.
    html = html_body(message)
    assert f'href="http://testserver{reset_path}"' in html
    assert "Choose a new password" in html and "Petit Four" in html


def test_account_emails_use_the_brand_name_from_site_settings(client, customer):

    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"brand_name": "Chez Claire"}
    )
    client.post(reverse("account_reset_password"), {"email": "claire@example.com"})
    (message,) = mail.outbox
    assert "reset the password of your Chez Claire account" in message.body
    assert "Chez Claire" in html_body(message) and "Petit Four" not in html_body(message)


def test_password_reset_for_an_unknown_address_offers_sign_up(client, customer):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    # Same answer as for a known address: nobody learns which addresses have accounts.
    assert response["Location"] == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert message.to == ["nobody@example.com"]
    assert message.subject == "[Petit Four] No account for this email address"
    assert "a Petit Four account with the email address nobody@example.com" in message.body
    assert reverse("account_signup") in links_in(message)
    assert f'href="http://testserver{reverse("account_signup")}"' in html_body(message)


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_sign_up_with_a_taken_address_mails_the_owner_instead(client, customer, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {"email": "claire@example.com", "password1": PASSWORD + "x", "password2": PASSWORD + "x"},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert django_user_model.objects.filter(email="claire@example.com").count() == 1
    (message,) = mail.outbox
    assert message.subject == "[Petit Four] You already have an account"
    assert "create a Petit Four account for claire@example.com" in message.body
    assert reverse("account_reset_password") in links_in(message)


def test_password_reset_with_a_bad_key_says_so(client, customer):
    page = client.get("/accounts/password/reset/key/1-bad-key/")
    assert page.status_code == 200
    assert "Bad Token" in page.content.decode()


# --- rate limit ----------------------------------------------------------------------------


def test_repeated_failed_logins_are_rate_limited_with_a_message(client, customer):
    for _ in range(5):
        response = login(client, password="wrong")
        assert "not correct" in response.content.decode()
    # Even the right password is refused now, with a message, not an error page.
    response = login(client)
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- next= safety --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/steal", "https:evil.example", "http://testserver.evil.example/"],
)
def test_login_next_never_leaves_the_site(client, customer, target):
    response = login(client, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_login_next_on_site_is_followed(client, customer):
    response = login(client, next="/shop/")
    assert response.status_code == 302
    assert response["Location"] == "/shop/"


# --- the pages render in the site's look ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_inactive",
    ],
)
def test_entrance_pages_render_in_site_layout(client, name):
    page = client.get(reverse(name))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="acct acct--' in html
    assert "css/account.css" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "account_logout"])
def test_manage_pages_render_for_a_customer(client, customer, name):
    client.force_login(customer)
    page = client.get(reverse(name))
    assert page.status_code == 200
    html = page.content.decode()
    assert "acct acct--manage" in html
    assert 'href="/accounts/"' in html  # breadcrumb back to the account home


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_request_rate_limit_answers_429_in_the_site_look(client, customer):
    for _ in range(2):
        assert login(client, password="wrong").status_code == 200
    response = login(client, password="wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html and 'class="site-header"' in html
