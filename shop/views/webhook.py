"""``POST /shop/stripe/webhook/``: Stripe's events, verified with the stripe SDK.

Missing, tampered or stale signatures (older than the SDK's 300 s tolerance) get a 400 and change
nothing; so does a signed payload that is not an event we can read
(:func:`shop.payments.event_shape.check_event`). A verified event is processed at most once (:func:`shop.payments.webhooks.handle_stripe_event`);
emails are queued, so the handler answers fast. https://docs.stripe.com/webhooks#verify-events
"""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.payments.event_shape import MalformedEvent, check_event
from shop.payments.webhooks import handle_stripe_event

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify the ``Stripe-Signature`` header against ``STRIPE_WEBHOOK_SECRET`` and handle the event."""
    payload = request.body
    signature = request.headers.get("Stripe-Signature", "")
    try:
        # The signature first (the SDK's check, 300 s tolerance); the JSON is parsed here, so
        # that a signed `null` or array reaches check_event instead of crashing the SDK.
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        logger.warning("Rejected Stripe webhook: %s", exc)
        return HttpResponseBadRequest("invalid signature")
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        return HttpResponseBadRequest("malformed event: not JSON")
    try:
        check_event(event)
    except MalformedEvent as exc:
        logger.warning("Rejected a signed but malformed Stripe event: %s", exc)
        return HttpResponseBadRequest(f"malformed event: {exc}")
    try:
        record = handle_stripe_event(event)
    except stripe.StripeError as exc:  # a call the event needed (listing refunds) failed
        logger.warning("Stripe webhook %s deferred: %s", event.get("id"), exc)
        return HttpResponse("Stripe unreachable; retry later", status=503, content_type="text/plain")
    return HttpResponse(f"{record.type}: {record.outcome or 'done'}", content_type="text/plain")
