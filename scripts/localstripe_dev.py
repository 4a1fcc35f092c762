#!/usr/bin/env python
"""Run localstripe for `make run`: 127.0.0.1 only, from scratch, with the site's webhook registered.

    .venv/bin/python scripts/localstripe_dev.py            # 127.0.0.1:8420 → http://127.0.0.1:8000
    LOCALSTRIPE_PORT=8423 SITE_URL=http://127.0.0.1:8103 .venv/bin/python scripts/localstripe_dev.py

Why not ``localstripe --port``: it binds every interface and reloads ``/tmp/localstripe.pickle``.
Here the aiohttp app is served on 127.0.0.1 with an empty store, and the development webhook
(``<SITE_URL>/shop/stripe/webhook/``, secret = ``settings.STRIPE_WEBHOOK_SECRET``) is registered
in the same process before it starts serving — localstripe forgets registrations on restart, so
this happens on every start. The development settings already point ``STRIPE_API_BASE`` and
``STRIPE_JS_URL`` at 127.0.0.1:8420.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import aiohttp.web
    from django.conf import settings
    from localstripe.server import app
    from localstripe.webhooks import register_webhook

    port = int(os.environ.get("LOCALSTRIPE_PORT", "8420"))
    site = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    webhook_url = f"{site}/shop/stripe/webhook/"
    register_webhook("comptoir-dev", webhook_url, settings.STRIPE_WEBHOOK_SECRET, None)

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    access = logging.getLogger("aiohttp.access")
    access.setLevel(logging.INFO)
    print(
        f"localstripe on http://127.0.0.1:{port} (Stripe.js at /js.stripe.com/v3/); webhook → {webhook_url}",
        flush=True,
    )
    aiohttp.web.run_app(app, host="127.0.0.1", port=port, access_log=access, print=None)


if __name__ == "__main__":
    main()
