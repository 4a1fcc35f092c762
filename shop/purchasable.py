"""The small interface through which anything reaches the cart, the checkout and the order.

``shop`` never imports ``learning``: a course seat or a 1:1 lesson becomes sellable by
registering a *kind* here (in its AppConfig.ready), exactly like the shop's own product
variants. A cart line and an order line store ``(kind, key, options)``; everything else is
asked of the purchasable that :func:`resolve` returns.

Lifecycle, as driven by ``shop``'s checkout and payment services:

1. ``resolve(kind, key, options)`` → a :class:`Purchasable`, or :class:`NotPurchasable`.
2. At checkout, inside one ``transaction.atomic()``, the checkout sorts every line by
   :meth:`Purchasable.lock_order`, calls :meth:`lock` on each (``select_for_update`` of the
   rows that guard the stock / seats / slot), then :meth:`hold` for each line of the new order.
   ``hold`` raises :class:`OutOfStock`, :class:`SeatsUnavailable` or :class:`SlotTaken`; the
   whole transaction then rolls back and the customer sees the exception's message.
3. ``on_paid(line)`` turns the hold into a sale (stock decremented, seat taken, booking paid).
4. ``release(line)`` drops the hold (payment failed, order cancelled or hold expired).
5. ``on_refunded(line, quantity)`` after a (partial) refund of that line.

Every method that changes state runs inside the caller's transaction and must be idempotent
with respect to the order line (calling it twice changes nothing the second time).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.db import models

from .exceptions import NotPurchasable
from .money import Money


class Purchasable(ABC):
    """Something with a title and a server-side price that can be held, sold and refunded.

    Attributes every implementation sets:

    - ``kind``: the registry key, e.g. ``"variant"``, ``"session_seat"``, ``"lesson"``.
    - ``key``: a string that identifies the item within its kind (e.g. a variant's pk, or
      ``"<teacher_id>:<start ISO-8601 UTC>"`` for a lesson slot).
    - ``options``: a small JSON-serialisable dict chosen by the customer (e.g. a lesson goal).
    - ``title``, ``sku``: snapshotted onto the order line.
    - ``unit_price``: :class:`~shop.money.Money`, computed by the server, never by the browser.
    - ``requires_shipping``: whether checkout must ask for a fulfilment method and address.
    - ``max_quantity``: the most units one cart line may hold (1 for a lesson slot).
    - ``url``: where the item is shown on the site, or ``""``.
    - ``scopes``: what offers may target, as ``{scope name: set of ids}``: a variant gives
      ``{"product": {page_id}, "category": {category ids}}``, a course seat ``{"course": {page_id}}``,
      a lesson ``{"lesson": {teacher page_id}}``.
    """

    kind: str = ""
    key: str = ""
    options: Mapping[str, Any] = {}
    title: str = ""
    sku: str = ""
    unit_price: Money
    requires_shipping: bool = False
    max_quantity: int = 99
    url: str = ""
    scopes: Mapping[str, set] = {}
    image = None  # a wagtail Image or None, for cart thumbnails

    def lock_order(self) -> tuple:
        """A sort key; checkout locks lines in this order so concurrent orders cannot deadlock."""
        return (self.kind, self.key)

    @abstractmethod
    def available(self) -> int | None:
        """Units that can still be held right now (live holds counted), or ``None`` if unlimited."""

    @abstractmethod
    def lock(self) -> None:
        """Take the row locks (``select_for_update``) guarding availability; call in a transaction."""

    @abstractmethod
    def hold(self, line: models.Model, quantity: int, expires_at: datetime) -> None:
        """Reserve ``quantity`` units for ``line`` until ``expires_at`` (aware datetime).

        Raises :class:`~shop.exceptions.OutOfStock`, :class:`~shop.exceptions.SeatsUnavailable`
        or :class:`~shop.exceptions.SlotTaken` when it cannot.
        """

    @abstractmethod
    def release(self, line: models.Model) -> None:
        """Drop ``line``'s hold, if any. Idempotent."""

    @abstractmethod
    def on_paid(self, line: models.Model) -> None:
        """Turn ``line``'s hold (an ``OrderLine``) into a sale. Idempotent."""

    def on_refunded(self, line: models.Model, quantity: int) -> None:  # noqa: B027 - optional hook
        """React to ``quantity`` units of ``line`` being refunded (default: nothing)."""

    def describe(self) -> str:
        """One extra line under the title in the cart and order (e.g. a session's date)."""
        return ""


Resolver = Callable[[str, Mapping[str, Any]], Purchasable]
_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str) -> Callable[[Resolver], Resolver]:
    """Decorator: ``@register("variant") def resolve_variant(key, options) -> Purchasable``.

    The resolver raises :class:`NotPurchasable` when ``key`` names nothing that can be sold.
    """

    def decorator(func: Resolver) -> Resolver:
        _RESOLVERS[kind] = func
        return func

    return decorator


def resolve(kind: str, key: str, options: Mapping[str, Any] | None = None) -> Purchasable:
    """Return the purchasable for ``(kind, key)``; :class:`NotPurchasable` for anything unknown."""
    try:
        resolver = _RESOLVERS[kind]
    except KeyError:
        raise NotPurchasable(detail=f"unknown purchasable kind {kind!r}") from None
    return resolver(str(key), dict(options or {}))


def registered_kinds() -> list[str]:
    return sorted(_RESOLVERS)
