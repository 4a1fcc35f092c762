"""Offers engine: scopes, minimum, validity, limits, stacking, rounding, and the refusal reasons.

Table-driven: each case builds real Offer rows and priced lines, runs ``apply_offers`` and checks
what a customer would see — the discount lines (label, amount) and the sentence for a refusal.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from base.models.attention import NeedsAttention
from shop.checkout import CouponNotApplicable
from shop.models import Offer, OfferRedemption
from shop.models.cart import Cart
from shop.models.orders import Order
from shop.money import Money
from shop.offers.rules import apply_offers, uses
from shop.payments.lifecycle import mark_failed
from shop.pricing import price_entries
from shop.purchasable import resolve
from shop.tests.factories import make_category, make_product, make_site
from shop.tests.offer_helpers import make_offer, pay, place, priced_line

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _pages(n):
    home = make_site()
    pages = []
    for i in range(n):
        page = Page(title=f"Target {i}", slug=f"target-{i}-{Page.objects.count()}")
        home.add_child(instance=page)
        pages.append(page)
    return pages


def _run(lines, code="SPRING10", **kwargs):
    subtotal = Money(sum(line.line_total.amount for line in lines), "EUR")
    return apply_offers(
        lines, subtotal, code=code, user=kwargs.get("user"), email=kwargs.get("email"), now=kwargs.get("now", NOW)
    )


def _amounts(result):
    return [adj.amount.amount for adj in result.adjustments]


# --------------------------------------------------------------------------------- scopes
SCOPE_CASES = [
    # (scope, which line the offer targets, expected discount in cents)
    ("order", None, 300),  # 10 % of 1000 + 2000
    ("category", "first", 100),  # 10 % of the 1000 line only
    ("product", "second", 200),
    ("course", "first", 100),
    ("lesson", "second", 200),
]


@pytest.mark.parametrize("scope,target,expected", SCOPE_CASES)
def test_each_scope_discounts_only_its_lines(scope, target, expected):
    page_a, page_b = _pages(2)
    cat_a, cat_b = make_category("Macarons"), make_category("Books")
    scope_key = {"category": "category", "product": "product", "course": "course", "lesson": "lesson"}.get(scope)
    ids = {"first": (page_a, cat_a), "second": (page_b, cat_b)}
    lines = [
        priced_line(1000, {scope_key or "product": {cat_a.pk if scope == "category" else page_a.pk}}, key="a"),
        priced_line(2000, {scope_key or "product": {cat_b.pk if scope == "category" else page_b.pk}}, key="b"),
    ]
    kwargs = {"scope": scope}
    if target and scope == "category":
        kwargs["categories"] = [ids[target][1]]
    elif target:
        kwargs["targets"] = [ids[target][0]]
    make_offer(**kwargs)

    result = _run(lines)

    assert result.code_error is None
    assert _amounts(result) == [-expected]
    assert result.adjustments[0].label == "Code SPRING10 (10% off)"
    if target:
        assert result.adjustments[0].lines == ("a",) if target == "first" else ("b",)


def test_category_scope_through_real_products_and_pricing():
    """The real variant purchasable's scopes (product page, category) drive the scope."""
    macarons, books = make_category("Macarons"), make_category("E-books")
    box = make_product("Macaron box", category=macarons, variants=[{"price": 2400}]).variants.get()
    ebook = make_product(
        "Recipe e-book", category=books, kind="digital", variants=[{"price": 1200, "stock": None}]
    ).variants.get()
    make_offer(code="BOOKS20", percent=20, scope="category", categories=[books])

    entries = [(None, resolve("variant", str(box.pk)), 1), (None, resolve("variant", str(ebook.pk)), 2)]
    priced = price_entries(entries, currency="EUR", coupon_code="BOOKS20")
    assert priced.code_error is None
    assert priced.discount_total == Money(480, "EUR")  # 20 % of 2 × 12.00; the box is not a book
    assert [line.discount.amount for line in priced.lines] == [0, 480]


# --------------------------------------------------------------------------------- refusals
def _reason_cases():
    past, future = NOW - timedelta(days=10), NOW + timedelta(days=10)
    return [
        # (offer kwargs, code typed, subtotal lines, expected sentence fragment)
        ({}, "NOPE", [5000], "We don't know this code"),
        ({"active": False}, "SPRING10", [5000], "no longer valid"),
        ({"valid_from": future}, "SPRING10", [5000], "valid from"),
        ({"valid_until": past}, "SPRING10", [5000], "expired on"),
        ({"minimum_order": 3000}, "SPRING10", [2999], "at least €30.00"),
        ({"scope": "product"}, "SPRING10", [5000], "not valid for the items in your cart"),
    ]


@pytest.mark.parametrize("offer_kwargs,code,totals,reason", _reason_cases())
def test_refusal_reason_is_shown_and_nothing_is_taken_off(offer_kwargs, code, totals, reason):
    make_offer(**offer_kwargs)
    result = _run([priced_line(t) for t in totals], code=code)
    assert reason in result.code_error
    assert result.adjustments == []


def test_minimum_reached_exactly_applies():
    make_offer(minimum_order=3000)
    result = _run([priced_line(3000)])
    assert result.code_error is None and _amounts(result) == [-300]


def test_validity_window_bounds():
    start, end = NOW - timedelta(hours=1), NOW + timedelta(hours=1)
    make_offer(valid_from=start, valid_until=end)
    assert _run([priced_line(1000)], now=start).code_error is None
    assert "expired" in _run([priced_line(1000)], now=end).code_error
    assert "valid from" in _run([priced_line(1000)], now=start - timedelta(seconds=1)).code_error


def test_code_is_case_insensitive_and_spaces_ignored():
    make_offer()
    assert _amounts(_run([priced_line(1000)], code=" spring10 ")) == [-100]


# --------------------------------------------------------------------------------- limits
def _redeem(offer, *, email="someone@example.com", user=None, over_limit=False):

    order = Order.objects.create(email=email, name="X", currency="EUR", status="paid", user=user)
    return OfferRedemption.objects.create(offer=offer, order=order, email=email, user=user, over_limit=over_limit)


def test_total_limit_counts_paid_uses_only():
    offer = make_offer(max_uses=2)
    _redeem(offer)
    _redeem(offer, over_limit=True)  # flagged over-limit rows do not count
    assert _run([priced_line(1000)]).code_error is None
    _redeem(offer, email="other@example.com")
    assert "maximum number of times" in _run([priced_line(1000)]).code_error


def test_per_customer_limit_by_email_and_by_account():
    user = get_user_model().objects.create_user("ana", "ana@example.com", "pw")
    offer = make_offer(max_uses_per_customer=1)
    _redeem(offer, email="ANA@example.com")
    assert "already used this code" in _run([priced_line(1000)], email="ana@example.com").code_error
    assert "already used this code" in _run([priced_line(1000)], user=user).code_error  # user's email
    assert _run([priced_line(1000)], email="bob@example.com").code_error is None
    other = get_user_model().objects.create_user("zoe", "zoe@example.com", "pw")
    _redeem(offer, email="zoe-old@example.com", user=other)
    assert "already used this code" in _run([priced_line(1000)], user=other).code_error


# --------------------------------------------------------------------------------- amounts
AMOUNT_CASES = [
    # (discount kwargs, line totals, expected discount)
    ({"percent": 10}, [1005], 101),  # 100.5 → 101: half up, once
    ({"percent": 10}, [1004], 100),  # 100.4 → 100
    ({"percent": "12.5"}, [333, 333], 83),  # 83.25 on the total, not per line (42+42)
    ({"discount_type": "amount", "amount_off": 500}, [1200], 500),
    ({"discount_type": "amount", "amount_off": 5000}, [1200], 1200),  # never more than eligible
    ({"percent": 100}, [999], 999),
]


@pytest.mark.parametrize("kwargs,totals,expected", AMOUNT_CASES)
def test_amounts_and_rounding(kwargs, totals, expected):
    make_offer(**kwargs)
    assert _amounts(_run([priced_line(t) for t in totals])) == [-expected]


def test_fixed_amount_capped_at_scoped_lines_not_order():
    (page,) = _pages(1)
    make_offer(discount_type="amount", amount_off=2000, scope="product", targets=[page])
    lines = [priced_line(800, {"product": {page.pk}}), priced_line(5000, {"product": {999999}})]
    assert _amounts(_run(lines)) == [-800]


# --------------------------------------------------------------------------------- stacking
def test_code_stacks_with_combinable_automatic_offers_only():
    make_offer(percent=10)
    make_offer(name="Free treat", code="", discount_type="amount", amount_off=500, combinable=True)
    make_offer(name="Big spender", code="", percent=20, combinable=False)
    result = _run([priced_line(10000)])
    # code first: 10 % of 100.00 = 10.00, then 5.00 automatic; the non-combinable one is dropped
    assert _amounts(result) == [-1000, -500]
    assert "Free treat" in result.adjustments[1].label


def test_without_code_best_of_noncombinable_or_combinable_stack():
    make_offer(name="Free treat", code="", discount_type="amount", amount_off=500, combinable=True)
    make_offer(name="Big spender", code="", percent=20, combinable=False, minimum_order=5000)
    assert [a.label.split(" (")[0] for a in _run([priced_line(10000)], code=None).adjustments] == ["Big spender"]
    # below the non-combinable offer's minimum, the combinable one applies
    assert _amounts(_run([priced_line(2000)], code=None)) == [-500]


def test_only_one_code_per_order_a_second_code_replaces_nothing():
    make_offer(code="SPRING10")
    make_offer(code="WELCOME5", discount_type="amount", amount_off=500)
    result = _run([priced_line(10000)], code="WELCOME5")
    assert _amounts(result) == [-500]  # the code typed is the one; no other code joins it


def test_automatic_offer_below_minimum_is_silent():
    make_offer(
        name="5 € off over 60 €", code="", discount_type="amount", amount_off=500, minimum_order=6000, combinable=True
    )
    result = _run([priced_line(5999)], code=None)
    assert result.adjustments == [] and result.code_error is None
    assert _amounts(_run([priced_line(6000)], code=None)) == [-500]


def test_code_unique_case_insensitively():

    make_offer(code="SPRING10")
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(name="Dup", code="spring10", percent=5)
    # many automatic offers (blank code) are fine
    Offer.objects.create(name="Auto 1", code="", percent=5)
    Offer.objects.create(name="Auto 2", code="", percent=5)


# --------------------------------------------------------------------------------- pricing & orders
def test_pricing_spreads_the_discount_over_lines_and_totals_add_up():
    a = make_product("Macaron box", variants=[{"price": 1005}]).variants.get()
    b = make_product("Tart", variants=[{"price": 2000}]).variants.get()
    make_offer(percent=10)

    entries = [(None, resolve("variant", str(a.pk)), 1), (None, resolve("variant", str(b.pk)), 1)]
    priced = price_entries(entries, currency="EUR", coupon_code="spring10")
    assert priced.discount_total == Money(301, "EUR")  # 300.5 → 301
    assert sum(line.discount.amount for line in priced.lines) == 301
    assert priced.total == Money(3005 - 301, "EUR")
    assert priced.coupon_code == "spring10"


def test_use_reserved_at_checkout_and_counted_once_when_paid():
    variant = make_product("Macaron box", variants=[{"price": 3000}]).variants.get()
    offer = make_offer(max_uses=5)

    order = place([(variant, 1)], coupon_code="SPRING10")
    assert order.discount_total == 300 and order.adjustments.get().amount == -300
    assert offer.redemptions.get().status == "reserved"  # the pending order holds one use
    assert uses(offer) == 1
    pay(order)
    pay(order)  # a second "paid" (webhook + success page) changes nothing
    redemption = offer.redemptions.get()
    assert (redemption.order, redemption.email, redemption.amount, redemption.over_limit, redemption.status) == (
        order,
        "camille@example.com",
        300,
        False,
        "used",
    )


def test_the_last_use_goes_to_one_pending_order_and_comes_back_with_its_holds():
    variant = make_product("Macaron box", variants=[{"price": 3000, "stock": None}]).variants.get()
    offer = make_offer(max_uses=1)

    first = place([(variant, 1)], coupon_code="SPRING10", email="a@example.com")
    with pytest.raises(CouponNotApplicable):
        place([(variant, 1)], coupon_code="SPRING10", email="b@example.com")
    mark_failed(first, reason="declined")  # the first customer's holds (and use) are released
    assert offer.redemptions.get(order=first).status == "released"
    second = pay(place([(variant, 1)], coupon_code="SPRING10", email="b@example.com"))
    assert second.status == "paid"
    # The first card succeeds late: the order is paid (the customer paid the discounted price),
    # the use is flagged over the limit, and staff are told.
    first = pay(first)
    assert first.status == "paid"
    assert offer.redemptions.get(over_limit=False).order == second
    assert offer.redemptions.get(over_limit=True).order == first
    assert NeedsAttention.objects.filter(key=f"offer-over-limit:{offer.pk}:{first.pk}").exists()


def test_a_lapsed_pending_order_no_longer_holds_the_use():
    variant = make_product("Macaron box", variants=[{"price": 3000, "stock": None}]).variants.get()
    offer = make_offer(max_uses=1)
    first = place([(variant, 1)], coupon_code="SPRING10", email="a@example.com")
    Order.objects.filter(pk=first.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert uses(offer) == 0
    assert place([(variant, 1)], coupon_code="SPRING10", email="b@example.com").discount_total == 300


# --------------------------------------------------------------------------------- cart form
@pytest.fixture
def cart_with_box(client):
    variant = make_product("Macaron box", variants=[{"price": 2500}]).variants.get()
    assert client.post("/shop/cart/add/", {"variant": variant.pk, "quantity": 1}).status_code == 302
    return variant


def _cart_code():

    return Cart.objects.get().coupon_code


def test_apply_code_in_cart_shows_discount_line(client, cart_with_box):
    make_offer()
    response = client.post("/shop/cart/coupon/", {"code": "spring10"}, follow=True)
    html = response.content.decode()
    assert _cart_code() == "SPRING10"
    assert "Code SPRING10 applied." in html
    assert "Code SPRING10 (10% off)" in html and "-€2.50" in html.replace("\u2212", "-")
    assert "€22.50" in html  # the total


@pytest.mark.parametrize(
    "offer_kwargs,code,message",
    [
        ({}, "NOPE", "We don&#x27;t know this code"),
        ({"minimum_order": 3000}, "SPRING10", "needs an order of at least €30.00"),
        ({"valid_until": NOW - timedelta(days=1)}, "SPRING10", "expired on"),
        ({}, "", "Please enter a code."),
        ({}, "X" * 80, "We don&#x27;t know this code"),
    ],
)
def test_refused_code_is_explained_and_not_stored(client, cart_with_box, offer_kwargs, code, message):
    make_offer(**offer_kwargs)
    html = client.post("/shop/cart/coupon/", {"code": code}, follow=True).content.decode()
    assert message in html
    assert _cart_code() == ""
    assert "€25.00" in html


def test_remove_code_and_get_not_allowed(client, cart_with_box):
    make_offer()
    client.post("/shop/cart/coupon/", {"code": "SPRING10"})
    html = client.post("/shop/cart/coupon/", {"action": "remove"}, follow=True).content.decode()
    assert _cart_code() == "" and "The code was removed." in html
    assert client.get("/shop/cart/coupon/").status_code == 405


def test_code_on_empty_cart_is_refused(client):
    make_offer()
    html = client.post("/shop/cart/coupon/", {"code": "SPRING10"}, follow=True).content.decode()
    assert "Add something to your cart" in html


def test_stored_code_that_stops_applying_says_why(client, cart_with_box):
    offer = make_offer()
    client.post("/shop/cart/coupon/", {"code": "SPRING10"})
    Offer.objects.filter(pk=offer.pk).update(active=False)
    html = client.get("/shop/cart/").content.decode()
    assert "SPRING10: This code is no longer valid." in html
    assert "€25.00" in html


# --------------------------------------------------------------------------------- offer page & banner
# --------------------------------------------------------------------------------- admin
def _offer_post(**overrides):
    data = {
        "name": "Books week",
        "code": "BOOKS",
        "active": "on",
        "discount_type": "percent",
        "percent": "15",
        "amount_off": "",
        "scope": "order",
        "minimum_order": "0",
        "valid_from": "",
        "valid_until": "",
        "max_uses": "",
        "max_uses_per_customer": "",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_creates_offers_and_refuses_incomplete_ones(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    make_offer(code="SPRING10")

    response = client.post("/admin/offers/new/", _offer_post(code="spring10"))
    assert response.status_code == 200 and "Another offer already uses this code" in response.content.decode()
    response = client.post("/admin/offers/new/", _offer_post(scope="product"))
    assert "Add the products, courses or teachers" in response.content.decode()
    response = client.post("/admin/offers/new/", _offer_post(scope="category"))
    assert "Choose at least one category" in response.content.decode()
    response = client.post("/admin/offers/new/", _offer_post(discount_type="amount", percent=""))
    assert "Enter the amount off" in response.content.decode()
    assert Offer.objects.count() == 1

    (page,) = _pages(1)
    response = client.post(
        "/admin/offers/new/",
        _offer_post(
            **{
                "scope": "product",
                "targets-TOTAL_FORMS": "1",
                "targets-0-page": str(page.pk),
                "targets-0-ORDER": "1",
                "targets-0-id": "",
                "targets-0-DELETE": "",
            }
        ),
    )
    assert response.status_code == 302
    created = Offer.objects.get(code="BOOKS")
    assert [t.page_id for t in created.targets.all()] == [page.pk]

    listing = client.get("/admin/offers/").content.decode()
    assert "Books week" in listing and "15% off" in listing
