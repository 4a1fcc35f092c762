"""Guest orders join the account whose *verified* email matches (issue 3, "Accounts").

Connected in ``ShopConfig.ready``. Two moments make a match possible:

- allauth's ``email_confirmed`` — the customer just proved they own an address;
- ``user_logged_in`` — a customer with verified addresses signs in (catches guest orders placed
  since their last visit).

Only orders without a user are claimed, only for addresses allauth marks ``verified``, compared
case-insensitively. An unverified address never pulls in anyone's orders.
"""

from __future__ import annotations

import logging

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.dispatch import receiver

from shop.models.orders import Order

logger = logging.getLogger(__name__)


def attach_guest_orders(user) -> int:
    """Give ``user`` the guest orders placed with any of their verified emails. Returns how many."""
    emails = list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    if not emails:
        return 0
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    count = Order.objects.filter(match, user__isnull=True).update(user=user)
    if count:
        logger.info("Attached %s guest order(s) to user %s", count, user.pk)
    return count


@receiver(email_confirmed, dispatch_uid="shop_guest_orders_email_confirmed")
def on_email_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None and email_address.user_id:
        attach_guest_orders(email_address.user)


@receiver(user_logged_in, dispatch_uid="shop_guest_orders_logged_in")
def on_user_logged_in(sender, request=None, user=None, **kwargs):
    if user is not None:
        attach_guest_orders(user)
