"""Receivers of ``order_paid`` for offers and digital downloads (connected in ShopConfig.ready).

Both run inside the transaction that marks the order paid (see :mod:`shop.signals`), so coupon
usage and entitlements commit or roll back with the payment.
"""

from django.dispatch import receiver

from shop.entitlements import grant_for_order
from shop.offers.rules import record_redemptions
from shop.signals import order_paid


@receiver(order_paid, dispatch_uid="shop.offers.record_redemptions")
def count_offer_usage(sender, order, **kwargs):
    """Write the order's OfferRedemption rows (Offer rows locked; see shop.offers)."""
    record_redemptions(order)


@receiver(order_paid, dispatch_uid="shop.entitlements.grant_for_order")
def grant_entitlements(sender, order, **kwargs):
    """One download entitlement per paid line of a product with digital files."""
    grant_for_order(order)
