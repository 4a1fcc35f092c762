"""Stock holds: placed at checkout, counted at once, expire, released, turned into sales when paid."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.checkout import place_order
from shop.exceptions import OutOfStock
from shop.models import Order, ProductVariant, StockHold
from shop.payments.expiry import release_expired_holds
from shop.purchasable import resolve
from shop.tests.factories import (
    checkout_data,
    make_cart,
    make_shipping_method,
    make_variant,
)

pytestmark = pytest.mark.django_db


def order_for(variant, quantity, **data):
    method = make_shipping_method("Click & collect", 0, requires_address=False)
    return place_order(make_cart([(variant, quantity)]), checkout_data(shipping_method=method, **data))


def test_hold_reduces_availability_but_not_stock():
    variant = make_variant(stock=5)
    order_for(variant, 2)
    variant.refresh_from_db()
    assert variant.stock == 5
    assert resolve("variant", str(variant.pk)).available() == 3


def test_expired_hold_stops_counting_immediately_and_is_released_by_the_command():
    variant = make_variant(stock=2)
    order = order_for(variant, 2)
    purchasable = resolve("variant", str(variant.pk))
    assert purchasable.available() == 0
    with pytest.raises(OutOfStock) as refused:
        order_for(variant, 1)
    assert "sold out" in str(refused.value.user_message)

    past = timezone.now() - timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(hold_expires_at=past)
    StockHold.objects.filter(order_line__order=order).update(expires_at=past)
    assert purchasable.available() == 2  # before any cleanup ran

    call_command("release_expired_holds", verbosity=0)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancelled_at
    assert StockHold.objects.get(order_line__order=order).status == StockHold.Status.RELEASED
    assert release_expired_holds() == {"orders_cancelled": 0, "holds_released": 0}  # idempotent


def test_on_paid_decrements_stock_once_and_release_is_idempotent():
    variant = make_variant(stock=4)
    order = order_for(variant, 3)
    line = order.lines.get()
    purchasable = line.purchasable()
    purchasable.on_paid(line)
    purchasable.on_paid(line)  # a duplicate webhook changes nothing
    variant.refresh_from_db()
    assert variant.stock == 1
    assert StockHold.objects.get(order_line=line).status == StockHold.Status.CONVERTED
    purchasable.release(line)  # a late release does not un-sell
    assert StockHold.objects.get(order_line=line).status == StockHold.Status.CONVERTED
    assert resolve("variant", str(variant.pk)).available() == 1


def test_release_frees_the_units():
    variant = make_variant(stock=1)
    order = order_for(variant, 1)
    line = order.lines.get()
    line.purchasable().release(line)
    line.purchasable().release(line)
    assert resolve("variant", str(variant.pk)).available() == 1


def test_refund_restock():
    variant = make_variant(stock=2)
    order = order_for(variant, 2)
    line = order.lines.get()
    line.purchasable().on_paid(line)
    line.purchasable().on_refunded(line, 1)
    variant.refresh_from_db()
    assert variant.stock == 1


def test_untracked_stock_is_unlimited():
    variant = make_variant(stock=None)
    order = order_for(variant, 50)
    line = order.lines.get()
    line.purchasable().on_paid(line)
    variant.refresh_from_db()
    assert variant.stock is None
    assert resolve("variant", str(variant.pk)).available() is None


def test_stock_can_never_go_negative():
    variant = make_variant(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductVariant.objects.filter(pk=variant.pk).update(stock=-1)


def test_publishing_an_old_revision_never_undoes_sales():
    variant = make_variant(stock=10)
    page = variant.product
    draft = page.save_revision()  # an editor's draft saved while stock was 10
    order = order_for(variant, 3)
    line = order.lines.get()
    with transaction.atomic():
        line.purchasable().on_paid(line)
    draft.publish()
    variant.refresh_from_db()
    assert variant.stock == 7
    # The editor also sees the live stock when opening the page.
    editing = page.get_latest_revision_as_object()
    assert [v.stock for v in editing.variants.all() if v.pk == variant.pk] == [7]
