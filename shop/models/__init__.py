"""shop's models, one module per concern; this package re-exports them for Django."""

from .orders import *  # noqa: F401,F403
from .payments import PaymentEvent  # noqa: F401
from .catalogue import *  # noqa: F401,F403
from .cart import *  # noqa: F401,F403
from .offers import Offer, OfferPage, OfferRedemption, OfferTarget  # noqa: F401
from .digital import DigitalAsset, Entitlement  # noqa: F401
from .refunds import Refund  # noqa: F401
