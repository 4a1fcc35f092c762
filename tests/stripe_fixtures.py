"""pytest plugin: a real localstripe server for the session, and Stripe-exact webhook signing.

Fixtures:

- ``localstripe`` (session): starts localstripe from scratch in a subprocess bound to 127.0.0.1
  on a free port (own working directory and HOME, so it never reloads a saved store), waits
  until it answers, and points ``STRIPE_API_BASE`` / ``STRIPE_JS_URL`` (and the CSP origins) at
  it for the rest of the session. Yields a :class:`LocalStripe` with ``url`` and helpers.
- ``localstripe_webhook``: registers the live server's webhook URL with localstripe for one test.
- ``stripe_signer``: posts events signed with the test webhook secret to the webhook URL.

Helpers usable anywhere: :func:`sign_payload` (the ``Stripe-Signature`` header exactly as Stripe
computes it: HMAC-SHA256 over ``f"{t}.{payload}"``, https://docs.stripe.com/webhooks#verify-manually),
:func:`make_event` and :func:`register_webhook` (localstripe's ``/_config/webhooks/<name>``);
with a running localstripe, :func:`pay_with_test_card` and :func:`refund_amounts`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from copy import deepcopy

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from shop.payments.stripe_client import get_client

SERVER_CODE = (
    "import sys, aiohttp.web\n"
    "from localstripe.server import app\n"
    "aiohttp.web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), print=None)\n"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 15.0, process=None) -> None:
    """Poll ``url`` until it answers (any HTTP status); raise ``RuntimeError`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"localstripe exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"localstripe did not answer at {url} within {timeout}s")


def register_webhook(base_url: str, name: str, url: str, secret: str, events: list[str] | None = None) -> None:
    """Tell localstripe to POST events to ``url``, signed with ``secret`` (lost on restart)."""
    fields = [("url", url), ("secret", secret)]
    fields += [("events[]", e) for e in events or []]
    data = urllib.parse.urlencode(fields).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base_url}/_config/webhooks/{name}", data=data), timeout=5).read()


def sign_payload(payload: str | bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header for ``payload``: ``t=<unix time>,v1=<hex HMAC-SHA256>``."""
    if isinstance(payload, bytes):
        payload = payload.decode()
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def make_event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    """A Stripe event envelope around ``obj`` (as ``data.object``)."""
    return {
        "id": event_id or f"evt_test_{uuid.uuid4().hex[:16]}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": deepcopy(obj)},
    }


def payment_intent_object(
    pi_id: str,
    amount: int,
    currency: str = "eur",
    status: str = "succeeded",
    reference: str = "",
    error_message: str = "",
) -> dict:
    """A minimal PaymentIntent as Stripe sends it in events."""
    obj = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "currency": currency.lower(),
        "status": status,
        "metadata": {"order_reference": reference} if reference else {},
        "last_payment_error": None,
    }
    if error_message:
        obj["last_payment_error"] = {"code": "card_declined", "message": error_message}
    return obj


def pay_with_test_card(amount: int, currency: str) -> str:
    """Create and confirm a real PaymentIntent for ``amount`` with the 4242 test card (against the
    configured Stripe API base, i.e. localstripe); returns its id."""

    client = get_client()
    pm = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
    )
    pi = client.v1.payment_intents.create(
        params={"amount": amount, "currency": currency.lower(), "payment_method": pm.id, "confirm": True}
    )
    assert pi.status == "succeeded"
    return pi.id


def refund_amounts(payment_intent_id: str) -> list[int]:
    """The amounts of the Stripe refunds of ``payment_intent_id``, sorted."""

    listed = get_client().v1.refunds.list(params={"payment_intent": payment_intent_id})
    return sorted(r.amount for r in listed.data)


class LocalStripe:
    """A running localstripe: ``url``, ``js_url``, ``register_webhook(name, url, secret)``."""

    def __init__(self, url: str, process):
        self.url = url
        self.js_url = f"{url}/js.stripe.com/v3/"
        self.process = process

    def register_webhook(self, name: str, url: str, secret: str, events: list[str] | None = None) -> None:
        register_webhook(self.url, name, url, secret, events)


@pytest.fixture(scope="session")
def localstripe(django_db_blocker):
    """Start localstripe (from scratch, 127.0.0.1, free port) and point the Stripe settings at it."""
    try:
        import localstripe as _localstripe  # noqa: F401 keep - skips when localstripe is missing
    except ImportError:
        pytest.skip("localstripe is not installed (pip install -r requirements-dev.txt)")

    port = free_port()
    workdir = tempfile.mkdtemp(prefix="localstripe-")
    env = {**os.environ, "HOME": workdir}
    log = open(os.path.join(workdir, "localstripe.log"), "wb")
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE, str(port)], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/js.stripe.com/v3/", process=process)
    except RuntimeError:
        process.kill()
        raise
    # Start from an empty store even if another run left /tmp/localstripe.pickle behind.
    urllib.request.urlopen(urllib.request.Request(f"{url}/_config/data", method="DELETE"), timeout=5).read()

    csp = deepcopy(settings.CONTENT_SECURITY_POLICY)
    for directive in ("script-src", "connect-src", "frame-src"):
        csp["DIRECTIVES"].setdefault(directive, []).append(url)
    override = override_settings(
        STRIPE_API_BASE=url, STRIPE_JS_URL=f"{url}/js.stripe.com/v3/", CONTENT_SECURITY_POLICY=csp
    )
    override.enable()
    try:
        yield LocalStripe(url, process)
    finally:
        override.disable()
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


DEAD_URL = "http://127.0.0.1:9/discard"


@pytest.fixture
def localstripe_webhook(localstripe, live_server, settings):
    """Register ``<live_server>/shop/stripe/webhook/`` with localstripe for one test.

    At teardown the registration is pointed at a closed port, so an event localstripe sends late
    (it waits about a second) never reaches a later test's database.
    """
    url = f"{live_server.url}/shop/stripe/webhook/"
    localstripe.register_webhook("live-server", url, settings.STRIPE_WEBHOOK_SECRET)
    yield url
    localstripe.register_webhook("live-server", DEAD_URL, settings.STRIPE_WEBHOOK_SECRET)


class Signer:
    """Posts events to the webhook signed with ``STRIPE_WEBHOOK_SECRET`` (or a given secret)."""

    def __init__(self, client, secret: str, capture=None):
        self.client = client
        self.secret = secret
        self.capture = capture

    def post(self, event: dict, *, secret: str | None = None, timestamp: int | None = None, header: str | None = None):

        payload = json.dumps(event)
        sig = header if header is not None else sign_payload(payload, secret or self.secret, timestamp)
        extra = {"HTTP_STRIPE_SIGNATURE": sig} if sig else {}
        url = reverse("shop:stripe_webhook")
        if self.capture is None:
            return self.client.post(url, data=payload, content_type="application/json", **extra)
        # Inside a test transaction nothing commits: run on_commit callbacks (queued emails) as
        # a real request's commit would.
        with self.capture(execute=True):
            return self.client.post(url, data=payload, content_type="application/json", **extra)


@pytest.fixture
def stripe_signer(client, settings, django_capture_on_commit_callbacks):
    """Post events signed with ``STRIPE_WEBHOOK_SECRET``; on-commit callbacks run per request."""
    return Signer(client, settings.STRIPE_WEBHOOK_SECRET, django_capture_on_commit_callbacks)
