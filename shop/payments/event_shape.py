"""The shape a verified Stripe event must have before any handler reads it.

A correctly signed payload is still just JSON: a JSON array, ``null``, a ``data.object`` that
is a string, an id that is a number or a NUL byte inside a string (PostgreSQL refuses NUL in
``jsonb`` and text) would crash the handlers. :func:`check_event` refuses all of these with
:class:`MalformedEvent`; the webhook view answers 400 and nothing changes.

What is checked follows Stripe's Event object (https://docs.stripe.com/api/events/object) and
only what our handlers read: ``id`` and ``type`` strings, ``data.object`` an object; for
``payment_intent.*`` its ``id`` (string), ``amount`` (integer minor units), ``currency`` (string),
``metadata`` and ``last_payment_error`` (objects or null); for ``charge.refunded`` its
``payment_intent`` (string, object with an ``id``, or null) and ``refunds.data`` (a list of
objects with string ``id``/``status``/``reason`` and integer ``amount``); for
``refund.updated`` / ``charge.refund.updated`` the Refund's same fields.
"""

from __future__ import annotations

MAX_DEPTH = 20


class MalformedEvent(ValueError):
    """A verified payload that is not a Stripe event we can read; the message says why."""


def _no_nul(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise MalformedEvent("nested too deeply")
    if isinstance(value, str):
        if "\x00" in value:
            raise MalformedEvent("NUL byte in a string")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key, depth + 1)
            _no_nul(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _no_nul(item, depth + 1)


def _expect(obj: dict, name: str, types: tuple, *, required: bool = False) -> None:
    value = obj.get(name)
    if value is None:
        if required:
            raise MalformedEvent(f"missing {name}")
        return
    if isinstance(value, bool) and bool not in types:  # bool is an int subclass
        raise MalformedEvent(f"{name} has the wrong type")
    if not isinstance(value, types):
        raise MalformedEvent(f"{name} has the wrong type")


def _check_payment_intent(obj: dict) -> None:
    payment_intent = obj.get("payment_intent")
    if isinstance(payment_intent, dict):
        _expect(payment_intent, "id", (str,), required=True)
    elif payment_intent is not None and not isinstance(payment_intent, str):
        raise MalformedEvent("payment_intent has the wrong type")


def check_event(event) -> dict:
    """Return ``event`` when it has the shape our handlers read; raise :class:`MalformedEvent`."""
    if not isinstance(event, dict):
        raise MalformedEvent("an event is a JSON object")
    _no_nul(event)
    _expect(event, "id", (str,), required=True)
    _expect(event, "type", (str,), required=True)
    if not event["id"] or len(event["id"]) > 255 or len(event["type"]) > 100:
        raise MalformedEvent("bad id or type")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise MalformedEvent("data.object must be an object")
    obj = data["object"]
    _expect(obj, "object", (str,))
    _expect(obj, "id", (str,))
    kind = event["type"]
    if kind.startswith("payment_intent."):
        _expect(obj, "id", (str,), required=True)
        _expect(obj, "amount", (int,))
        _expect(obj, "currency", (str,))
        _expect(obj, "metadata", (dict,))
        _expect(obj, "last_payment_error", (dict,))
        _expect(obj, "status", (str,))
    elif kind in ("refund.updated", "charge.refund.updated"):  # data.object is a Refund
        _check_payment_intent(obj)
        for name in ("id", "status", "reason"):
            _expect(obj, name, (str,))
        _expect(obj, "amount", (int,))
        _expect(obj, "metadata", (dict,))
    elif kind == "charge.refunded":
        _check_payment_intent(obj)
        _expect(obj, "refunds", (dict,))
        refunds = (obj.get("refunds") or {}).get("data")
        if refunds is not None:
            if not isinstance(refunds, list) or not all(isinstance(r, dict) for r in refunds):
                raise MalformedEvent("refunds.data must be a list of objects")
            for refund in refunds:
                for name in ("id", "status", "reason"):
                    _expect(refund, name, (str,))
                _expect(refund, "amount", (int,))
                _expect(refund, "metadata", (dict,))
    return event
