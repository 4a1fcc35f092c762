"""One way to read integers, ids, dates, datetimes, choices and text from a request.

Every view, page ``serve()``/``get_context``, routable route, template tag and webhook handler
that reads a value sent by a visitor goes through these functions (or through a Django form,
whose fields apply the same rules). Each one either returns a clean Python value or raises
:class:`InvalidInput` with a message fit to show the visitor; none lets a ``ValueError``,
``OverflowError`` or database error escape, so bad input never becomes a 500.

The rules, and why:

- **ASCII digits only.** ``"²".isdigit()`` is True but ``int("²")`` raises; ``int("٣")`` is 3.
  A number typed into our forms is ``[0-9]``; anything else is refused.
- **No NUL byte** (``"\\x00"``) in any text: PostgreSQL refuses it in a string literal
  ("A string literal cannot contain NUL (0x00) characters"), so it must never reach a query.
  :class:`base.middleware.RejectNulBytesMiddleware` also answers 400 to any request carrying
  one in its path, query string or form fields.
- **Bounded integers.** Ids fit PostgreSQL's ``bigint`` (``1 .. 2**63 - 1``); other numbers take
  the caller's bounds, and at most :data:`MAX_DIGITS` digits are parsed at all.
- **Bounded dates.** Datetimes far from today (``9999-12-31T23:59:59Z``) overflow as soon as
  code adds a duration to them; only years in :data:`MIN_YEAR` .. :data:`MAX_YEAR` are accepted.
- **Known choices only**: a value outside the caller's list is refused (or replaced by the
  caller's default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

#: Largest id accepted: PostgreSQL's bigint (Django's BigAutoField).
MAX_ID = 2**63 - 1
#: Longest run of digits parsed as a number (anything longer is refused before ``int()``).
MAX_DIGITS = 19
#: Dates and datetimes outside these years are refused (far enough for any booking or report,
#: near enough that adding days or hours never overflows ``datetime``).
MIN_YEAR = 1900
MAX_YEAR = 2999

_ASCII_INT = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_MISSING = object()


class InvalidInput(BadRequest):
    """A value sent by the visitor that cannot be used. ``str(exc)`` is a message for them.

    A subclass of Django's :class:`~django.core.exceptions.BadRequest`, so one that escapes a
    view becomes the site's 400 page, never a 500.
    """


def has_nul(value) -> bool:
    """True when ``value`` (a str; other types are False) contains a NUL byte."""
    return isinstance(value, str) and "\x00" in value


def text(value, *, max_length: int | None = None, default=_MISSING, strip: bool = True) -> str:
    """``value`` as a str without NUL bytes, stripped, at most ``max_length`` characters.

    ``None`` gives ``default`` (``""`` unless given). Raises :class:`InvalidInput` for a NUL
    byte or a value longer than ``max_length``.
    """
    if value is None:
        return "" if default is _MISSING else default
    value = str(value)
    if "\x00" in value:
        raise InvalidInput(_("Please remove the invisible control characters from your entry."))
    if strip:
        value = value.strip()
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(_("Please shorten your entry to %(n)d characters.") % {"n": max_length})
    return value


def integer(value, *, min_value: int | None = None, max_value: int | None = None, default=_MISSING) -> int:
    """An int written with ASCII digits (optional sign), within ``min_value .. max_value``.

    Empty or missing input gives ``default`` when one is given, else raises. Raises
    :class:`InvalidInput` for non-ASCII digits (``"²"``, ``"٣"``), NUL bytes, more than
    :data:`MAX_DIGITS` digits, or a value out of bounds.
    """
    if isinstance(value, bool):
        raise InvalidInput(_("Please enter a whole number."))
    if isinstance(value, int):
        number = value
    else:
        raw = text(value)
        if not raw:
            if default is not _MISSING:
                return default
            raise InvalidInput(_("Please enter a whole number."))
        if not _ASCII_INT.fullmatch(raw):
            raise InvalidInput(_("Please enter a whole number."))
        number = int(raw)
    if min_value is not None and number < min_value:
        raise InvalidInput(_("Please enter a number of at least %(n)d.") % {"n": min_value})
    if max_value is not None and number > max_value:
        raise InvalidInput(_("Please enter a number no larger than %(n)d.") % {"n": max_value})
    return number


def object_id(value, *, default=_MISSING) -> int:
    """A database id: ASCII digits, ``1 .. MAX_ID``. Raises :class:`InvalidInput` otherwise
    (or returns ``default`` for empty input when one is given)."""
    try:
        return integer(value, min_value=1, max_value=MAX_ID, default=default)
    except InvalidInput:
        raise InvalidInput(_("That item could not be found.")) from None


def optional_id(value) -> int | None:
    """:func:`object_id`, but ``None`` for anything that is not a valid id (never raises).

    For hints such as ``?page=12`` on a form's initial value, where a bad value is simply ignored.
    """
    try:
        return object_id(value, default=None)
    except InvalidInput:
        return None


def page_number(value) -> int:
    """A listing's ``?page=`` value: an int ``>= 1``; anything invalid or missing gives 1.

    Paginators then clamp a too-large number to the last page (``Paginator.get_page``).
    """
    try:
        return integer(value, min_value=1, max_value=10**9, default=1)
    except InvalidInput:
        return 1


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(_("Please choose a date between %(a)d and %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR})


def iso_date(value, *, default=_MISSING) -> date:
    """``YYYY-MM-DD`` (ASCII digits) as a :class:`~datetime.date` in ``MIN_YEAR .. MAX_YEAR``.

    Empty input gives ``default`` when one is given. Raises :class:`InvalidInput` otherwise.
    """
    raw = text(value)
    if not raw and default is not _MISSING:
        return default
    if not _ISO_DATE.fullmatch(raw):
        raise InvalidInput(_("Please enter a date as YYYY-MM-DD."))
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Please enter a real calendar date.")) from None
    _check_year(day.year)
    return day


def utc_datetime(value, *, fmt: str = "%Y-%m-%dT%H:%M:%SZ") -> datetime:
    """A UTC timestamp written as ``fmt`` (default ``2026-03-30T07:00:00Z``), as an aware datetime.

    ASCII digits only and years ``MIN_YEAR .. MAX_YEAR`` (so adding hours or days to the result
    never overflows). Raises :class:`InvalidInput` otherwise.
    """
    raw = text(value, max_length=40)
    if not raw.isascii():
        raise InvalidInput(_("Please choose one of the listed times."))
    try:
        when = datetime.strptime(raw, fmt)
    except ValueError:
        raise InvalidInput(_("Please choose one of the listed times.")) from None
    _check_year(when.year)
    return when.replace(tzinfo=UTC)


def choice(value, choices: Iterable[str], *, default=_MISSING) -> str:
    """``value`` if it is one of ``choices`` (exact match after stripping), else ``default``.

    Without a default, raises :class:`InvalidInput` for an unknown value.
    """
    try:
        raw = text(value, max_length=200)
    except InvalidInput:
        raw = None
    if raw is not None and raw in set(choices):
        return raw
    if default is not _MISSING:
        return default
    raise InvalidInput(_("Please choose one of the options offered."))


def slug(value, *, max_length: int = 255, default: str = "") -> str:
    """A URL slug filter value (``?category=tarts``): letters, digits, ``-`` and ``_``, else ``default``.

    Unicode letters are allowed (Wagtail allows unicode slugs); NUL bytes, spaces, slashes and
    anything longer than ``max_length`` give ``default``. Never raises.
    """
    try:
        raw = text(value, max_length=max_length)
    except InvalidInput:
        return default
    if raw and re.fullmatch(r"[-\w]+", raw):
        return raw
    return default


class IdField(forms.CharField):
    """A form field for a database id (hidden inputs, selects keyed by pk): :func:`object_id`'s
    rules, so ``"²"``, ``"٣"``, ``"-1"`` or a 30-digit number is a validation error, never a crash.

    ``cleaned_data`` holds an ``int`` (or ``None`` when empty and not required).
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return object_id(value)
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def next_url(request, *candidates, default: str = "/") -> str:
    """The first of ``candidates`` (e.g. a form's ``next``, the ``Referer``) that is a URL on this
    site, else ``default``; for redirects after a form post.

    Only paths (``/…``) and absolute ``http(s)`` URLs on the request's own host are accepted
    (Django's ``url_has_allowed_host_and_scheme``): ``"0"``, ``"cart"`` or ``"//evil.example"``
    are not, so a redirect never goes elsewhere nor is taken for a view name.
    """
    for candidate in candidates:
        try:
            url = text(candidate, max_length=2000)
        except InvalidInput:
            continue
        if url.startswith(("/", "http://", "https://")) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return default
