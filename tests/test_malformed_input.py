"""Property-based tests (hypothesis): whatever anyone sends, no 5xx and no side effect.

Generated text, unicode (``"²"``, ``"٣"``), NUL bytes, huge and negative numbers, far dates,
repeated and missing fields are thrown at every public form and GET parameter of the demo site
(built by ``load_demo``: real menus, footer, settings), anonymously and signed in: cart, coupon,
checkout, seat and lesson booking, newsletter, contact, testimonial, signup, password reset,
search, listing filters, pagination, account pages, downloads and the Stripe webhook (signed
payloads of every JSON shape). Every response must be < 500, and no request may create an
order, move stock, create a booking or send an email — unless the tested form itself says the
input was valid (the oracle), which generated data almost never is.

``FUZZ_EXAMPLES`` (default 13) sets the examples per endpoint; the suite throws at least 500
requests with the default (counted and asserted). ``FUZZ_EXAMPLES=500 make test
PYTEST_ARGS=tests/test_malformed_input.py`` is the long run.
"""

from __future__ import annotations

import json
import os
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from base.models import OutboxMessage
from demo.learning import DEMO_CUSTOMER
from home.models import BlogIndexPage
from home.tests.factories import ensure_root
from learning.models.bookings import Booking
from learning.models.courses import CourseIndexPage, CoursePage
from learning.models.teachers import TeacherPage
from marketing import views as marketing_views
from marketing.models import ContactPage, Subscriber, Testimonial
from shop.models import Cart, CartLine, Order, ProductIndexPage, ProductPage, ProductVariant, StockHold
from tests.stripe_fixtures import sign_payload

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "13"))
MIN_REQUESTS = 500

#: Values that broke things before, and their cousins.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "٣",
    "１２",
    "1\x00",
    "\x00",
    "1.5",
    "1e3",
    "NaN",
    "99999999999999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31",
    "2026-02-30",
    "0000-00-00",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\ud7ff\ue000",
    "a" * 5000,
]
value = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=0, max_value=60).map(str),  # real ids and quantities: the deeper paths
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=10).map(lambda t: f"{t}\x00{t}"),
)
#: A field is missing, one value, or repeated values.
field = st.one_of(st.none(), value, st.lists(value, min_size=2, max_size=3))


def form(*names, **fixed):
    """Strategy for a dict of form fields ``names`` (each missing, one value or several)."""
    return st.fixed_dictionaries({name: field for name in names}).map(
        lambda d: {**{k: v for k, v in d.items() if v is not None}, **fixed}
    )


def query(*names):
    return form(*names)


def side_effects() -> dict:
    """The things invalid input must never change."""
    return {
        "orders": Order.objects.count(),
        "bookings": Booking.objects.count(),
        "stock": ProductVariant.objects.aggregate(total=Sum("stock"))["total"],
        "holds": StockHold.objects.count(),
        "emails": len(mail.outbox) + OutboxMessage.objects.count(),
        "subscribers": Subscriber.objects.count(),
        "testimonials": Testimonial.objects.count(),
        "contact messages": ContactPage.objects.first().get_submission_class().objects.count(),
    }


class Thrower:
    """Sends requests and checks each answer; counts them for the figure."""

    def __init__(self):
        self.requests = 0
        self.by_status: dict[int, int] = {}

    def check(self, response, what):
        self.requests += 1
        self.by_status[response.status_code] = self.by_status.get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{what} → {response.status_code}"

    def run(self, name, strategy, send, *, valid=lambda data: False):
        """Throw ``strategy``'s examples through ``send(data) -> response``; no side effect unless
        ``valid(data)`` (the real form's verdict) says the input was acceptable."""

        @hsettings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=os.environ.get("FUZZ_RANDOM") is None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=strategy)
        def throw(data):
            cache.clear()  # rate limits would otherwise answer 429 before the code under test runs
            before = side_effects()
            response = send(data)
            self.check(response, f"{name} {data!r}"[:300])
            if not valid(data):
                assert side_effects() == before, f"{name} changed something for {data!r}"[:300]

        throw()


def first_url(model) -> str:
    page = model.objects.live().first()
    assert page is not None, f"the demo has a live {model.__name__}"
    return page.url


@pytest.fixture
def demo(db):
    ensure_root()
    cache.clear()
    call_command("load_demo", stdout=StringIO())
    email = DEMO_CUSTOMER[0]
    customer = get_user_model().objects.get(email=email)
    EmailAddress.objects.update_or_create(user=customer, email=email, defaults={"verified": True, "primary": True})
    return customer


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flat(data: dict) -> dict:
    """Form data for the test client: lists are repeated fields, text goes as it is."""
    return {k: (v if isinstance(v, list) else [v]) for k, v in data.items()}


@pytest.mark.django_db
def test_malformed_input_never_answers_5xx_nor_changes_anything(demo, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    customer = demo
    anonymous, member = Client(), signed_in(customer)
    thrower = Thrower()
    # A cart with a real line, so cart, coupon and checkout code paths run past "empty cart".
    variant = ProductVariant.objects.filter(active=True, stock__gt=5).first()
    for client in (anonymous, member):
        client.post("/shop/cart/add/", {"variant": variant.pk, "quantity": "1"})
    line_ids = list(CartLine.objects.values_list("pk", flat=True))
    assert Cart.objects.count() == 2 and line_ids

    get = lambda client, path: lambda data: client.get(path, flat(data))  # noqa: E731
    post = lambda client, path: lambda data: client.post(path, flat(data))  # noqa: E731

    # -- GET parameters: listings, filters, pagination, search, pickers, account pages ---------
    listings = {
        "shop listing": (first_url(ProductIndexPage), ("category", "sort", "page")),
        "product": (first_url(ProductPage), ("variant", "page")),
        "course listing": (first_url(CourseIndexPage), ("level", "category", "page")),
        "course": (first_url(CoursePage), ("session",)),
        "teacher": (first_url(TeacherPage), ("date",)),
        "blog": (first_url(BlogIndexPage), ("tag", "page")),
        "search": ("/search/", ("q", "type", "page")),
    }
    for name, (path, params) in listings.items():
        thrower.run(name, query(*params), get(anonymous, path))
    thrower.run("my orders", query("page"), get(member, "/shop/account/orders/"))
    thrower.run("my bookings", query("page", "status"), get(member, "/learning/bookings/"))
    thrower.run("downloads", query("page"), get(member, "/shop/downloads/"))
    thrower.run("testimonial form", query("page"), get(member, "/testimonials/new/"))
    thrower.run("cart page", query("page"), get(anonymous, "/shop/cart/"))

    # -- Paths built from input: ids, tokens, SKUs ---------------------------------------------
    segment = value.filter(lambda v: "/" not in v and v not in ("", ".", ".."))
    for pattern in (
        "/shop/sku/{}/",
        "/shop/orders/{}/",
        "/shop/checkout/{}/pay/",
        "/shop/checkout/placed/{}/",
        "/shop/account/orders/{}/",
        "/shop/downloads/link/{}/1/",
        "/newsletter/confirm/{}/",
        "/newsletter/unsubscribe/{}/",
    ):
        thrower.run(pattern, segment, lambda v, p=pattern: member.get(p.format(v)))

    # -- Forms -----------------------------------------------------------------------------------
    for client, who in ((anonymous, "anonymous"), (member, "customer")):
        thrower.run(f"cart add ({who})", form("variant", "quantity", "next", "go"), post(client, "/shop/cart/add/"))
        thrower.run(f"coupon ({who})", form("code", "action", "next"), post(client, "/shop/cart/coupon/"))
        thrower.run(
            f"checkout ({who})",
            form(
                "email",
                "name",
                "phone",
                "shipping_method",
                "address_line1",
                "address_line2",
                "city",
                "postcode",
                "country",
            ),
            post(client, "/shop/checkout/"),
        )
        thrower.run(f"seat booking ({who})", form("session", "quantity", "next"), post(client, "/learning/cart/seats/"))
        thrower.run(
            f"lesson booking ({who})", form("teacher", "start", "goal", "next"), post(client, "/learning/cart/lesson/")
        )
    line = st.one_of(segment, st.sampled_from([str(pk) for pk in line_ids]))
    thrower.run(
        "cart line update",
        st.tuples(line, form("quantity")),
        lambda d: anonymous.post(f"/shop/cart/lines/{d[0]}/", flat(d[1])),
    )
    thrower.run("cart line remove", segment, lambda v: member.post(f"/shop/cart/lines/{v}/remove/"))

    def newsletter_valid(data):
        return marketing_views.NewsletterSignupForm(
            {k: v[-1] if isinstance(v, list) else v for k, v in data.items()}
        ).is_valid()

    thrower.run(
        "newsletter",
        form("email", "consent", "source_page", "next", "website"),
        post(anonymous, "/newsletter/signup/"),
        valid=newsletter_valid,
    )
    contact = ContactPage.objects.live().first()
    contact_fields = [f.clean_name for f in contact.form_fields.all()] + ["url_homepage"]

    def contact_valid(data):
        built = contact.get_form({k: v[-1] if isinstance(v, list) else v for k, v in data.items()}, page=contact)
        return built.is_valid()

    thrower.run("contact", form(*contact_fields), post(anonymous, contact.url), valid=contact_valid)

    def testimonial_valid(data):
        return marketing_views.TestimonialForm(
            {k: v[-1] if isinstance(v, list) else v for k, v in data.items()}
        ).is_valid()

    thrower.run(
        "testimonial",
        form("author_name", "text", "rating", "page"),
        post(member, "/testimonials/new/"),
        valid=testimonial_valid,
    )
    thrower.run(
        "signup",
        form("email", "password1", "password2"),
        post(Client(), "/accounts/signup/"),
        valid=lambda data: True,  # a valid signup creates an account and sends a verification email
    )
    thrower.run("password reset", form("email"), post(Client(), "/accounts/password/reset/"), valid=lambda d: True)
    thrower.run("sign in", form("login", "password", "remember"), post(Client(), "/accounts/login/"))
    thrower.run("admin sign in", form("username", "password"), post(Client(), "/admin/login/"))

    # -- The Stripe webhook: correctly signed payloads of every JSON shape -----------------------
    json_value = st.recursive(
        st.none() | st.booleans() | st.integers(min_value=-(10**20), max_value=10**20) | st.text(max_size=12),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=8,
    )
    event_like = st.fixed_dictionaries(
        {
            "id": json_value | st.text(max_size=12),
            "type": st.sampled_from(
                ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded", "refund.updated"]
            )
            | json_value,
            "data": json_value | st.fixed_dictionaries({"object": json_value}),
        }
    )

    def webhook(payload):
        body = json.dumps(payload)
        signature = sign_payload(body, django_settings.STRIPE_WEBHOOK_SECRET)
        return anonymous.post(
            "/shop/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )

    thrower.run("webhook", json_value | event_like, webhook)

    print(f"malformed requests: {thrower.requests}, by status: {dict(sorted(thrower.by_status.items()))}")
    assert thrower.requests >= min(MIN_REQUESTS, EXAMPLES * 40)
