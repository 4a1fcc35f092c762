"""Figure (PostgreSQL): 20 simultaneous checkouts for a code with 1 use left → exactly 1 order
holds it.

Checkout locks the offer row last (cart → orders → purchasables → offers) before pricing and
reserves the use (``shop.offers.reservations``), so the other 19 are refused with a clear
message and nothing is written for them. Then the winner pays: the use is counted once.
"""

import threading

import pytest
from django.db import connections

from shop.checkout import CouponNotApplicable, place_order
from shop.exceptions import CheckoutError
from shop.models import OfferRedemption, Order
from shop.payments.lifecycle import mark_paid
from shop.tests.factories import checkout_data, make_cart, make_product, make_shipping_method
from shop.tests.offer_helpers import make_offer, place
from tests.process_helpers import needs_postgres

THREADS = 20


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_checkouts_for_the_last_use_of_a_code(postgres):
    offer = make_offer(max_uses=3)
    early = make_product("Early box", variants=[{"price": 3000, "stock": None}]).variants.get()
    for i in range(2):
        order = place([(early, 1)], coupon_code="SPRING10", email=f"early{i}@example.com")
        mark_paid(order)
    assert OfferRedemption.objects.filter(offer=offer, status="used").count() == 2  # one use left

    # A product each, so nothing but the offer row lock serialises the checkouts.
    variants = [
        make_product(f"Box {i}", variants=[{"price": 3000, "stock": None}]).variants.get() for i in range(THREADS)
    ]
    method = make_shipping_method("Click & collect", 0, requires_address=False)
    carts = [make_cart([(v, 1)], coupon_code="SPRING10") for v in variants]
    barrier = threading.Barrier(THREADS)
    placed, refused, errors = [], [], []
    lock = threading.Lock()

    def checkout(cart):
        try:
            barrier.wait(timeout=30)
            order = place_order(cart, checkout_data(shipping_method=method, email=f"c{cart.pk}@example.com"))
            with lock:
                placed.append(order.pk)
        except CouponNotApplicable as exc:
            with lock:
                refused.append(str(exc.user_message))
        except (CheckoutError, Exception) as exc:  # a deadlock or anything else would be a bug
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(cart,)) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(placed) == 1, (placed, refused)
    assert len(refused) == THREADS - 1
    assert all("maximum number of times" in message for message in refused), refused
    winner = Order.objects.get(pk=placed[0])
    assert winner.discount_total == 300
    assert OfferRedemption.objects.get(offer=offer, status="reserved").order == winner
    mark_paid(winner)
    assert OfferRedemption.objects.filter(offer=offer, over_limit=False, status="used").count() == 3
    assert not OfferRedemption.objects.filter(over_limit=True).exists()
