"""shop's models, re-exported for Django's app registry and for other apps.

Modules inside ``shop`` import models from the module that defines them (``shop.models.orders``,
``shop.catalogue.models``...), never from this package, so no import cycle can pass through it.
"""

from shop.catalogue.models import *  # noqa: F403
from shop.catalogue.pages import *  # noqa: F403
from shop.offers.models import Offer, OfferRedemption, OfferTarget
from shop.payments.models import PaymentEvent

from .cart import *  # noqa: F403
from .digital import DigitalAsset, Entitlement
from .orders import *  # noqa: F403
from .refunds import Refund

__all__ = [
    "DigitalAsset",
    "Entitlement",
    "Offer",
    "OfferRedemption",
    "OfferTarget",
    "PaymentEvent",
    "Refund",
]
