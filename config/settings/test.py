"""Tests: fast hashing, memory cache, immediate tasks, mail kept in django.core.mail.outbox.

The database is SQLite unless DATABASE_URL points at PostgreSQL (CI runs both).
"""

import tempfile
from pathlib import Path

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# No collectstatic in tests: WhiteNoise looks files up per request in static/ (as in development)
# instead of scanning the absent STATIC_ROOT ("No directory at: staticfiles/" warning).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
_tmp = Path(tempfile.mkdtemp(prefix="comptoir-test-"))
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"
if STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):
    STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="http://127.0.0.1:8420/js.stripe.com/v3/")
STRIPE_WEBHOOK_SECRET = "whsec_test_secret"
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/ip,5/5m/key"}
LOGGING["root"]["level"] = "WARNING"
# Tests build the demo site (real menus, footer, settings) with the demo app.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# The search log is written at once (search/log.py batches it elsewhere).
SEARCH_LOG_FLUSH_SECONDS = 0
# Query pins measure rendering, so the full-page cache is off by default; its own tests
# (home/tests/test_page_cache.py, tests/test_varnish.py) turn it on.
PAGE_CACHE_SECONDS = 0
# tests/test_processes.py starts real workers and schedulers against the test database: they
# use django-tasks' database backend and a local SMTP server (aiosmtpd) when told so.
if env("TEST_TASKS_BACKEND", default="") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env("TEST_EMAIL_URL", default=""):
    vars().update(env.email_url("TEST_EMAIL_URL"))
