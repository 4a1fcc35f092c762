"""Entitlements: who may download which digital files.

- :func:`grant_for_order` — receiver of :data:`shop.signals.order_paid`: one
  :class:`~shop.models.Entitlement` per paid order line whose product has digital files
  (download limit ``SHOP_DOWNLOAD_LIMIT``, default 5; expiry ``SHOP_DOWNLOAD_EXPIRY_DAYS``, default
  365). Idempotent (one entitlement per line).
- :func:`revoke_for_lines` — called by :func:`shop.refunds.apply_refund` for fully refunded lines.
- :func:`for_user` — the entitlements a signed-in user sees in "My downloads": their own, plus
  those bought as a guest with one of their *verified* email addresses (allauth).
- :func:`signed_token` / :func:`unsign_token` — guests' download links (``django.core.signing``,
  salt ``shop.download``); the entitlement's own limit and expiry still apply.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from base import parsing
from shop.catalogue.models import ProductVariant
from shop.models.digital import DigitalAsset, Entitlement

SIGNING_SALT = "shop.download"


def _product_ids_by_line(lines) -> dict[int, int]:

    variant_ids = {
        line.pk: parsing.optional_id(line.purchasable_key) for line in lines if line.purchasable_kind == "variant"
    }
    products = dict(
        ProductVariant.objects.filter(pk__in={v for v in variant_ids.values() if v}).values_list("pk", "product_id")
    )
    return {line_pk: products[v] for line_pk, v in variant_ids.items() if v in products}


def grant_for_order(order) -> list:
    """Create the entitlements of a just-paid ``order``; return the ones created."""
    lines = list(order.lines.all())
    by_line = _product_ids_by_line(lines)
    digital = set(
        DigitalAsset.objects.filter(product_id__in=set(by_line.values())).values_list("product_id", flat=True)
    )
    created = []
    with transaction.atomic():
        for line in lines:
            product_id = by_line.get(line.pk)
            if product_id not in digital:
                continue
            entitlement, new = Entitlement.objects.get_or_create(
                order_line=line,
                defaults={
                    "product_id": product_id,
                    "user": order.user if order.user_id else None,
                    "email": order.email,
                },
            )
            if new:
                created.append(entitlement)
    return created


def revoke_for_lines(lines) -> int:
    """Revoke the entitlements of ``lines`` (refunded); return how many were revoked."""
    ids = [line.pk for line in lines]
    if not ids:
        return 0
    return Entitlement.objects.filter(order_line_id__in=ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


def verified_emails(user) -> list[str]:
    """``user``'s verified email addresses (allauth ``EmailAddress``), lower-cased."""
    return [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]


def _owner_q(user) -> Q:
    q = Q(user=user)
    for email in verified_emails(user):
        q |= Q(user__isnull=True, email__iexact=email)
    return q


def for_user(user):
    """Entitlements ``user`` may use or see (newest first), with line, order and files prefetched."""
    if not getattr(user, "is_authenticated", False):
        return Entitlement.objects.none()
    return (
        Entitlement.objects.filter(_owner_q(user))
        .select_related("order_line__order", "product")
        .prefetch_related("product__digital_assets")
        .order_by("-created_at")
    )


def owns(user, entitlement) -> bool:
    """True if ``user`` bought it, or it was bought as a guest with one of their verified emails."""
    if not getattr(user, "is_authenticated", False):
        return False
    if entitlement.user_id is not None:
        return entitlement.user_id == user.pk
    return entitlement.email.lower() in verified_emails(user)


def signed_token(entitlement) -> str:
    """A tamper-proof token naming ``entitlement`` (for guests' email links)."""
    return signing.dumps({"e": entitlement.pk, "t": entitlement.token}, salt=SIGNING_SALT, compress=True)


def unsign_token(value: str):
    """The :class:`~shop.models.Entitlement` a guest link names, or ``None`` if tampered/unknown."""
    try:
        data = signing.loads(value, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Entitlement.objects.filter(pk=data.get("e"), token=data.get("t")).select_related("order_line").first()


def guest_links(order, request=None) -> list[dict]:
    """For the confirmation email: ``[{"title", "url"}]`` per downloadable file of ``order``.

    URLs are absolute (``request.build_absolute_uri`` or ``WAGTAILADMIN_BASE_URL``).
    """

    links = []
    entitlements = (
        Entitlement.objects.filter(order_line__order=order, revoked_at__isnull=True)
        .select_related("product")
        .prefetch_related("product__digital_assets")
    )
    for entitlement in entitlements:
        token = signed_token(entitlement)
        for asset in entitlement.product.digital_assets.all() if entitlement.product else []:
            path = reverse("shop:download_signed", args=[token, asset.pk])
            url = request.build_absolute_uri(path) if request else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
            links.append(
                {
                    "title": asset.title,
                    "url": url,
                    "expires_at": entitlement.expires_at,
                    "limit": entitlement.download_limit,
                }
            )
    return links
