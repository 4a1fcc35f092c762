"""The pricing contract between :mod:`shop.pricing` and the offers engine (:mod:`shop.offers.rules`).

Priced lines go in, adjustments come out; both modules import these values from here, so
neither imports the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shop.exceptions import CheckoutError
from shop.money import Money

__all__ = ["Adjustment", "OffersResult", "PricedLine"]


@dataclass(frozen=True)
class PricedLine:
    """One priced cart line.

    - ``key``: identifies the line within the cart (``"<kind>:<purchasable key>"``); adjustments
      may name lines by it.
    - ``unit_price``/``line_total``: Money; ``line_total = unit_price × quantity``.
    - ``discount``: this line's share of the discounts (Money, ≥ 0), allocated by :func:`price_cart`.
    - ``available``: units that can still be held (``None`` = unlimited).
    - ``problem``: a :class:`~shop.exceptions.CheckoutError` (e.g. OutOfStock) when the line
      cannot be bought as it stands, else ``None``; ``problem_message`` is its text.
    - ``scopes``: what offers may target (see :class:`shop.purchasable.Purchasable`).
    """

    key: str
    kind: str
    purchasable_key: str
    options: dict
    title: str
    description: str
    sku: str
    unit_price: Money
    quantity: int
    line_total: Money
    requires_shipping: bool
    max_quantity: int
    available: int | None
    scopes: dict = field(default_factory=dict, compare=False)
    url: str = ""
    image: Any = field(default=None, compare=False)
    cart_line_id: int | None = None
    discount: Money | None = None
    problem: CheckoutError | None = field(default=None, compare=False)
    purchasable: Any = field(default=None, compare=False, repr=False)

    @property
    def problem_message(self) -> str:
        return str(self.problem.user_message) if self.problem else ""


@dataclass(frozen=True)
class Adjustment:
    """A visible line changing the total: ``amount`` negative for a discount.

    ``code`` identifies it (e.g. ``"offer:12"``), ``label`` is shown to the customer. ``lines``
    optionally names the :attr:`PricedLine.key` s it applies to (empty = the whole order); it
    decides how the discount is spread over order lines for refunds.
    """

    code: str
    label: str
    amount: Money
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class OffersResult:
    """What ``shop.offers.apply_offers`` returns: adjustments and why the code was refused (or None)."""

    adjustments: list[Adjustment] = field(default_factory=list)
    code_error: str | None = None
