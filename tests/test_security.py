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

from shop.tests.factories import make_product, make_shipping_method
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
    "ADMIN_CONTENT_SECURITY_POLICY",
    "ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "ADMIN_STRICT_CSP_PATHS",
    "PERMISSIONS_POLICY",
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
    assert response["X-Frame-Options"] == "DENY" and csp["frame-ancestors"] == ["'none'"]
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
def test_wagtail_admin_has_its_own_csp_and_frames_only_itself(production, django_user_model):
    staff = django_user_model.objects.create_superuser("chef", "chef@petitfour.example", "Staff-pass-2026")
    with override_settings(**production):
        login = Client().get("/admin/login/", secure=True)
        client = Client()
        client.force_login(staff)
        dashboard = client.get("/admin/", secure=True)
    assert login.status_code == dashboard.status_code == 200
    strict, report_only = (
        parse_csp(login["Content-Security-Policy"]),
        parse_csp(dashboard["Content-Security-Policy-Report-Only"]),
    )
    # The sign-in page enforces scripts from 'self' only; the rest of the admin reports what
    # that strict policy would block and enforces one that allows Wagtail's inline scripts.
    assert strict["script-src"] == report_only["script-src"] == ["'self'"]
    admin = parse_csp(dashboard["Content-Security-Policy"])
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    for policy in (strict, admin):
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"] and policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
    assert login["X-Frame-Options"] == dashboard["X-Frame-Options"] == "SAMEORIGIN"
    assert dashboard["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def shop_pages(db):
    product = make_product("Macaron box")
    make_shipping_method()
    return product


#: What Mozilla Observatory's scoring rules look at, as every page must send it in production.
EXPECTED = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.django_db
def test_security_headers_on_every_kind_of_page(production, shop_pages, django_user_model):
    customer = django_user_model.objects.create_user("c", "c@example.com", "Pate-a-choux-9")
    with override_settings(**production):
        client = Client()
        client.force_login(customer)
        client.post("/shop/cart/add/", {"variant": shop_pages.variants.first().pk, "quantity": "1"}, secure=True)
        pages = {
            "home": "/",
            "product": shop_pages.url,
            "cart": "/shop/cart/",
            "checkout": "/shop/checkout/",
            "account": "/accounts/",
            "orders": "/shop/account/orders/",
            "admin login": "/admin/login/",
        }
        responses = {
            name: (Client() if name == "admin login" else client).get(path, secure=True) for name, path in pages.items()
        }
    report = {}
    for name, response in responses.items():
        assert response.status_code == 200, name
        for header, value in EXPECTED.items():
            assert response[header] == value, (name, header)
        csp = parse_csp(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], name
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"], name
        frame = csp["frame-ancestors"]
        assert (frame, response["X-Frame-Options"]) in ((["'none'"], "DENY"), (["'self'"], "SAMEORIGIN")), name
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
        for cookie in response.cookies.values():
            assert cookie["secure"] is True and cookie["samesite"] in ("Lax", "Strict"), (name, cookie.key)
        report[name] = sorted(h for h in response.headers if h.lower() not in ("content-type", "content-length"))
    print("security headers:", report)
