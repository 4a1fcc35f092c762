"""The public address of the site (``settings.SITE_URL``) and the Wagtail Site that serves it.

Wagtail builds every absolute URL (canonical links, sitemap ``<loc>``, ``og:url``, ``og:image``,
JSON-LD) from the default Site's hostname and port: port 443 means ``https://host``, port 80
``http://host``, any other port ``http://host:port``. :func:`apply_site_url` writes
``SITE_URL`` there; the release step (``manage.py set_site_url``), ``bootstrap_dev`` and
``load_demo`` run it, so no deployment serves ``http://localhost/`` links.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site


@dataclass(frozen=True)
class SiteAddress:
    """Hostname and port of a Wagtail Site (the scheme follows from the port)."""

    hostname: str
    port: int


def parse_site_url(url: str) -> SiteAddress:
    """``"https://shop.example.com"`` → ``SiteAddress("shop.example.com", 443)``.

    Accepts ``http://host[:port]`` and ``https://host`` (443 only: Wagtail derives the scheme
    from the port, so HTTPS on another port cannot be expressed) with an optional trailing
    slash. Raises ``ImproperlyConfigured`` naming the problem for anything else (a path, a query,
    credentials, another scheme, HTTPS on a port other than 443).
    """
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"SITE_URL must look like https://shop.example.com, not {url!r}.")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ImproperlyConfigured(f"SITE_URL is scheme, host and port only (no path or query): {url!r}.")
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"SITE_URL has an invalid port: {url!r}.") from error
    if parts.scheme == "https":
        if port not in (None, 443):
            raise ImproperlyConfigured(f"SITE_URL: HTTPS is served on port 443 only ({url!r}).")
        return SiteAddress(parts.hostname, 443)
    if port == 443:
        raise ImproperlyConfigured(f"SITE_URL: port 443 means HTTPS; write https://{parts.hostname} ({url!r}).")
    return SiteAddress(parts.hostname, port or 80)


def site_root_url(url: str | None = None) -> str:
    """``SITE_URL`` (or ``url``) normalised as Wagtail writes a Site's root URL, no trailing slash."""
    address = parse_site_url(url if url is not None else settings.SITE_URL)
    if address.port == 443:
        return f"https://{address.hostname}"
    if address.port == 80:
        return f"http://{address.hostname}"
    return f"http://{address.hostname}:{address.port}"


def apply_site_url(url: str | None = None) -> Site | None:
    """Give the default Site the hostname and port of ``url`` (default ``settings.SITE_URL``).

    Returns the Site (None when no default Site exists yet: ``load_demo`` creates one, and
    Wagtail's migrations create ``localhost:80``). Raises ``ImproperlyConfigured`` for a bad URL
    and changes nothing then.
    """
    address = parse_site_url(url if url is not None else settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    if (site.hostname, site.port) != (address.hostname, address.port):
        site.hostname, site.port = address.hostname, address.port
        site.save()  # Wagtail clears its cached site root paths on save
    return site
