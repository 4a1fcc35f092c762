"""Money as integer minor units plus an ISO 4217 currency code; never a float.

``Money(1250, "EUR")`` is €12.50. Amounts are combined only with the same currency
(``CurrencyMismatch`` otherwise). Percentages go through :func:`percent_of`, the single place
that rounds (half up, as in ISO 80000-1 "round half away from zero" for positive amounts).
Display formatting uses Babel's CLDR data (``format_money``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units (``int``) of ``currency`` (ISO 4217 code, e.g. ``"EUR"``)."""

    amount: int
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError(f"Money amount must be an int of minor units, got {self.amount!r}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"Currency must be an ISO 4217 code, got {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise TypeError("Money can only be multiplied by a whole quantity")
        return Money(self.amount * quantity, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __bool__(self) -> bool:
        return self.amount != 0

    @property
    def decimal(self) -> Decimal:
        """The amount in major units as an exact Decimal (e.g. for JSON-LD ``price``)."""
        return Decimal(self.amount).scaleb(-get_currency_precision(self.currency))

    def format(self, locale: str = "en") -> str:
        return format_money(self, locale)

    def __str__(self) -> str:
        return self.format()


def format_money(money: Money, locale: str = "en") -> str:
    """``Money(1250, "EUR")`` → ``"€12.50"`` (for locale ``en``), using Babel/CLDR."""
    return format_currency(money.decimal, money.currency, locale=locale)


def percent_of(money: Money, percent: Decimal | int | str) -> Money:
    """``percent`` % of ``money``, rounded once, half up, to whole minor units.

    >>> percent_of(Money(1005, "EUR"), 10)
    Money(amount=101, currency='EUR')
    """
    value = Decimal(money.amount) * Decimal(str(percent)) / Decimal(100)
    sign = -1 if value < 0 else 1
    rounded = abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money(sign * int(rounded), money.currency)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` minor units over ``weights`` proportionally (largest remainder); sums exactly."""
    weight_sum = sum(weights)
    if not weights or weight_sum <= 0 or total <= 0:
        return [0] * len(weights)
    shares = [total * w // weight_sum for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares
