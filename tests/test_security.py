"""Production security headers: HTTPS redirect, HSTS, nosniff, referrer policy, X-Frame-Options,
secure cookies, and a Content-Security-Policy that allows scripts only from our own origin and
Stripe.js.

The production values are read from ``config.settings.production`` in a subprocess (with every
variable production requires: ``tests.settings_probe.PRODUCTION_ENV``), then applied to the test settings with ``override_settings``
and checked on real responses from the site's own middleware stack.
"""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings
from django.urls import reverse

from tests.settings_probe import PRODUCTION_ENV, read_settings

SECURITY_SETTINGS = [
    "CONTENT_SECURITY_POLICY",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
]


@pytest.fixture(scope="module")
def production():
    values = read_settings("config.settings.production", SECURITY_SETTINGS, env=PRODUCTION_ENV)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def parse_csp(header):
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


def test_production_csp_allows_scripts_only_from_self_and_stripe(production):
    directives = production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'", "https://js.stripe.com"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    for name, sources in directives.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, name
        assert "*" not in sources, name


@pytest.mark.django_db
def test_production_response_carries_security_headers_and_csp(production):
    with override_settings(**production):
        client = Client()  # a fresh client builds its middleware with the production values
        response = client.get(reverse("account_login"), secure=True)
    assert response.status_code == 200

    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'", "https://js.stripe.com"]
    assert csp["default-src"] == ["'self'"]
    assert "https://js.stripe.com" in csp["frame-src"]
    assert "https://api.stripe.com" in csp["connect-src"]
    assert csp["style-src"] == ["'self'"]

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_production_redirects_plain_http_to_https(production):
    with override_settings(**production):
        response = Client().get("/accounts/login/")
        behind_proxy = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    # Behind the load balancer the forwarded protocol counts: no redirect loop.
    assert behind_proxy.status_code == 200


@pytest.mark.django_db
def test_session_cookie_is_secure_after_sign_in(production, django_user_model):

    user = django_user_model.objects.create_user(username="c", email="c@example.com", password="Pate-a-choux-9")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with override_settings(**production):
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": "c@example.com", "password": "Pate-a-choux-9"}, secure=True
        )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


@pytest.mark.django_db
def test_wagtail_admin_is_excluded_from_the_site_csp(production):
    # The admin ships inline scripts we do not control; the public site gets the strict policy.
    with override_settings(**production):
        response = Client().get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
