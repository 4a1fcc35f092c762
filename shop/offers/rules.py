"""The offers engine: which offers apply to a cart, how much each takes off, and why a code is refused.

Entry point (called by :mod:`shop.pricing`, the one pricing module)::

    apply_offers(lines, subtotal, *, code, user, email, now) -> OffersResult

Rules (issue 5):

- **Stacking**: at most one code per order, plus automatic offers (no code). Automatic offers
  marked ``combinable`` stack with the code and with each other. A non-combinable automatic
  offer never stacks: it applies only when no code applies, and only if it gives more than the
  combinable automatic offers together (the customer gets the better of the two).
- **Eligibility**: an offer's *eligible amount* is the total of the lines its scope covers
  (``order``: every line; ``category``/``product``/``course``/``lesson``: lines whose
  purchasable ``scopes`` share an id with the offer's chosen categories / pages).
- **Minimum order**: compared with the cart ``subtotal`` (before discounts and shipping).
- **Validity**: ``active``, ``valid_from <= now < valid_until``.
- **Limits**: uses are :class:`~shop.models.OfferRedemption` rows of paid orders and the
  reservations of pending orders whose hold is live (``over_limit`` rows excluded;
  :mod:`shop.offers.reservations`). Per customer means the same account or the same email
  (case-insensitive). Checkout locks the offer rows before pricing and reserves the use, so
  the last use goes to one pending order.
- **Amounts**: offers apply in order (the code first, then automatic offers oldest first), each
  on what is left of its eligible lines after the previous ones. A percentage is
  ``percent_of(remaining eligible, percent)`` — rounded once, half up; a fixed amount is capped
  at the remaining eligible amount. Each discount is allocated to its lines in proportion to
  their remaining amounts; each Adjustment names its lines (``Adjustment.lines``) so
  :func:`shop.pricing.price_entries` spreads it over them (what ``OrderLine.discount`` stores
  and refunds subtract).

Limit race: checkout reserves the use under the offer row lock, so two pending orders never
hold the last use. Only a payment that arrives after its reservation was released (hold expired,
failed attempt) and someone else took the last use is stored with ``over_limit=True`` (the
customer already paid the discounted price), logged, and reported under "Needs attention".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shop.money import Money, allocate, format_money, percent_of
from shop.offers.models import Offer
from shop.offers.reservations import USED, counting, reserve_for_order
from shop.priced_lines import Adjustment, OffersResult

logger = logging.getLogger(__name__)

__all__ = ["apply_offers", "check_code", "record_redemptions", "normalise_code", "refusal"]


def normalise_code(code: str | None) -> str:
    """Strip spaces; codes are compared case-insensitively (``iexact``)."""
    return "".join((code or "").split())


# ----------------------------------------------------------------------------- line access
def _line_total(line) -> int:
    """A priced line's total in minor units (``PricedLine.line_total``/``total``: Money or int)."""
    for name in ("line_total", "total", "amount"):
        value = getattr(line, name, None)
        if value is not None:
            return value.amount if isinstance(value, Money) else int(value)
    unit = line.unit_price
    return (unit.amount if isinstance(unit, Money) else int(unit)) * int(line.quantity)


def _line_scopes(line) -> dict:
    scopes = getattr(line, "scopes", None)
    if scopes is None:
        scopes = getattr(getattr(line, "purchasable", None), "scopes", None)
    return scopes or {}


# ----------------------------------------------------------------------------- eligibility
def _target_ids(offer) -> set:
    if offer.scope == "category":
        return {c.pk for c in offer.categories.all()}
    return {t.page_id for t in offer.targets.all()}


def _eligible_indexes(offer, lines) -> list[int]:
    if offer.scope == "order":
        return list(range(len(lines)))
    targets = _target_ids(offer)
    return [i for i, line in enumerate(lines) if targets & set(_line_scopes(line).get(offer.scope, ()))]


def uses(offer) -> int:
    """Orders that used ``offer``: paid ones and live pending reservations (over-limit rows
    excluded; see :mod:`shop.offers.reservations`)."""
    return offer.redemptions.filter(counting()).count()


def customer_uses(offer, user=None, email: str | None = None) -> int:
    """Paid orders by this account or email (case-insensitive) that used ``offer``."""
    who = Q()
    if user is not None and getattr(user, "is_authenticated", False):
        who |= Q(user=user)
    if email:
        who |= Q(email__iexact=email)
    if not who:
        return 0
    return offer.redemptions.filter(counting()).filter(who).count()


def _customer_email(user, email):
    if email:
        return email
    if user is not None and getattr(user, "is_authenticated", False):
        return user.email
    return None


def refusal(offer, lines, subtotal: Money, *, user=None, email=None, now=None) -> str | None:
    """Why ``offer`` cannot apply to this cart (a sentence for the customer), or ``None``.

    Checked in this order: inactive/not yet valid/expired, not valid for these items, minimum
    not reached, used up in total, already used by this customer.
    """
    now = now or timezone.now()
    if not offer.active:
        return _("This code is no longer valid.")
    if offer.valid_from and now < offer.valid_from:
        return _("This code is valid from %(date)s.") % {
            "date": date_format(timezone.localtime(offer.valid_from), "j F Y")
        }
    if offer.valid_until and now >= offer.valid_until:
        return _("This code expired on %(date)s.") % {
            "date": date_format(timezone.localtime(offer.valid_until), "j F Y")
        }
    if not _eligible_indexes(offer, lines):
        return _("This code is not valid for the items in your cart.")
    if offer.minimum_order and subtotal.amount < offer.minimum_order:
        return _("This code needs an order of at least %(amount)s.") % {
            "amount": format_money(Money(offer.minimum_order, subtotal.currency))
        }
    if offer.max_uses is not None and uses(offer) >= offer.max_uses:
        return _("This code has already been used the maximum number of times.")
    if offer.max_uses_per_customer is not None:
        who_email = _customer_email(user, email)
        if customer_uses(offer, user, who_email) >= offer.max_uses_per_customer:
            return _("You have already used this code.")
    return None


# ----------------------------------------------------------------------------- the engine
def _offers_queryset():
    return Offer.objects.prefetch_related("categories", "targets")


def find_code(code: str | None):
    """The offer whose code matches ``code`` case-insensitively, or ``None``."""
    code = normalise_code(code)
    if not code:
        return None
    return _offers_queryset().filter(code__iexact=code).first()


def _compute(offer, lines, remaining: list[int]) -> tuple[int, list[int]]:
    idx = _eligible_indexes(offer, lines)
    eligible = sum(remaining[i] for i in idx)
    if eligible <= 0:
        return 0, [0] * len(lines)
    if offer.discount_type == "percent":
        amount = percent_of(Money(eligible, "XXX"), offer.percent).amount
    else:
        amount = offer.amount_off or 0
    amount = max(min(amount, eligible), 0)
    shares = allocate(amount, [remaining[i] for i in idx])
    per_line = [0] * len(lines)
    for i, share in zip(idx, shares, strict=False):
        per_line[i] = share
    return amount, per_line


def _label(offer, currency: str) -> str:
    """What the discount line says: ``"Code SPRING10 (10% off)"`` or the automatic offer's name."""
    if offer.code:
        return _("Code %(code)s (%(value)s)") % {"code": offer.code.upper(), "value": offer.describe(currency)}
    return offer.name


def _apply_sequence(offers: Iterable, lines, currency: str):
    remaining = [_line_total(line) for line in lines]
    totals = [0] * len(lines)
    adjustments, ids = [], []
    for offer in offers:
        amount, per_line = _compute(offer, lines, remaining)
        if amount <= 0:
            continue
        for i, share in enumerate(per_line):
            remaining[i] -= share
            totals[i] += share
        keys = (
            ()
            if offer.scope == "order"
            else tuple(getattr(lines[i], "key", str(i)) for i, share in enumerate(per_line) if share)
        )
        adjustments.append(
            Adjustment(
                code=f"offer:{offer.pk}", label=_label(offer, currency), amount=Money(-amount, currency), lines=keys
            )
        )
        ids.append(offer.pk)
    return adjustments, totals, ids


def apply_offers(
    lines: list, subtotal: Money, *, code: str | None = None, user=None, email: str | None = None, now=None
) -> OffersResult:
    """Apply the entered ``code`` (if any) and the automatic offers to priced cart lines.

    ``lines``: ``shop.pricing.PricedLine`` items (each with its total in minor units and its
    purchasable's ``scopes``). ``subtotal``: the lines' total (Money). ``user``/``email``
    identify the customer for per-customer limits (either may be ``None`` in the cart; the
    checkout passes the email). ``now``: an aware datetime (default: now).

    Returns :class:`OffersResult`; never raises for a bad code (``code_error`` says why).
    Costs two queries (the code's offer, the current automatic offers, each with prefetches)
    plus one count per limited offer.
    """
    now = now or timezone.now()
    currency = subtotal.currency
    code = normalise_code(code)
    code_error = None
    code_offer = None
    if code:
        candidate = find_code(code)
        if candidate is None:
            code_error = _("We don't know this code. Please check the spelling.")
        else:
            code_error = refusal(candidate, lines, subtotal, user=user, email=email, now=now)
            if code_error is None:
                code_offer = candidate

    automatic = [
        offer
        for offer in _offers_queryset().filter(code="", active=True).order_by("created_at", "pk")
        if refusal(offer, lines, subtotal, user=user, email=email, now=now) is None
    ]
    combinable = [o for o in automatic if o.combinable]
    if code_offer is not None:
        chosen = [code_offer, *combinable]
    else:
        chosen = combinable
        stacked = _apply_sequence(combinable, lines, currency)
        best_total = sum(stacked[1])
        for offer in (o for o in automatic if not o.combinable):
            single = _apply_sequence([offer], lines, currency)
            if sum(single[1]) > best_total:
                chosen, best_total = [offer], sum(single[1])
    adjustments, line_discounts, ids = _apply_sequence(chosen, lines, currency)
    return OffersResult(adjustments=adjustments, code_error=code_error)


def check_code(code: str, lines: list, subtotal: Money, *, user=None, email=None, now=None) -> str | None:
    """The refusal for ``code`` on this cart, or ``None`` if it applies (for the cart form)."""
    return apply_offers(lines, subtotal, code=code, user=user, email=email, now=now).code_error


# ----------------------------------------------------------------------------- redemptions
def record_redemptions(order) -> list:
    """Count ``order``'s offers as used; call inside the transaction that marks it paid.

    Locks the Offer rows (``select_for_update``, sorted by id: the last step of the lock order),
    then turns the order's reservation into a use, or writes it when there was none (once per
    order: unique constraint; a second call changes nothing). A use beyond ``max_uses`` or
    ``max_uses_per_customer`` (possible only when the reservation had been released and someone
    else took the last use) is stored with ``over_limit=True`` and logged. Returns the rows.
    """
    with transaction.atomic():
        return reserve_for_order(order, strict=False, status=USED)
