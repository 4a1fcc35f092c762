"""The confirmation email carries a guest's signed download links, and they work."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from shop.models import DigitalAsset, Order
from shop.tests.factories import make_product
from shop.tests.offer_helpers import place
from tests.stripe_fixtures import make_event, payment_intent_object

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Petit Four macaron e-book\n%%EOF\n"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_guest_buying_the_ebook_gets_a_working_download_link_by_email(client, stripe_signer):
    product = make_product("Macaron recipe e-book", kind="digital", variants=[{"price": 1200, "stock": None}])
    asset = DigitalAsset(product=product, title="Macaron e-book (PDF)")
    asset.file.save("macarons.pdf", ContentFile(PDF), save=False)
    asset.save()
    order = place([(product.variants.get(), 1)], email="guest@example.com")
    assert order.user is None
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_guest_ebook")
    event = make_event(
        "payment_intent.succeeded",
        payment_intent_object("pi_guest_ebook", order.total, order.currency, reference=order.reference),
    )

    assert stripe_signer.post(event).status_code == 200

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["guest@example.com"]
    text_links = re.findall(r"Macaron e-book \(PDF\): (\S+)", email.body)
    assert len(text_links) == 1
    html = email.alternatives[0][0]
    assert f'href="{text_links[0]}"' in html and "Download Macaron e-book (PDF)" in html
    # The downloads row sits in the email's main table, after the totals.
    assert html.index("Total paid") < html.index("Your downloads") < html.index("View your order")

    path = urlparse(text_links[0]).path
    response = client.get(path)  # an anonymous visitor: the signed link is the only key
    assert response.status_code == 200
    assert body(response) == PDF
    tampered = client.get(path.replace("/link/", "/link/x"))
    assert tampered.status_code in (403, 404)


def test_physical_order_email_has_no_download_section(stripe_signer):
    product = make_product("Macaron box", variants=[{"price": 1800, "stock": 5}])
    order = place([(product.variants.get(), 1)], email="guest@example.com")
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent_id="pi_guest_box")
    stripe_signer.post(
        make_event(
            "payment_intent.succeeded",
            payment_intent_object("pi_guest_box", order.total, order.currency, reference=order.reference),
        )
    )

    assert len(mail.outbox) == 1
    assert "download" not in mail.outbox[0].body.lower()
    assert "Your downloads" not in mail.outbox[0].alternatives[0][0]
