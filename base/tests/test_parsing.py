"""base.parsing: every reader returns a clean value or raises InvalidInput (a 400), never anything else."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from base import parsing

ANYTHING = st.one_of(st.none(), st.text(), st.integers(), st.binary().map(lambda b: b.decode("latin-1")))


@given(ANYTHING)
def test_readers_never_raise_anything_but_invalid_input(value):
    for reader in (parsing.integer, parsing.object_id, parsing.iso_date, parsing.utc_datetime, parsing.text):
        try:
            reader(value)
        except parsing.InvalidInput:
            pass
    assert parsing.page_number(value) >= 1
    assert parsing.optional_id(value) is None or 1 <= parsing.optional_id(value) <= parsing.MAX_ID
    assert parsing.slug(value) == "" or "\x00" not in parsing.slug(value)
    assert parsing.choice(value, ["a", "b"], default="a") in ("a", "b")


@pytest.mark.parametrize("value", ["²", "٣", "１２", "1\x00", "", " ", "-1", "0", "1.0", "1e3", str(2**63), "9" * 40])
def test_ids_are_ascii_digits_within_bigint(value):
    with pytest.raises(parsing.InvalidInput):
        parsing.object_id(value)


def test_good_values():
    assert parsing.object_id(" 42 ") == 42
    assert parsing.integer("-7", min_value=-10) == -7
    assert parsing.page_number("3") == 3 and parsing.page_number("²") == 1 and parsing.page_number(None) == 1
    assert parsing.iso_date("2026-03-30") == date(2026, 3, 30)
    assert parsing.utc_datetime("2026-03-30T07:00:00Z") == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert parsing.choice("price", ["price", "name"]) == "price"
    assert parsing.slug("tarts") == "tarts" and parsing.slug("ta rts") == "" and parsing.slug("t\x00") == ""


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "２０２６-03-30T07:00:00Z"])
def test_far_or_non_ascii_datetimes_are_refused(value):
    with pytest.raises(parsing.InvalidInput):
        parsing.utc_datetime(value)


def test_unknown_choice_without_default_is_refused():
    with pytest.raises(parsing.InvalidInput):
        parsing.choice("drop table", ["price"])


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (("/shop/cart/",), "/shop/cart/"),
        (("http://testserver/x/",), "http://testserver/x/"),
        (("0", "cart", "//evil.example/", "https://evil.example/", "javascript:alert(1)"), "/"),
        (("\x00/", "/ok/"), "/ok/"),
    ],
)
def test_next_url_stays_on_this_site(candidates, expected):
    request = RequestFactory().get("/")
    assert parsing.next_url(request, *candidates) == expected


class IdForm(forms.Form):
    pk = parsing.IdField()


def test_id_field_in_a_form():
    assert IdForm({"pk": "12"}).is_valid()
    assert not IdForm({"pk": "²"}).is_valid() and not IdForm({"pk": str(2**64)}).is_valid()
