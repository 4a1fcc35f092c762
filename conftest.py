"""Fixtures shared by every app's tests.

- ``chromium``: a Playwright browser driving Debian's Chromium (``/usr/bin/chromium`` or
  ``CHROMIUM_PATH``); browser tests are skipped with one line when it is missing.
- ``postgres``: skips a test unless the database is PostgreSQL (concurrency tests).
- ``artifacts_dir``: where screenshots are saved (``test-artifacts/``, git-ignored).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"

# localstripe server + Stripe-exact webhook signing (fixtures: localstripe, stripe_signer).
pytest_plugins = ["tests.stripe_fixtures"]


def chromium_path():
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and os.path.exists(c)), None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counts (allauth's limiter, django-axes),
    menus and block caches never leak from one test into the next."""
    cache.clear()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if not path:
        pytest.skip("Chromium not found (install Debian's chromium or set CHROMIUM_PATH)")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def postgres(django_db_blocker):

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def watch_csp(page):
    """Collect the page's Content-Security-Policy violations (console messages) into a list.

    Playwright's own ``wait_for_function("<expression>")`` is evaluated with ``eval`` in the page,
    which our CSP (rightly) refuses; those reports name 'unsafe-eval' and are the test tool's,
    not the site's, so they are left out.
    """
    violations = []

    def record(msg):
        text = msg.text
        if "Content Security Policy" in text and "unsafe-eval" not in text:
            violations.append(text)

    page.on("console", record)
    return violations


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the page and block caches hold rendered pages of
    a database that the previous test rolled back."""
    cache.clear()
    yield
