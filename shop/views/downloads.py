"""Digital downloads: "My downloads", the owner's download view and guests' signed links.

- ``GET /shop/downloads/`` (``shop:downloads``): the signed-in customer's entitlements (their
  own and those bought as a guest with one of their verified emails).
- ``GET /shop/downloads/<entitlement>/<asset>/`` (``shop:download``): owner only.
- ``GET /shop/downloads/link/<signed token>/<asset>/`` (``shop:download_signed``): the link in a
  guest's confirmation email (``django.core.signing``; tampering → 403).

Each download checks ownership, revocation (refunded line), expiry and the download limit, counts
the download under a row lock, then streams the file (local private storage, ``FileResponse``) or
redirects to a presigned S3 URL valid a few minutes (``PRIVATE_URL_EXPIRY_SECONDS``, ≤ 600).
Refusals are a 403 (or 404 for someone else's entitlement) with a sentence saying why.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from shop import entitlements as ent
from shop.models.digital import DigitalAsset, Entitlement

logger = logging.getLogger(__name__)

MAX_PRESIGNED_SECONDS = 600


def _denied(request, message: str, status: int = 403):
    return render(request, "shop/download_denied.html", {"message": message, "status": status}, status=status)


@login_required
def downloads(request):
    """The customer's downloads, newest first, each with its files and what is left."""
    now = timezone.now()
    items = []
    for entitlement in ent.for_user(request.user):
        assets = list(entitlement.product.digital_assets.all()) if entitlement.product else []
        items.append(
            {
                "entitlement": entitlement,
                "assets": assets,
                "refusal": entitlement.refusal(now),
                "order": entitlement.order_line.order,
            }
        )
    return render(request, "shop/downloads.html", {"items": items})


def download(request, entitlement_id: int, asset_id: int):
    """Serve ``asset_id`` to the owner of entitlement ``entitlement_id`` (see module doc)."""
    if not request.user.is_authenticated:
        login = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.path})
        return render(
            request,
            "shop/download_denied.html",
            {
                "message": _("Please sign in with the account you bought this with to download it."),
                "login_url": login,
                "status": 403,
            },
            status=403,
        )
    entitlement = Entitlement.objects.filter(pk=entitlement_id).select_related("order_line").first()
    if entitlement is None or not ent.owns(request.user, entitlement):
        return _denied(request, _("We could not find this download in your account."), status=404)
    return _serve(request, entitlement, asset_id)


def download_signed(request, token: str, asset_id: int):
    """Serve ``asset_id`` to whoever holds the signed link from the confirmation email."""
    entitlement = ent.unsign_token(token)
    if entitlement is None:
        return _denied(request, _("This download link is not valid. Please use the link from your email."))
    return _serve(request, entitlement, asset_id)


def _serve(request, entitlement, asset_id: int):
    asset = DigitalAsset.objects.filter(pk=asset_id, product_id=entitlement.product_id).first()
    if asset is None or entitlement.product_id is None:
        return _denied(request, _("This file is not part of your purchase."), status=404)
    reason = entitlement.refusal()
    if reason:
        return _denied(request, reason)

    storage = asset.file.storage
    local = isinstance(storage, FileSystemStorage)
    try:
        handle = asset.file.open("rb") if local else None
    except (FileNotFoundError, OSError):
        logger.error("digital asset %s: file %s is missing", asset.pk, asset.file.name)
        return _denied(request, _("This file is temporarily unavailable. Please contact us."), status=404)

    with transaction.atomic():
        locked = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
        reason = locked.refusal()
        if reason:
            if handle:
                handle.close()
            return _denied(request, reason)
        Entitlement.objects.filter(pk=locked.pk).update(
            download_count=F("download_count") + 1, last_downloaded_at=timezone.now()
        )

    filename = asset.filename or asset.file.name.rsplit("/", 1)[-1]
    if local:
        response = FileResponse(handle, as_attachment=True, filename=filename)
    else:
        expire = min(int(getattr(storage, "querystring_expire", 300) or 300), MAX_PRESIGNED_SECONDS)
        url = storage.url(
            asset.file.name,
            expire=expire,
            parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'},
        )
        response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
