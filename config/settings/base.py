"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (12-factor); the
README's configuration table lists each one with its default. ``dev``, ``test`` and
``production`` start from this module and change only what they must.
"""

from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A `.env` file at the repository root (see `.env.example`) is read when present; variables already
# set in the environment win over it.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Each environment module decides how SECRET_KEY is obtained; none hard-codes one.
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Project apps first so their templates override the libraries'.
    "base",
    "marketing",
    "shop",
    "learning",
    "home",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailseo",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    # Background tasks (django-tasks; the database backend runs in the Procfile's worker)
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "storages",
    "health_check",  # /health/ (base/health.py)
    "axes",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "base.request_memo.RequestMemoMiddleware",  # shop settings and cache versions read once per request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous page views served whole from the cache (base/page_cache.py): before GZip, so an
    # entry holds the compressed body, and before sessions, so a hit costs no query.
    "base.page_cache.PageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "base.middleware.RejectNulBytesMiddleware",  # 400 for NUL bytes in path, query or form
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "base.middleware.SecurityHeadersMiddleware",  # Permissions-Policy; the admin's CSP and framing
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "base.seo.NoIndexMiddleware",  # X-Robots-Tag on cart/checkout/account/admin URLs
    "base.navigation.CachedSiteSettingsMiddleware",  # SiteSettings/SeoSettings from the cache
    # Last: django-axes counts failed sign-ins (Wagtail's /admin/login/); see AXES_* below.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form posted from a shared (cached) page without JavaScript has no token: ask to confirm.
CSRF_FAILURE_VIEW = "base.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "shop.context_processors.cart",
                "base.seo.robots_context",
                "base.page_cache.csrf_context",  # no per-visitor token on shared pages
            ],
        },
    },
]

# Database: SQLite file in the repository unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else per-process memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Flash messages live in the session: no separate "messages" cookie (whose deletion Django sends
# without the Secure flag).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Rendered StreamField blocks are cached (base/cache.py); purges retire them with their page.
HOME_BLOCK_CACHE_SECONDS = env.int("HOME_BLOCK_CACHE_SECONDS", default=300)
# The search log is written in batches (search/log.py): at most this old, or this many queries.
SEARCH_LOG_FLUSH_SECONDS = env.int("SEARCH_LOG_FLUSH_SECONDS", default=60)
SEARCH_LOG_MAX_QUERIES = env.int("SEARCH_LOG_MAX_QUERIES", default=200)
# Full-page cache for anonymous visitors (base/page_cache.py): longest lifetime of an entry
# (purges retire it earlier; 0 turns the cache off) and the max-age browsers get.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=0)


def _frontend_cache():
    """``WAGTAILFRONTENDCACHE`` from the environment: a CDN or HTTP cache to purge on changes
    (README, "CDN"). ``FRONTEND_CACHE_PURGE_URL`` (Varnish or any HTTP PURGE endpoint),
    ``CLOUDFLARE_ZONE_ID`` + ``CLOUDFLARE_BEARER_TOKEN``, ``CLOUDFRONT_DISTRIBUTION_ID``."""
    backends = {}
    if env("FRONTEND_CACHE_PURGE_URL", default=""):
        backends["http"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
        }
    if env("CLOUDFLARE_ZONE_ID", default=""):
        backends["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": env("CLOUDFLARE_ZONE_ID"),
            "BEARER_TOKEN": env("CLOUDFLARE_BEARER_TOKEN", default=""),
        }
    if env("CLOUDFRONT_DISTRIBUTION_ID", default=""):
        backends["cloudfront"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": env("CLOUDFRONT_DISTRIBUTION_ID"),
        }
    return backends


WAGTAILFRONTENDCACHE = _frontend_cache()

AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while its username/IP is locked out (failed attempts on
    # Wagtail's /admin/login/; see base/admin_login.py and AXES_* below).
    "base.admin_login.AdminLoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the identity.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
# ACCOUNT_RATE_LIMITS (every rate limit of the site) and ACCOUNT_ADAPTER: config/settings/security.py.
# Behind N trusted proxies the client IP is taken from X-Forwarded-For (0: REMOTE_ADDR only).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)

ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Petit Four] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/accounts/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
# The admin shows every time in the shop's zone (slots, orders, payment events), whatever zone an
# editor's browser or profile would pick: one zone, so nobody compares UTC with Paris times.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))  # collectstatic's output
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Private files (digital downloads) live outside MEDIA_ROOT and are never served by URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Digital downloads: downloads per purchased item and days before an entitlement expires.
SHOP_DOWNLOAD_LIMIT = env.int("SHOP_DOWNLOAD_LIMIT", default=5)
SHOP_DOWNLOAD_EXPIRY_DAYS = env.int("SHOP_DOWNLOAD_EXPIRY_DAYS", default=365)

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
        "file_overwrite": False,
    }
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "media", "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False)},
    }
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "custom_domain": None,
            "location": "private",
            # No ACL header (as for media): S3 objects are private unless a bucket policy says
            # otherwise, and buckets with ACLs disabled (AWS's default) refuse most ACL headers.
            # The public-read policy covers media/* only (README, Deployment).
            "querystring_auth": True,
            "querystring_expire": env.int("PRIVATE_URL_EXPIRY_SECONDS", default=300),
            # Presigned download links use Signature V4 (X-Amz-Expires), valid in every region.
            "signature_version": "s3v4",
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    }

STORAGES = {
    "default": MEDIA_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: EMAIL_URL (smtp+tls://user:pass@host:587 for STARTTLS, smtp+ssl://...:465, consolemail://).
# django-environ ignores "?tls=True" on a plain smtp:// URL: use the scheme.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Petit Four <hello@petitfour.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# ADMINS="Ana <ana@example.com>,ops@example.com": who gets "needs attention" emails (through the
# outbox) and, in production, error reports (Django's mail_admins logging handler).
ADMINS = [parseaddr(address) for address in env.list("ADMINS", default=[])]

# Background tasks: immediate unless an environment says otherwise.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "Petit Four"
# The public address: scheme, host and port, no path. `manage.py set_site_url` (release step,
# bootstrap_dev, load_demo) writes it to the default Wagtail Site, which builds canonical URLs,
# sitemap <loc>, og:url and JSON-LD URLs (base/site_url.py).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp", "jpg": "webp"}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "csv"]
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No Gravatar requests from the admin (a third party learning who edits the site); initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Content-Security-Policy (django-csp 4): our own origin plus Stripe.js. The Wagtail admin
# is excluded because it ships inline scripts we do not control.
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", _origin(STRIPE_JS_URL)],
        "frame-src": [
            "'self'",
            _origin(STRIPE_JS_URL),
            "https://hooks.stripe.com",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "connect-src": ["'self'", _origin(STRIPE_JS_URL), "https://api.stripe.com"],
        "img-src": ["'self'", "data:", "https:"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        # Never framed (clickjacking); agrees with X_FRAME_OPTIONS = "DENY". The admin's own
        # policy below frames only itself (previews).
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The admin's CSP, Permissions-Policy, the admin-login throttle: config/settings/security.py.
from .security import *  # noqa: E402

PERMISSIONS_POLICY = permissions_policy(stripe_js_origin=_origin(STRIPE_JS_URL))

# Stripe: real keys switch to real Stripe; STRIPE_API_BASE points at localstripe in development.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_localstripe")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")

# Mailchimp (newsletter); empty means the site sends its own double opt-in email.
MAILCHIMP_API_KEY = env("MAILCHIMP_API_KEY", default="")
MAILCHIMP_SERVER_PREFIX = env("MAILCHIMP_SERVER_PREFIX", default="")
MAILCHIMP_AUDIENCE_ID = env("MAILCHIMP_AUDIENCE_ID", default="")

# Learning: customers may cancel a booking (with a refund) until this many hours before it starts.
BOOKING_CANCEL_CUTOFF_HOURS = env.int("BOOKING_CANCEL_CUTOFF_HOURS", default=24)
# Overrides the SDK's https://{server}.api.mailchimp.com/3.0 (tests point it at a local server).
MAILCHIMP_API_BASE = env("MAILCHIMP_API_BASE", default="")
MAILCHIMP_TIMEOUT = env.float("MAILCHIMP_TIMEOUT", default=10.0)  # seconds per HTTP call
MAILCHIMP_MAX_ATTEMPTS = env.int("MAILCHIMP_MAX_ATTEMPTS", default=3)  # timeouts/429/5xx are retried
MAILCHIMP_RETRY_BACKOFF = env.float("MAILCHIMP_RETRY_BACKOFF", default=2.0)  # seconds, doubled each retry

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run is noise in development; failures still show as warnings.
        "django_tasks": {"level": "WARNING"},
        # APScheduler logs every job run at INFO; failures are logged by run_scheduler itself.
        "apscheduler": {"level": "WARNING"},
    },
}

# The email outbox (base/outbox.py): attempts before an email is "failed" for good, the waits
# between attempts (minutes; the last one repeats), and when a "sending" row is taken again
# because its worker died (seconds; keep it above EMAIL_TIMEOUT).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360, 720, 1440]
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=300)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=200)  # emails per scheduler run
# Finished background-task rows (django-tasks) are pruned after this many days.
TASKS_KEEP_DAYS = env.int("TASKS_KEEP_DAYS", default=7)
# Reconciliation with Stripe (shop.payments.reconcile): orders and refunds younger than this.
RECONCILE_DAYS = env.int("RECONCILE_DAYS", default=3)
# /health/ reports the worker or the scheduler unhealthy when its heartbeat is older than this.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=300)
# Errors go to Sentry when SENTRY_DSN is set (production settings); nothing changes without it.
SENTRY_DSN = env("SENTRY_DSN", default="")
