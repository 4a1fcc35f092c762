"""PostgreSQL concurrency: a coupon with one use left and 10 orders paid at the same moment.

Each payment runs SHOP-B's ``mark_paid`` in its own thread and database connection; the
``order_paid`` receiver locks the Offer row (``select_for_update``), so exactly one payment
counts as the coupon's last use. The others are still paid (the customer already paid the
discounted price) and their redemptions are flagged ``over_limit`` for staff.
"""

import threading

import pytest
from django.db import connection

from shop.models import Offer, OfferRedemption, Order
from shop.payments.lifecycle import mark_paid
from shop.tests.factories import make_product
from shop.tests.offer_helpers import make_offer, place

THREADS = 10


@pytest.mark.django_db(transaction=True)
def test_one_use_left_and_ten_simultaneous_paid_orders(postgres):
    variant = make_product("Macaron box", variants=[{"price": 3000, "stock": None}]).variants.get()
    offer = make_offer(max_uses=3)
    earlier = [place([(variant, 1)], coupon_code="SPRING10", email=f"early{i}@example.com") for i in range(2)]
    for order in earlier:
        Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=f"pi_early_{order.pk}")
        mark_paid(Order.objects.get(pk=order.pk))
    assert offer.redemptions.filter(over_limit=False).count() == 2  # one use left

    # A product each, so nothing but the Offer row lock serialises the payments (paying locks
    # the variant rows too).
    variants = [
        make_product(f"Box {i}", variants=[{"price": 3000, "stock": None}]).variants.get() for i in range(THREADS)
    ]
    orders = [place([(v, 1)], coupon_code="SPRING10", email=f"c{i}@example.com") for i, v in enumerate(variants)]
    assert all(order.discount_total == 300 for order in orders)  # all checked out while 1 use was left
    for order in orders:
        Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id=f"pi_conc_{order.pk}")

    barrier = threading.Barrier(THREADS)
    errors = []

    def pay(order_id):
        try:
            barrier.wait(timeout=30)
            mark_paid(Order.objects.get(pk=order_id))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(order.pk,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert set(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True)) == {"paid"}
    counted = OfferRedemption.objects.filter(offer=offer, over_limit=False)
    assert counted.count() == 3 == Offer.objects.get(pk=offer.pk).max_uses
    assert counted.filter(order__in=orders).count() == 1
    assert OfferRedemption.objects.filter(offer=offer, over_limit=True).count() == THREADS - 1
