"""Newsletter: local double opt-in end to end, and the Mailchimp upsert against a local server
that plays the Mailchimp API (pytest-httpserver)."""

import hashlib
import json
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse
from werkzeug import Response

from marketing import newsletter
from marketing.models import Subscriber
from marketing.tests.helpers import make_site

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletter/signup/"


def post_signup(client, email="Camille@Example.com", **extra):
    data = {"email": email, "consent": "on", "next": "/"}
    data.update(extra)
    return client.post(SIGNUP, data, HTTP_REFERER="http://testserver/")


def link_from(message, name):
    body = message.body
    match = re.search(rf"http://testserver/newsletter/{name}/[^/\s]+/", body)
    assert match, body
    return match.group(0).replace("http://testserver", "")


# -- local double opt-in (no Mailchimp keys) ------------------------------------------------


@pytest.fixture
def local_mode(settings):
    settings.MAILCHIMP_API_KEY = settings.MAILCHIMP_SERVER_PREFIX = settings.MAILCHIMP_AUDIENCE_ID = ""
    make_site()


def test_local_double_opt_in_end_to_end(client, local_mode, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "camille@example.com"
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.consent_at
    assert len(mail.outbox) == 1
    confirm_mail = mail.outbox[0]
    assert confirm_mail.to == ["camille@example.com"]
    assert "confirm" in confirm_mail.subject.lower()
    # Every newsletter email carries a working unsubscribe link, in the body and the headers.
    assert "/newsletter/unsubscribe/" in confirm_mail.extra_headers["List-Unsubscribe"]
    assert confirm_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Confirm my subscription" in confirm_mail.alternatives[0][0]

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(link_from(confirm_mail, "confirm"))
    assert page.status_code == 200
    assert "You're on the list" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUBSCRIBED and subscriber.confirmed_at
    welcome = mail.outbox[1]
    assert "welcome" in welcome.subject.lower()

    unsubscribe_url = link_from(welcome, "unsubscribe")
    # GET only asks (mail scanners follow links); POST unsubscribes.
    assert "Unsubscribe me" in client.get(unsubscribe_url).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUBSCRIBED
    done = client.post(unsubscribe_url)
    assert done.status_code == 200 and "unsubscribed" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at


def test_one_click_unsubscribe_from_the_confirmation_email(client, local_mode, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    url = link_from(mail.outbox[0], "unsubscribe")
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_signing_up_twice_says_already_on_the_list(client, local_mode, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_from(mail.outbox[0], "confirm"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client, email="  CAMILLE@example.com ")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "already on the list" in page.content.decode()
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 2  # confirmation + welcome; no third email


def test_pending_signup_again_resends_confirmation(client, local_mode, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
        response = post_signup(client)
    assert "already on the list" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 2 and Subscriber.objects.count() == 1


def test_invalid_email_or_missing_consent_changes_nothing(client, local_mode):
    response = post_signup(client, email="not-an-email")
    assert response.status_code == 302
    assert "valid email" in client.get(response["Location"]).content.decode()
    response = client.post(SIGNUP, {"email": "a@b.example", "next": "/"})
    assert response.status_code == 302
    assert Subscriber.objects.count() == 0 and not mail.outbox


def test_offsite_next_is_ignored(client, local_mode):
    response = client.post(SIGNUP, {"email": "a@b.example", "consent": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_expired_and_tampered_confirm_links_explain_themselves(client, local_mode, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    url = link_from(mail.outbox[0], "confirm")
    tampered = client.get(url[:-3] + "xx/")
    assert tampered.status_code == 400 and "doesn't work" in tampered.content.decode()
    real_time = time.time
    try:
        time.time = lambda: real_time() + newsletter.CONFIRM_MAX_AGE + 60
        expired = client.get(url)
    finally:
        time.time = real_time
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_honeypot_stores_nothing(client, local_mode):
    post_signup(client, website="http://spam.example")
    assert Subscriber.objects.count() == 0 and not mail.outbox


def test_signup_page_error_never_500_when_mail_fails(client, local_mode, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "marketing.tests.test_newsletter.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    assert Subscriber.objects.filter(status="pending").count() == 1


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


# -- Mailchimp mode, against pytest-httpserver ------------------------------------------------------

AUDIENCE = "aud123"


@pytest.fixture
def mailchimp(settings, httpserver):
    settings.MAILCHIMP_API_KEY = "0123456789abcdef-us21"
    settings.MAILCHIMP_SERVER_PREFIX = "us21"
    settings.MAILCHIMP_AUDIENCE_ID = AUDIENCE
    settings.MAILCHIMP_API_BASE = httpserver.url_for("/3.0")
    settings.MAILCHIMP_RETRY_BACKOFF = 0
    settings.MAILCHIMP_MAX_ATTEMPTS = 3
    settings.MAILCHIMP_TIMEOUT = 0.5
    make_site()
    return httpserver


def member_path(email):
    return f"/3.0/lists/{AUDIENCE}/members/{hashlib.md5(email.lower().encode()).hexdigest()}"


def mc_error(status, title):
    return Response(
        json.dumps(
            {
                "type": "https://mailchimp.com/developer/",
                "title": title,
                "status": status,
                "detail": f"{title} detail",
                "instance": "x",
            }
        ),
        status=status,
        content_type="application/problem+json; charset=utf-8",
    )


def test_mailchimp_upsert_sends_hash_and_body(client, mailchimp, django_capture_on_commit_callbacks):
    mailchimp.expect_request(member_path("camille@example.com"), method="PUT").respond_with_json(
        {"id": "x", "email_address": "camille@example.com", "status": "pending"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    assert len(mailchimp.log) == 1
    request, _ = mailchimp.log[0]
    assert request.path == "/3.0/lists/aud123/members/" + hashlib.md5(b"camille@example.com").hexdigest()
    assert json.loads(request.data) == {"email_address": "camille@example.com", "status_if_new": "pending"}
    assert request.authorization is not None  # the SDK's basic auth with the API key
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending" and subscriber.mailchimp_synced_at and not subscriber.mailchimp_error
    assert not mail.outbox  # Mailchimp sends the confirmation, not us


def test_mailchimp_member_exists_is_not_an_error(client, mailchimp, django_capture_on_commit_callbacks):
    mailchimp.expect_request(member_path("camille@example.com"), method="PUT").respond_with_response(
        mc_error(400, "Member Exists")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    assert len(mailchimp.log) == 1  # not retried
    subscriber = Subscriber.objects.get()
    assert subscriber.mailchimp_synced_at and subscriber.mailchimp_error == ""


def test_mailchimp_401_is_recorded_not_retried_and_never_a_500(client, mailchimp, django_capture_on_commit_callbacks):
    mailchimp.expect_request(member_path("camille@example.com"), method="PUT").respond_with_response(
        mc_error(401, "API Key Invalid")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    assert "check your inbox" in client.get(response["Location"]).content.decode()
    assert len(mailchimp.log) == 1
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending"
    assert "401" in subscriber.mailchimp_error and subscriber.mailchimp_synced_at is None


def test_mailchimp_server_error_is_retried_then_succeeds(client, mailchimp, django_capture_on_commit_callbacks):
    mailchimp.expect_ordered_request(member_path("camille@example.com"), method="PUT").respond_with_response(
        mc_error(503, "Service Unavailable")
    )
    mailchimp.expect_ordered_request(member_path("camille@example.com"), method="PUT").respond_with_json(
        {"status": "pending"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    assert len(mailchimp.log) == 2
    assert Subscriber.objects.get().mailchimp_synced_at is not None


def test_mailchimp_timeout_is_retried_and_visitor_gets_no_500(
    client, mailchimp, settings, django_capture_on_commit_callbacks
):
    settings.MAILCHIMP_TIMEOUT = 0.2
    arrivals = []

    def slow(request):
        arrivals.append(time.monotonic())
        time.sleep(0.3)
        return Response("{}", content_type="application/json")

    mailchimp.expect_request(member_path("camille@example.com"), method="PUT").respond_with_handler(slow)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    time.sleep(0.5)  # let the single-threaded test server drain the queued retries
    assert len(arrivals) == 3  # first try + two retries (MAILCHIMP_MAX_ATTEMPTS=3)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending" and subscriber.mailchimp_synced_at is None
    assert "Timeout" in subscriber.mailchimp_error


def test_mailchimp_unsubscribe_is_mirrored(client, mailchimp, django_capture_on_commit_callbacks):
    mailchimp.expect_request(member_path("camille@example.com"), method="PUT").respond_with_json({"status": "pending"})
    mailchimp.expect_request(member_path("camille@example.com"), method="PATCH").respond_with_json(
        {"status": "unsubscribed"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    subscriber = Subscriber.objects.get()
    token = newsletter.make_token(subscriber, "unsubscribe")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter_unsubscribe", args=[token]))
    patch = [r for r, _ in mailchimp.log if r.method == "PATCH"]
    assert len(patch) == 1 and json.loads(patch[0].data) == {"status": "unsubscribed"}
    assert Subscriber.objects.get().status == "unsubscribed"


def test_tokens_are_purpose_bound():
    subscriber = Subscriber(email="a@b.example")
    token = newsletter.make_token(subscriber, "unsubscribe")
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt=newsletter.CONFIRM_SALT)


def test_admin_lists_filters_and_exports_subscribers(client, local_mode):

    Subscriber.objects.create(email="pending@example.com")
    Subscriber.objects.create(email="happy@example.com", status="subscribed")
    Subscriber.objects.create(email="gone@example.com", status="unsubscribed")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    listing = client.get("/admin/newsletter-subscribers/?status=subscribed").content.decode()
    assert "happy@example.com" in listing and "pending@example.com" not in listing
    export = client.get("/admin/newsletter-subscribers/?status=subscribed&export=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode()
    assert "happy@example.com" in body and "gone@example.com" not in body
    assert client.get("/admin/newsletter-subscribers/?q=gone").content.decode().count("gone@example.com") >= 1


def test_mailchimp_returning_address_is_set_back_to_pending(client, mailchimp, django_capture_on_commit_callbacks):
    Subscriber.objects.create(email="camille@example.com", status="unsubscribed")
    mailchimp.expect_request(member_path("camille@example.com"), method="PUT").respond_with_json({"status": "pending"})
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    request, _ = mailchimp.log[0]
    assert json.loads(request.data) == {
        "email_address": "camille@example.com",
        "status_if_new": "pending",
        "status": "pending",
    }
    assert Subscriber.objects.get().status == "pending"


def test_signup_limit_counts_each_client_behind_the_trusted_proxy(client, local_mode, settings):
    """The limit keys on the client IP from X-Forwarded-For (one trusted proxy), not on the
    balancer's REMOTE_ADDR that every visitor shares."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "newsletter_signup": "2/h/ip"}

    def sign_up(email, ip):
        data = {"email": email, "consent": "on", "next": "/"}
        return client.post(SIGNUP, data, HTTP_X_FORWARDED_FOR=ip)

    for email in ("a0@example.com", "a1@example.com", "a2@example.com"):
        assert sign_up(email, "203.0.113.9").status_code == 302
    sign_up("b@example.com", "198.51.100.4")
    emails = set(Subscriber.objects.values_list("email", flat=True))
    assert emails == {"a0@example.com", "a1@example.com", "b@example.com"}
