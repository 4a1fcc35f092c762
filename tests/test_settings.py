"""12-factor settings: every environment variable does what the README says, production refuses
to start without its secrets and services (database, SMTP, Stripe), and ``check --deploy`` is clean.

Each case runs in a subprocess with a clean environment (see ``tests/settings_probe.py``).
"""

import pytest

from tests.settings_probe import PRODUCTION_ENV, manage, read_settings

pytestmark = pytest.mark.filterwarnings("ignore")


def without(name, **overrides):
    """PRODUCTION_ENV minus ``name``, plus ``overrides``."""
    return {**{k: v for k, v in PRODUCTION_ENV.items() if k != name}, **overrides}


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", "--settings=config.settings.production", env=without("SECRET_KEY"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set to a random string of at least 50 characters" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage(
        "check",
        "--settings=config.settings.production",
        env=without("SECRET_KEY", SECRET_KEY="too-short"),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", "--settings=config.settings.production", env=without("ALLOWED_HOSTS"))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list the site's host names in production." in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param(
            without("DATABASE_URL"),
            "ImproperlyConfigured: DATABASE_URL must be set in production (postgres://",
            id="no-database",
        ),
        pytest.param(
            without("REDIS_URL"), "ImproperlyConfigured: REDIS_URL must point at Redis in production", id="no-redis"
        ),
        pytest.param(
            without("EMAIL_URL"), "ImproperlyConfigured: EMAIL_URL must be an SMTP URL in production", id="no-email"
        ),
        pytest.param(
            without("EMAIL_URL", EMAIL_URL="consolemail://"),
            "ImproperlyConfigured: EMAIL_URL must be an SMTP URL in production",
            id="console-email",
        ),
        pytest.param(
            without("STRIPE_SECRET_KEY"),
            "ImproperlyConfigured: STRIPE_SECRET_KEY must be a Stripe secret key",
            id="no-stripe-secret",
        ),
        pytest.param(
            without("STRIPE_SECRET_KEY", STRIPE_SECRET_KEY="sk_test_localstripe"),
            "STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_..., sk_test_... or a restricted "
            "rk_... key) in production, not the localstripe placeholder.",
            id="placeholder-stripe-secret",
        ),
        pytest.param(
            without("STRIPE_PUBLISHABLE_KEY"),
            "ImproperlyConfigured: STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key",
            id="no-stripe-publishable",
        ),
        pytest.param(
            without("STRIPE_PUBLISHABLE_KEY", STRIPE_PUBLISHABLE_KEY="pk_test_localstripe"),
            "STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key (pk_live_... or pk_test_...) in "
            "production, not the localstripe placeholder.",
            id="placeholder-stripe-publishable",
        ),
        pytest.param(
            without("STRIPE_WEBHOOK_SECRET"),
            "ImproperlyConfigured: STRIPE_WEBHOOK_SECRET must be the signing secret (whsec_...)",
            id="no-webhook-secret",
        ),
        pytest.param(
            without("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET="whsec_localstripe"),
            "STRIPE_WEBHOOK_SECRET must be the signing secret (whsec_...) of the Stripe webhook "
            "endpoint /shop/stripe/webhook/ in production, not the localstripe placeholder.",
            id="placeholder-webhook-secret",
        ),
        pytest.param(
            without("SITE_URL"),
            "ImproperlyConfigured: SITE_URL must be the site's public address in production",
            id="no-site-url",
        ),
        pytest.param(
            without("SITE_URL", SITE_URL="http://shop.example.com"),
            "ImproperlyConfigured: SITE_URL must be the site's public address in production",
            id="plain-http-site-url",
        ),
        pytest.param(
            without("STRIPE_API_BASE", STRIPE_API_BASE="http://127.0.0.1:8420"),
            "STRIPE_API_BASE must be unset (or https://api.stripe.com) in production",
            id="localstripe-api-base",
        ),
    ],
)
def test_production_refuses_development_fallbacks(env, message):
    """No silent SQLite, console mail or localstripe: start-up stops and names the variable."""
    result = manage("check", "--settings=config.settings.production", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_accepts_a_restricted_stripe_key():
    s = read_settings(
        "config.settings.production",
        ["STRIPE_SECRET_KEY"],
        env={**PRODUCTION_ENV, "STRIPE_SECRET_KEY": "rk_live_restricted"},
    )
    assert s["STRIPE_SECRET_KEY"] == "rk_live_restricted"


def test_check_deploy_with_production_settings_has_zero_warnings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", "--settings=config.settings.production", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_defaults_need_no_environment():
    s = read_settings(
        "config.settings.dev", ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASES", "CACHES", "STORAGES"]
    )
    assert s["DEBUG"] is True
    assert len(s["SECRET_KEY"]) >= 50  # generated once into var/dev_secret_key, never hard-coded
    assert "127.0.0.1" in s["ALLOWED_HOSTS"] and "*" not in s["ALLOWED_HOSTS"]
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert s["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    # Hashed, compressed static names are a production concern; development serves plain files.
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_reads_its_services_from_the_environment():
    s = read_settings(
        "config.settings.production",
        [
            "DEBUG",
            "DATABASES",
            "CACHES",
            "SESSION_ENGINE",
            "STORAGES",
            "EMAIL_BACKEND",
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_USE_TLS",
            "CSRF_TRUSTED_ORIGINS",
            "ACCOUNT_EMAIL_VERIFICATION",
            "TASKS",
            "ALLAUTH_TRUSTED_PROXY_COUNT",
            "STRIPE_SECRET_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "STRIPE_WEBHOOK_SECRET",
        ],
        env={
            **PRODUCTION_ENV,
            "DEBUG": "true",  # ignored: production never runs with DEBUG
            "DATABASE_URL": "postgres://shop:pw@db.internal:5432/comptoir",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "AWS_STORAGE_BUCKET_NAME": "petitfour-media",
            "AWS_S3_CUSTOM_DOMAIN": "media.shop.example.com",
            "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
            "CSRF_TRUSTED_ORIGINS": "https://shop.example.com",
            "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
            "STRIPE_SECRET_KEY": "sk_live_x",
            "STRIPE_PUBLISHABLE_KEY": "pk_live_x",
            "STRIPE_WEBHOOK_SECRET": "whsec_x",
        },
    )
    assert s["DEBUG"] is False
    db = s["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"]) == ("django.db.backends.postgresql", "db.internal", "comptoir")
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
    assert s["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"  # shared cache: cached sessions
    media = s["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "petitfour-media"
    assert media["OPTIONS"]["location"] == "media"
    assert media["OPTIONS"]["custom_domain"] == "media.shop.example.com"
    private = s["STORAGES"]["private"]
    assert private["OPTIONS"]["location"] == "private" and private["OPTIONS"]["querystring_auth"] is True
    # Objects are private by default; an ACL header would be refused by ACL-disabled buckets.
    assert "default_acl" not in private["OPTIONS"] and "default_acl" not in media["OPTIONS"]
    assert private["OPTIONS"]["custom_domain"] is None  # private files only through signed URLs
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == ("smtp.example.com", 587, True)
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://shop.example.com"]
    assert s["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert s["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert (s["STRIPE_SECRET_KEY"], s["STRIPE_PUBLISHABLE_KEY"], s["STRIPE_WEBHOOK_SECRET"]) == (
        "sk_live_x",
        "pk_live_x",
        "whsec_x",
    )


def test_email_verification_is_optional_in_development():
    s = read_settings("config.settings.dev", ["ACCOUNT_EMAIL_VERIFICATION", "ACCOUNT_RATE_LIMITS"])
    assert s["ACCOUNT_EMAIL_VERIFICATION"] == "optional"
    assert s["ACCOUNT_RATE_LIMITS"]["login_failed"]  # login rate limit is on everywhere
