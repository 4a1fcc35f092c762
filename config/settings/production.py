"""Production: every secret from the environment, HTTPS everywhere, start-up fails loudly.

No development default survives here: without a database URL, an SMTP server or real Stripe
keys the process refuses to start (ImproperlyConfigured naming the variable) instead of
silently using SQLite, printing mail to the console or talking to localstripe.

``python manage.py check --deploy --settings=config.settings.production`` passes with zero
warnings when the required variables are set (see the README's deployment section).
"""

import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.django import DjangoIntegration

from .base import *
from .base import env


def require(name, validator, message):
    """Return environment variable ``name`` (a str, "" when unset) if ``validator(value)`` is true.

    Raises ImproperlyConfigured("<name> <message>") otherwise, so start-up stops with the
    variable's name in the first line of the traceback.
    """
    value = env.str(name, default="")
    if not validator(value):
        raise ImproperlyConfigured(f"{name} {message}")
    return value


def stripe_key(*prefixes):
    """Validator: a real Stripe key starting with one of ``prefixes``, not the localstripe placeholder."""
    return lambda value: value.startswith(prefixes) and "localstripe" not in value


DEBUG = False

SECRET_KEY = require(
    "SECRET_KEY",
    lambda v: len(v) >= 50,
    "must be set to a random string of at least 50 characters in production "
    "(python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())').",
)
require(
    "ALLOWED_HOSTS", lambda v: any(h.strip() for h in v.split(",")), "must list the site's host names in production."
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# base.py falls back to SQLite and console mail for development; production needs the real ones.
require(
    "DATABASE_URL",
    bool,
    "must be set in production (postgres://user:password@host:5432/name); the SQLite default is for development only.",
)
require(
    "EMAIL_URL",
    lambda v: v.split(":", 1)[0] in {"smtp", "smtps", "smtp+tls", "smtp+ssl"},
    "must be an SMTP URL in production (smtp+tls://user:password@host:587 or "
    "smtp+ssl://user:password@host:465): email verification is mandatory, so customers must "
    "receive their mail.",
)

# Real Stripe keys (live or test mode) from the dashboard, never the localstripe placeholders.
STRIPE_SECRET_KEY = require(
    "STRIPE_SECRET_KEY",
    stripe_key("sk_", "rk_"),
    "must be a Stripe secret key (sk_live_..., sk_test_... or a restricted rk_... key) "
    "in production, not the localstripe placeholder.",
)
STRIPE_PUBLISHABLE_KEY = require(
    "STRIPE_PUBLISHABLE_KEY",
    stripe_key("pk_"),
    "must be a Stripe publishable key (pk_live_... or pk_test_...) in production, not the localstripe placeholder.",
)
STRIPE_WEBHOOK_SECRET = require(
    "STRIPE_WEBHOOK_SECRET",
    stripe_key("whsec_"),
    "must be the signing secret (whsec_...) of the Stripe webhook endpoint "
    "/shop/stripe/webhook/ in production, not the localstripe placeholder.",
)
require(
    "STRIPE_API_BASE",
    lambda v: v.rstrip("/") in ("", "https://api.stripe.com"),
    "must be unset (or https://api.stripe.com) in production: anything else is a fake Stripe such as "
    "localstripe, where no money moves.",
)

# Canonical links, the sitemap, og:url and JSON-LD use the Site that `set_site_url` (release
# step) fills from SITE_URL; a production site must name its public HTTPS address.
SITE_URL = require(
    "SITE_URL",
    lambda v: v.startswith("https://") and "/" not in v.rstrip("/")[len("https://") :],
    "must be the site's public address in production (https://shop.example.com, no path); "
    "`manage.py set_site_url` (the release step) writes it to the Wagtail Site.",
).rstrip("/")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)

# gunicorn runs several processes. Cached sessions, rate-limit counters, and the page-block and
# navigation caches (home/cache.py, invalidated by bumping a version key) are only correct when
# every process shares one cache; a per-process memory cache would serve stale pages and keep a
# session alive after a sign-out handled by another worker.
require(
    "REDIS_URL",
    lambda v: v.startswith(("redis://", "rediss://", "unix://")),
    "must point at Redis in production (redis://host:6379/0): the web processes share their "
    "cache (sessions, rate limits, page-block cache) through it.",
)

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Load balancers probe /health/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Errors reach ADMINS by email (Django's mail_admins handler; only when ADMINS is set) …
LOGGING["filters"] = {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}}
LOGGING["handlers"]["mail_admins"] = {
    "level": "ERROR",
    "class": "django.utils.log.AdminEmailHandler",
    "filters": ["require_debug_false"],
}
LOGGING["loggers"]["django.request"] = {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False}
LOGGING["loggers"]["base.scheduler"] = {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False}

# … and Sentry when SENTRY_DSN is set (sentry-sdk's Django integration); without it nothing changes.
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
