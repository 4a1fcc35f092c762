"""Helpers that load a settings module in a fresh Python process with a clean environment.

Settings are read from environment variables at import time, so every variation is tested in a
subprocess: the test process's own settings (``config.settings.test``) are never disturbed.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parent.parent

# A syntactically valid production environment: every variable config.settings.production
# requires (nothing here is a real secret, and no service is contacted).
PRODUCTION_ENV = {
    # django-environ reads a value starting with "$" as a reference to another variable: never start so.
    "SECRET_KEY": "k" + get_random_secret_key(),
    "ALLOWED_HOSTS": "shop.example.com",
    "SITE_URL": "https://shop.example.com",
    "DATABASE_URL": "postgres://shop:pw@db.internal:5432/comptoir",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.com:587",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "STRIPE_SECRET_KEY": "sk_test_probe_not_a_real_key",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_probe_not_a_real_key",
    "STRIPE_WEBHOOK_SECRET": "whsec_probe_not_a_real_secret",
}

_PROBE = r"""
import json, os, sys
import django
from django.conf import settings
django.setup()
names = sys.argv[1:]
print(json.dumps({n: getattr(settings, n, None) for n in names}, default=repr))
"""


def clean_env(**extra):
    """Only what a process needs to run, plus ``extra``: no variable leaks in from the caller."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    if "HOME" in os.environ:
        env["HOME"] = os.environ["HOME"]
    env.update(extra)
    return env


def manage(*args, env=None, timeout=120):
    """Run ``manage.py *args`` in a subprocess; returns the CompletedProcess (text output)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(**(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def read_settings(module, names, env=None):
    """Import settings ``module`` in a subprocess with ``env`` and return ``{name: value}``."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *names],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE=module, **(env or {})),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
