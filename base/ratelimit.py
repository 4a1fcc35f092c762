"""Rate limits and the client's IP address, in one place.

Every limit of the site is a line of ``ACCOUNT_RATE_LIMITS`` (config/settings/base.py) in
allauth's format (``"5/h/ip,3/h/key"``: amount / period / per ip, key or user) and is counted
by allauth's limiter (:mod:`allauth.core.ratelimit`) in the cache (Redis in production, so
every web process shares the counts). allauth applies its own actions (``login``,
``login_failed``, ``signup``, ``reset_password``, ...) in its views; the site's forms call
:func:`allow` with their action (``contact``, ``newsletter_signup``, ``testimonial``).

The client IP is read through ``ALLAUTH_TRUSTED_PROXY_COUNT`` trusted proxies
(:func:`client_ip`), for allauth (:class:`AccountAdapter`), django-axes
(``AXES_CLIENT_IP_CALLABLE``) and these limits alike.
"""

from __future__ import annotations

import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.conf import settings

UNKNOWN_IP = "0.0.0.0"


def _clean_ip(value: str | None) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The visitor's IP address as a string (never raises).

    Behind ``ALLAUTH_TRUSTED_PROXY_COUNT`` = N proxies (load balancers) each appending to
    ``X-Forwarded-For``, the client is the N-th address from the right: addresses left of it
    were written by the client and cannot be trusted. With N = 0, or when the header has fewer
    than N addresses (a request that bypassed the proxies), ``REMOTE_ADDR`` is used. An
    unreadable address gives :data:`UNKNOWN_IP`, one shared bucket.
    """
    count = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count:
            ip = _clean_ip(hops[-count])
            if ip:
                return ip
    return _clean_ip(request.META.get("REMOTE_ADDR")) or UNKNOWN_IP


def allow(request, action: str, *, key: str | None = None, user=None, dry_run: bool = False) -> bool:
    """Count one ``action`` for this request; False when one of its limits is reached.

    ``dry_run=True`` only checks (counts nothing): for limits on successful submissions.

    ``action`` names a line of ``ACCOUNT_RATE_LIMITS``; ``key`` (e.g. the email typed) is
    needed by ``/key`` rates, ``user`` by ``/user`` rates. GET requests are never counted
    (allauth's rule). An action with no configured limit is always allowed.
    """
    return ratelimit.consume(request, action=action, key=key, user=user, dry_run=dry_run)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the site's :func:`client_ip` (allauth's own raises
    ImproperlyConfigured — a 500 — when ``X-Forwarded-For`` is shorter than the proxy count)."""

    def get_client_ip(self, request) -> str:
        return client_ip(request)
