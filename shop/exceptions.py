"""Typed checkout and payment errors; each maps to one message for the customer.

Modelled on django-oscar's ``payment/exceptions.py``: views catch ``CheckoutError``, show
``user_message`` and log once; nothing here ever becomes a 500.
"""

from django.utils.translation import gettext_lazy as _


class CheckoutError(Exception):
    """Base class. ``user_message`` is safe to show to a visitor."""

    default_message = _("We could not complete that. Please try again.")

    def __init__(self, user_message=None, *, detail: str = ""):
        self.user_message = user_message or self.default_message
        self.detail = detail
        super().__init__(detail or str(self.user_message))


class NotPurchasable(CheckoutError):
    """The item no longer exists, is inactive or cannot be bought any more."""

    default_message = _("This item is no longer available.")


class InvalidQuantity(CheckoutError):
    default_message = _("Please choose a valid quantity.")


class OutOfStock(CheckoutError):
    """Not enough stock left to hold the quantity asked for."""

    default_message = _("Sorry, this item is sold out.")


class SeatsUnavailable(CheckoutError):
    """A course session has fewer free seats than asked for."""

    default_message = _("Sorry, there are not enough seats left in this session.")


class SlotTaken(CheckoutError):
    """A lesson slot is no longer free (booked or held by someone else)."""

    default_message = _("Sorry, this time slot has just been taken. Please choose another one.")


class CouponUsedUp(CheckoutError):
    """The code's last use was taken by another order a moment ago (reservations, shop.offers)."""

    default_message = _("This code has just been used the maximum number of times. Remove it to continue.")


class PaymentDeclined(CheckoutError):
    default_message = _("Your card was declined. Please try another card.")


class PaymentError(CheckoutError):
    default_message = _("We could not reach the payment provider. Please try again in a moment.")
