"""Digital downloads: the access matrix, limits, expiry, refunds, guests' signed links, verified
emails, and private files never reachable through a media URL."""

from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.base import ContentFile
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve

from shop import entitlements
from shop.models import DigitalAsset, Entitlement, Refund
from shop.refunds import apply_refund
from shop.tests.factories import make_product
from shop.tests.offer_helpers import paid_order

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Petit Four recipe e-book\n%%EOF\n"


@pytest.fixture
def ebook():
    product = make_product("Macaron recipe e-book", kind="digital", variants=[{"price": 1200, "stock": None}])
    asset = DigitalAsset(product=product, title="Recipe e-book (PDF)")
    asset.file.save("macarons.pdf", ContentFile(PDF), save=False)
    asset.save()
    return product.variants.get(), asset


@pytest.fixture
def owner():
    return get_user_model().objects.create_user("owner", "owner@example.com", "pw")


@pytest.fixture
def bought(ebook, owner):
    variant, asset = ebook
    order = paid_order([(variant, 1)], user=owner, email=owner.email)
    return order, order.lines.get().entitlement, asset


def owner_url(entitlement, asset):
    return reverse("shop:download", args=[entitlement.pk, asset.pk])


def guest_url(entitlement, asset, token=None):
    return reverse("shop:download_signed", args=[token or entitlements.signed_token(entitlement), asset.pk])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_paying_grants_one_entitlement_with_defaults(bought):
    order, entitlement, _asset = bought
    assert entitlement.download_limit == settings.SHOP_DOWNLOAD_LIMIT == 5
    assert abs((entitlement.expires_at - timezone.now()) - timedelta(days=365)) < timedelta(minutes=1)
    assert Entitlement.objects.count() == 1
    entitlements.grant_for_order(order)  # idempotent
    assert Entitlement.objects.count() == 1


def test_physical_lines_get_no_entitlement(owner):
    box = make_product("Macaron box", variants=[{"price": 1800}]).variants.get()
    paid_order([(box, 1)], user=owner)
    assert not Entitlement.objects.exists()


# --------------------------------------------------------------------------------- the matrix
def _prepare(case, entitlement):
    if case == "expired":
        Entitlement.objects.filter(pk=entitlement.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "limit reached":
        Entitlement.objects.filter(pk=entitlement.pk).update(download_count=entitlement.download_limit)
    elif case == "refunded line":
        line = entitlement.order_line
        refund = Refund.objects.create(order=line.order, amount=line.line_total, lines={str(line.pk): 1})
        apply_refund(refund)


MATRIX = [
    # (who, how, case, expected status, text on the page)
    ("owner", "account", "ok", 200, None),
    ("other customer", "account", "ok", 404, "could not find this download"),
    ("anonymous", "account", "ok", 403, "Please sign in"),
    ("anonymous", "guest link", "ok", 200, None),
    ("anonymous", "tampered link", "ok", 403, "link is not valid"),
    ("owner", "account", "expired", 403, "expired on"),
    ("anonymous", "guest link", "expired", 403, "expired on"),
    ("owner", "account", "limit reached", 403, "used all 5 downloads"),
    ("owner", "account", "refunded line", 403, "was refunded"),
    ("anonymous", "guest link", "refunded line", 403, "was refunded"),
]


@pytest.mark.parametrize("who,how,case,status,text", MATRIX)
def test_download_access_matrix(client, bought, who, how, case, status, text):
    _order, entitlement, asset = bought
    _prepare(case, entitlement)
    if who == "owner":
        client.force_login(entitlement.user)
    elif who == "other customer":
        client.force_login(get_user_model().objects.create_user("other", "other@example.com", "pw"))
    if how == "account":
        url = owner_url(entitlement, asset)
    elif how == "guest link":
        url = guest_url(entitlement, asset)
    else:
        token = entitlements.signed_token(entitlement)
        url = guest_url(entitlement, asset, token=token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))

    response = client.get(url)

    assert response.status_code == status
    if status == 200:
        assert body(response) == PDF
        assert 'attachment; filename="macarons.pdf"' in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
        assert Entitlement.objects.get(pk=entitlement.pk).download_count == 1
    else:
        assert text in response.content.decode()
        assert PDF not in response.content
        assert Entitlement.objects.get(pk=entitlement.pk).download_count in (0, entitlement.download_limit)


def test_tampered_entitlement_id_in_guest_token_is_refused(client, bought, ebook):

    _order, entitlement, asset = bought
    forged = signing.dumps({"e": entitlement.pk, "t": "guess"}, salt=entitlements.SIGNING_SALT, key="wrong-key")
    assert client.get(guest_url(entitlement, asset, token=forged)).status_code == 403
    wrong_token = signing.dumps({"e": entitlement.pk, "t": "guess"}, salt=entitlements.SIGNING_SALT)
    assert client.get(guest_url(entitlement, asset, token=wrong_token)).status_code == 403


def test_limit_counts_each_download_then_refuses(client, bought):
    _order, entitlement, asset = bought
    client.force_login(entitlement.user)
    for _ in range(5):
        assert client.get(owner_url(entitlement, asset)).status_code == 200
    refused = client.get(owner_url(entitlement, asset))
    assert refused.status_code == 403 and "used all 5 downloads" in refused.content.decode()
    assert Entitlement.objects.get(pk=entitlement.pk).download_count == 5


def test_asset_of_another_product_is_not_served(client, bought):
    _order, entitlement, _asset = bought
    other = make_product("Audio lesson", kind="digital", variants=[{"price": 900, "stock": None}])
    foreign = DigitalAsset(product=other, title="Audio")
    foreign.file.save("lesson.mp3", ContentFile(b"ID3audio"), save=False)
    foreign.save()
    client.force_login(entitlement.user)
    assert client.get(owner_url(entitlement, foreign)).status_code == 404
    assert client.get(guest_url(entitlement, foreign)).status_code == 404


# --------------------------------------------------------------------------------- My downloads
def test_my_downloads_lists_own_items_with_links_in_constant_queries(client, bought, ebook):

    _order, entitlement, asset = bought
    client.force_login(entitlement.user)
    client.get(reverse("shop:downloads"))  # warm the site-wide settings
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("shop:downloads"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Macaron recipe e-book" in html and "Recipe e-book (PDF)" in html
    assert owner_url(entitlement, asset) in html and "5 downloads left" in html

    variant, _asset = ebook
    for _ in range(3):
        paid_order([(variant, 1)], user=entitlement.user, email=entitlement.user.email)
    with CaptureQueriesContext(connection) as four:
        html = client.get(reverse("shop:downloads")).content.decode()
    assert html.count('class="dl-item"') == 4
    assert len(four) == len(one) <= 14


def test_my_downloads_requires_sign_in(client):
    response = client.get(reverse("shop:downloads"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_guest_purchase_appears_for_verified_email_only(client, ebook):
    variant, asset = ebook
    order = paid_order([(variant, 1)], email="Guest@Example.com")
    entitlement = order.lines.get().entitlement
    user = get_user_model().objects.create_user("guest", "guest@example.com", "pw")
    address = EmailAddress.objects.create(user=user, email="guest@example.com", verified=False, primary=True)
    client.force_login(user)

    assert "Macaron recipe e-book" not in client.get(reverse("shop:downloads")).content.decode()
    assert client.get(owner_url(entitlement, asset)).status_code == 404

    address.verified = True
    address.save()
    assert "Macaron recipe e-book" in client.get(reverse("shop:downloads")).content.decode()
    assert body(client.get(owner_url(entitlement, asset))) == PDF


def test_confirmation_email_include_has_working_signed_links(client, ebook):
    variant, _asset = ebook
    order = paid_order([(variant, 1)], email="guest@example.com")
    text = render_to_string("emails/includes/download_links.txt", {"order": order})
    html = render_to_string("emails/includes/download_links.html", {"order": order})
    assert "Recipe e-book (PDF)" in text and "Download Recipe e-book (PDF)" in html
    url = next(word for word in text.split() if "/shop/downloads/link/" in word)
    assert url.startswith(settings.WAGTAILADMIN_BASE_URL)
    assert body(client.get(url.replace(settings.WAGTAILADMIN_BASE_URL, ""))) == PDF


# --------------------------------------------------------------------------------- privacy
def test_private_file_is_never_reachable_by_a_media_url(client, bought):
    _order, _entitlement, asset = bought
    private_root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    on_disk = private_root / asset.file.name
    assert on_disk.read_bytes() == PDF
    assert not str(on_disk.resolve()).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    name = asset.file.name
    assert name.startswith("downloads/") and len(name.split("/")[1]) == 32  # random directory
    for guess in (
        f"/media/{name}",
        f"/media/private/{name}",
        f"/media/downloads/{name.split('/')[-1]}",
        f"/private_media/{name}",
        f"/media/../private/{name}",
    ):
        response = client.get(guess)
        assert response.status_code == 404, guess
        assert PDF not in response.content

    # Even the development media server (DEBUG's static()) serves MEDIA_ROOT only.

    with pytest.raises(Http404):
        serve(RequestFactory().get("/"), name, document_root=settings.MEDIA_ROOT)
