"""Every time on the admin order page is in the shop's time zone (settings.TIME_ZONE), never UTC."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.admin.localization import get_available_admin_time_zones

from shop.models import Order, PaymentEvent
from shop.tests.payment_helpers import make_order, make_variant

pytestmark = pytest.mark.django_db


def test_order_page_shows_times_in_the_shop_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    order = make_order([(make_variant(title="Lemon tart"), 1)], email="tz@example.com")
    noon_utc = datetime.datetime(2026, 7, 14, 12, 0, tzinfo=datetime.UTC)  # 14:00 in Paris (summer)
    Order.objects.filter(pk=order.pk).update(created_at=noon_utc, paid_at=noon_utc, hold_expires_at=noon_utc)
    PaymentEvent.objects.create(order=order, event_id="evt_tz", type="payment_intent.succeeded")
    PaymentEvent.objects.filter(event_id="evt_tz").update(received_at=noon_utc)
    admin = get_user_model().objects.create_superuser("tz", "tz@example.com", "pw-tz-1")
    client.force_login(admin)
    html = client.get(f"/admin/shop_orders/inspect/{order.pk}/").content.decode()
    times = re.findall(r"\b(1[0-9]):00\b", html)
    assert times and set(times) == {"14"}, times
    # Editors cannot switch their admin to another zone: the shop's is the only choice.
    assert get_available_admin_time_zones() == ["Europe/Paris"]
