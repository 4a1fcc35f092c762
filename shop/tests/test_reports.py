"""Sales reports (by day, by product; date range; CSV export) and the admin dashboard panel."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from shop.models import Order, Refund
from shop.refunds import apply_refund
from shop.tests.factories import make_product
from shop.tests.offer_helpers import make_offer, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales():
    box = make_product("Macaron box", variants=[{"price": 1800, "stock": 10, "sku": "MAC-12"}]).variants.get()
    tart = make_product("Lemon tart", variants=[{"price": 3200, "stock": 2, "sku": "TART-L"}]).variants.get()
    make_offer(percent=10)
    today = paid_order([(box, 2), (tart, 1)], coupon_code="SPRING10")  # 6800 - 680
    yesterday = paid_order([(box, 1)], email="b@example.com")
    Order.objects.filter(pk=yesterday.pk).update(paid_at=timezone.now() - timedelta(days=1))
    line = today.lines.get(sku="TART-L")
    apply_refund(Refund.objects.create(order=today, amount=2880, lines={str(line.pk): 1}))
    return today, yesterday


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return user


def _csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_sales_by_day_page_and_csv(client, staff, sales):
    page = client.get("/admin/reports/sales-by-day/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "€61.20" in html and "€28.80" in html and "€18.00" in html  # revenue, refunded, yesterday

    rows = _csv(client.get("/admin/reports/sales-by-day/?export=csv"))
    header, *data = rows
    assert header[:3] == ["Day", "Currency", "Orders"]
    assert [row[2:] for row in data] == [
        ["1", "6800", "680", "0", "6120", "2880", "3240"],
        ["1", "1800", "0", "0", "1800", "0", "1800"],
    ]


def test_date_range_filters_both_reports(client, staff, sales):
    today = timezone.localdate().isoformat()
    rows = _csv(client.get(f"/admin/reports/sales-by-day/?export=csv&date_from={today}&date_to={today}"))
    assert len(rows) == 2 and rows[1][2] == "1"
    rows = _csv(client.get(f"/admin/reports/sales-by-product/?export=csv&date_from={today}"))
    by_sku = {row[1]: row for row in rows[1:]}
    assert by_sku["MAC-12"][3:] == ["2", "0", "3600", "360", "0", "3240"]
    assert by_sku["TART-L"][3:] == ["1", "1", "3200", "320", "2880", "0"]


def test_sales_by_product_page(client, staff, sales):
    html = client.get("/admin/reports/sales-by-product/").content.decode()
    assert "Macaron box" in html and "MAC-12" in html and "€54.00" in html  # 3 boxes gross


def test_reports_need_order_permission(client, sales):
    editor = get_user_model().objects.create_user("ed", "ed@example.com", "pw")

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/reports/sales-by-day/").status_code in (302, 403)
    assert "Shop at a glance" not in client.get("/admin/").content.decode()


def test_dashboard_panel(client, staff, sales):
    html = client.get("/admin/").content.decode()
    assert "Shop at a glance" in html
    assert "Paid orders today" in html and "€61.20" in html
    assert "Lemon tart – Box of 12: <strong>1</strong>" in html  # 2 in stock, 1 sold: low stock
