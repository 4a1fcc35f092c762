"""The offer page (``home.OfferPage``) and the offer banner block that places it on any page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from home.blocks import OfferBannerBlock
from home.models import OfferPage
from home.streams import PageStreamBlock
from shop.models import Offer
from shop.tests.factories import make_site
from shop.tests.offer_helpers import make_offer

NOW = timezone.now()

pytestmark = pytest.mark.django_db


def _offer_page(offer, **kwargs):

    page = OfferPage(
        title="Spring sale",
        slug=kwargs.pop("slug", "spring-sale"),
        offer=offer,
        hero_text="Ten percent off everything.",
        terms="<p>One use per customer.</p>",
        **kwargs,
    )
    make_site().add_child(instance=page)
    page.save_revision().publish()
    return page


def test_offer_page_shows_code_and_terms(client):
    offer = make_offer(minimum_order=2000, max_uses_per_customer=1, valid_until=NOW + timedelta(days=30))
    page = _offer_page(offer)
    html = client.get(page.url).content.decode()
    assert "SPRING10" in html and "10% off" in html and "€20.00 minimum order" in html
    assert "Once per customer" in html and "One use per customer." in html
    Offer.objects.filter(pk=offer.pk).update(valid_until=NOW - timedelta(days=1))
    html = client.get(page.url).content.decode()
    assert "This offer has ended" in html and "offer-code__value" not in html


def test_offer_banner_block_on_any_page_disappears_when_offer_ends(client):

    offer = make_offer()
    page = _offer_page(offer)
    block = OfferBannerBlock()
    value = block.to_python(
        {
            "page": page.pk,
            "headline": "",
            "text": "Macarons, tarts and books",
            "button_label": "Shop the sale",
            "style": "butter",
        }
    )
    html = block.render(value)
    assert "offer-banner--butter" in html and "SPRING10" in html and "Spring sale" in html
    assert f'href="{page.url}"' in html and "Shop the sale" in html
    offer.active = False
    offer.save()
    assert block.render(block.to_python({"page": page.pk})).strip() == ""


def test_offer_banner_is_available_in_page_bodies():

    assert "offer_banner" in PageStreamBlock.base_blocks
