"""The role crawl: every link a visitor can reach answers < 500, and every preview answers 200.

On the demo site built by ``load_demo`` (its real menus, footer and settings), four roles —
an anonymous visitor, a customer with paid orders, bookings and downloads, a teacher with a
booking to confirm, and staff — follow every same-site GET link from the home page and from
their account and dashboard pages (bounded per role). Then staff open Wagtail's preview of
every live page of the demo (``preview_on_edit``, with the form data of the page's own edit
view) and of a new, unsaved page of each type (``preview_on_add``, with a live page's form
data re-posted as a new page): all answer 200.

This is the test that catches "My orders" answering 500 to a customer with an order (a
paginator passed to templates as ``page``) and previews answering 500 (modelcluster's
FakeQuerySet has no ``annotate()``/``live()``).
"""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.models import Page

from demo.learning import DEMO_CUSTOMER
from home.tests.factories import ensure_root
from learning.models.bookings import Booking
from shop import cart as cart_service
from shop.checkout import place_order
from shop.models import Cart, DigitalAsset, Entitlement, Order, ProductVariant, ShippingMethod
from shop.payments.lifecycle import mark_paid
from shop.status import OrderStatus
from shop.tests.factories import checkout_data
from tests.page_form_data import page_form_data

LINK_RE = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"#]*)', re.IGNORECASE)
#: Links not followed: sign-out (would end the role's session), static and media files.
SKIP = ("/static/", "/media/", "/documents/", "/accounts/logout/", "/admin/logout/")
LIMIT = {"anonymous": 250, "customer": 250, "teacher": 200, "staff": 200}
TEACHER = ("camille@petitfour.example", "teach-camille-2026")


def same_site_links(html: str, base: str):
    for href in LINK_RE.findall(html):
        href = href.replace("&amp;", "&").strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        url = urlsplit(urljoin(base, href))
        if url.scheme not in ("", "http", "https") or url.netloc not in ("", "testserver"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not path.startswith(SKIP):
            yield path


def crawl(client: Client, starts: list[str], limit: int) -> dict[str, int]:
    """Breadth-first GET of every same-site link from ``starts``; ``{path: status}`` (no redirects
    followed: a redirect's target is queued like a link)."""
    seen, queue, statuses = set(starts), list(starts), {}
    while queue and len(statuses) < limit:
        path = queue.pop(0)
        response = client.get(path)
        statuses[path] = response.status_code
        targets = []
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [urlsplit(urljoin(path, response["Location"]))]
            targets = [t.path + (f"?{t.query}" if t.query else "") for t in targets if t.netloc in ("", "testserver")]
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            targets = list(same_site_links(response.content.decode(), path))
        for link in targets:
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    return statuses


def signed_in(email: str, password: str) -> Client:
    """A client signed in through allauth's real login form (email + password)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def verified(user):
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def paid_order_for(customer, variants: list[ProductVariant]) -> Order:
    """A real order through the cart, ``place_order`` and ``mark_paid`` (no Stripe call is needed
    to mark an order paid when no PaymentIntent is given)."""
    cart, _created = Cart.objects.get_or_create(user=customer)
    for variant in variants:
        cart_service.add_line(cart, "variant", str(variant.pk), 1, {})
    data = checkout_data(
        email=customer.email,
        name="Claire Martin",
        shipping_method=ShippingMethod.objects.filter(active=True, requires_address=False).first(),
    )
    order = place_order(cart, data, user=customer)
    order, _changed = mark_paid(order)
    return order


@pytest.fixture
def demo_site(db):
    ensure_root()
    cache.clear()
    call_command("load_demo", stdout=StringIO())
    cache.clear()
    return Page.objects.get(depth=2).specific


@pytest.fixture
def customer(demo_site):
    email, _name, password = DEMO_CUSTOMER
    user = verified(get_user_model().objects.get(email=email))
    digital = ProductVariant.objects.filter(product__kind="digital", active=True).first()
    physical = ProductVariant.objects.filter(product__kind="physical", active=True, stock__gt=2).first()
    assert digital is not None and physical is not None, "the demo sells a digital and a physical product"
    for variants in ([digital], [physical], [digital, physical]):
        order = paid_order_for(user, variants)
        assert order.status == OrderStatus.PAID
    assert Entitlement.objects.filter(user=user).exists() or DigitalAsset.objects.exists()
    return user, password


@pytest.mark.django_db
def test_every_role_follows_every_link_without_a_server_error(demo_site, customer, django_user_model):
    user, password = customer
    teacher_email, teacher_password = TEACHER
    assert Booking.objects.filter(teacher__user__email=teacher_email, status="paid").exists(), (
        "the demo teacher has a booking to confirm"
    )
    staff = verified(
        django_user_model.objects.create_superuser("crawl-staff", "staff@petitfour.example", "Crawl-staff-2026")
    )
    roles = {
        "anonymous": (Client(), ["/"]),
        "customer": (
            signed_in(user.email, password),
            ["/", "/accounts/", "/shop/account/orders/", "/shop/downloads/", "/learning/bookings/"],
        ),
        "teacher": (signed_in(teacher_email, teacher_password), ["/", "/accounts/", "/learning/teach/"]),
        "staff": (signed_in(staff.email, "Crawl-staff-2026"), ["/", "/accounts/", "/admin/"]),
    }
    report = {}
    for role, (client, starts) in roles.items():
        statuses = crawl(client, starts, LIMIT[role])
        errors = {path: status for path, status in statuses.items() if status >= 500}
        assert not errors, f"{role}: {errors}"
        report[role] = len(statuses)
        if role == "customer":
            assert statuses["/shop/account/orders/"] == 200
            orders_page = client.get("/shop/account/orders/").content.decode()
            assert orders_page.count('class="ord-list__item"') == Order.objects.filter(user=user).count() >= 3
            assert statuses["/shop/downloads/"] == 200
        assert len(statuses) > 20, f"{role} reached only {len(statuses)} pages"
    print("role crawl, links followed per role:", report)


def preview(client: Client, post_path: str, data) -> tuple[int, list[str]]:
    """POST the form data to a preview URL, then GET the preview: ``(status, templates used)``."""
    response = client.post(post_path, data=data)
    assert response.status_code == 200, (post_path, response.status_code)
    state = response.json()
    assert state == {"is_valid": True, "is_available": True}, (post_path, state)
    rendered = client.get(post_path)
    return rendered.status_code, [t.name for t in rendered.templates]


@pytest.mark.django_db
def test_staff_preview_every_live_page_and_a_new_page_of_each_type(demo_site, django_user_model):
    staff = verified(
        django_user_model.objects.create_superuser("preview-staff", "preview@petitfour.example", "Preview-2026")
    )
    client = Client()
    client.force_login(staff)
    pages = list(Page.objects.live().filter(depth__gt=1).specific().order_by("path"))
    failures, by_type = {}, {}
    for page in pages:
        data = page_form_data(client, page.get_latest_revision_as_object())
        by_type.setdefault(type(page), (page, data))
        status, templates = preview(client, reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), data)
        if status != 200 or page.get_template(RequestFactory().get("/")) not in templates:
            failures[f"edit {type(page).__name__} {page.url_path}"] = status
    for page_type, (page, data) in by_type.items():
        parent = page.get_parent()
        new = data.copy()
        new["title"] = f"New {page_type.__name__}"
        new["slug"] = f"new-{page_type.__name__.lower()}-preview"
        # The inline rows become new rows: no ids, no initial forms (modelcluster FakeQuerySets).
        for key in list(new):
            if key.endswith("-INITIAL_FORMS"):
                new[key] = "0"
            elif re.fullmatch(r".+-\d+-id", key):
                new[key] = ""
            elif key.endswith("-sku"):  # unique: a new variant needs its own SKU
                new[key] = f"{new[key]}-NEW"
        if "user" in new:  # a teacher page's account is one-to-one
            new["user"] = ""
        path = reverse(
            "wagtailadmin_pages:preview_on_add",
            args=[page_type._meta.app_label, page_type._meta.model_name, parent.pk],
        )
        status, templates = preview(client, path, new)
        if status != 200 or page.get_template(RequestFactory().get("/")) not in templates:
            failures[f"add {page_type.__name__}"] = status
    assert not failures, failures
    assert len(by_type) >= 10 and len(pages) >= 20
    print(f"previews: {len(pages)} live pages, {len(by_type)} new pages of each type, all 200")
