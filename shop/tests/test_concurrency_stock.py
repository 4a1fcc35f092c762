"""PostgreSQL: 20 simultaneous checkouts for the last 3 units → exactly 3 orders hold stock.

Real threads, each with its own database connection, start together (a barrier) and call
``place_order``; the losers get OutOfStock's "sold out" message; stock never goes below zero.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from shop.checkout import place_order
from shop.exceptions import CheckoutError, OutOfStock
from shop.models import Order, ProductVariant, StockHold
from shop.tests.factories import (
    checkout_data,
    make_cart,
    make_shipping_method,
    make_variant,
)

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_checkouts_for_the_last_three_units(postgres):
    variant = make_variant("Last macaron boxes", price=2600, stock=3)
    method = make_shipping_method("Click & collect", 0, requires_address=False)
    carts = [make_cart([(variant, 1)]) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results, errors = [], []
    lock = threading.Lock()

    def checkout(cart):
        try:
            barrier.wait(timeout=30)
            order = place_order(cart, checkout_data(shipping_method=method, email=f"c{cart.pk}@example.com"))
            with lock:
                results.append(order.pk)
        except OutOfStock as exc:
            with lock:
                errors.append(str(exc.user_message))
        except CheckoutError as exc:  # pragma: no cover - would be a bug
            with lock:
                errors.append(f"unexpected {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(cart,)) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 3, (results, errors)
    assert len(errors) == THREADS - 3
    assert all("sold out" in message for message in errors), errors
    assert Order.objects.count() == 3
    assert sum(StockHold.objects.filter(status="held").values_list("quantity", flat=True)) == 3
    variant.refresh_from_db()
    assert variant.stock == 3  # held, not yet sold

    for order in Order.objects.all():  # all three pay: stock reaches 0, never below
        line = order.lines.get()
        with transaction.atomic():
            line.purchasable().on_paid(line)
    variant.refresh_from_db()
    assert variant.stock == 0
    assert ProductVariant.objects.filter(stock__lt=0).count() == 0
    assert connection.vendor == "postgresql"
