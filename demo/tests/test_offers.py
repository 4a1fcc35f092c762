"""The demo's sale is named after the current season and dated from today, so the demo never
advertises a past season."""

import datetime

import pytest
from django.utils import timezone

from demo.offers import SALE_DAYS, _offers, season

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("month", "name"),
    [
        (1, "Winter"),
        (2, "Winter"),
        (3, "Spring"),
        (5, "Spring"),
        (6, "Summer"),
        (9, "Autumn"),
        (11, "Autumn"),
        (12, "Winter"),
    ],
)
def test_season(month, name):
    assert season(datetime.date(2026, month, 15)) == name


def test_sale_runs_from_today_in_the_current_season():
    offer = _offers()
    now = timezone.now()
    name = season(timezone.localdate())
    assert offer.code == f"{name.upper()}10" and offer.name == f"{name} sale"
    assert offer.valid_from <= now < offer.valid_until
    assert offer.valid_until - offer.valid_from == datetime.timedelta(days=SALE_DAYS)
    assert offer.is_current()
    assert _offers().pk == offer.pk  # idempotent the same day
