"""The one place that configures the official stripe SDK from settings.

``get_client()`` returns a :class:`stripe.StripeClient` built from

- ``STRIPE_SECRET_KEY`` (API key),
- ``STRIPE_API_BASE`` (``https://api.stripe.com`` for real Stripe; localstripe in development
  and tests, e.g. ``http://127.0.0.1:8420``).

Real keys with the default base talk to real Stripe with no code change. The client is rebuilt
when those settings change (tests override them), otherwise reused.

API version: stripe-python 16 sends its pinned ``Stripe-Version`` header. localstripe ignores
the header and answers in its own (2017-era) shapes; every field we read (``id``, ``status``,
``amount``, ``currency``, ``metadata``, ``client_secret``, ``last_payment_error``) has the same
name in both, so no version pin is needed (checked against localstripe 1.15.10).

The second half of this module is the **TEST-MODE step** used only with localstripe; see
:func:`is_test_stack` and :func:`prepare_test_payment`.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)

REAL_STRIPE_API_BASE = "https://api.stripe.com"


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base},
        max_network_retries=2,
    )


def get_client() -> stripe.StripeClient:
    """A ``StripeClient`` for the configured key and API base (cached per configuration)."""
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE.rstrip("/"))


def field(obj, name: str, default=None):
    """Read ``name`` from a StripeObject or a plain dict (webhook payloads are parsed JSON)."""
    if obj is None:
        return default
    try:
        value = obj[name]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


# --------------------------------------------------------------------------------------------
# TEST MODE ONLY (localstripe). Never runs against the real Stripe API.
#
# localstripe's stand-in Stripe.js ignores what is typed in the card element: its
# ``confirmCardPayment`` always shows a "3D Secure" dialog and only succeeds when the
# PaymentIntent already has a payment method and is in ``requires_action``. So, in development
# and tests only, the server attaches a test card that requires 3-D Secure before rendering the
# payment page. localstripe 1.15.10 does not know ``pm_card_threeDSecure2Required`` and answers
# 500 to ``confirm(id, payment_method=...)``, hence: create a PaymentMethod from Stripe's
# documented test card numbers, ``modify(payment_method=...)``, then ``confirm()``.
# --------------------------------------------------------------------------------------------

#: Stripe test cards (https://docs.stripe.com/testing#regulatory-cards) that require 3-D Secure.
TEST_CARDS = {
    "approve": "4000002500003155",  # 3-D Secure required, then succeeds
    "decline": "4000008260003178",  # 3-D Secure required, then declined (insufficient funds)
}


def is_test_stack() -> bool:
    """True only when ``STRIPE_API_BASE`` is not the real Stripe API and the key is not live."""
    base = settings.STRIPE_API_BASE.rstrip("/")
    return base != REAL_STRIPE_API_BASE and not settings.STRIPE_SECRET_KEY.startswith(("sk_live", "rk_live"))


def prepare_test_payment(payment_intent, outcome: str = "approve"):
    """TEST MODE: attach the test card for ``outcome`` (``"approve"``/``"decline"``) and confirm.

    Leaves the PaymentIntent in ``requires_action`` so localstripe's Stripe.js can finish it.
    Returns the (possibly updated) PaymentIntent. Raises ``RuntimeError`` if called against real
    Stripe, and lets ``stripe.StripeError`` through for the caller to show.
    """
    if not is_test_stack():
        raise RuntimeError("prepare_test_payment is for localstripe only")
    number = TEST_CARDS.get(outcome, TEST_CARDS["approve"])
    status = field(payment_intent, "status")
    if status not in ("requires_payment_method", "requires_confirmation", "requires_action"):
        return payment_intent
    client = get_client()
    current_pm = field(payment_intent, "payment_method")
    if current_pm and status == "requires_action":
        pm = client.v1.payment_methods.retrieve(current_pm)
        if field(field(pm, "card"), "last4") == number[-4:]:
            return payment_intent
    pm = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
    )
    payment_intent = client.v1.payment_intents.update(payment_intent.id, params={"payment_method": pm.id})
    if field(payment_intent, "status") == "requires_confirmation":
        payment_intent = client.v1.payment_intents.confirm(payment_intent.id)
    logger.info("TEST MODE: attached %s card to %s (%s)", outcome, payment_intent.id, payment_intent.status)
    return payment_intent
