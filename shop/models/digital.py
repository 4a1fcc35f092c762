"""Digital products' files (stored privately) and the entitlements that paid orders grant.

Files go to the ``private`` storage alias (``settings.STORAGES["private"]``): a directory
outside ``MEDIA_ROOT`` locally, the ``private/`` prefix of the S3 bucket with query-string
authentication in production. They are only ever served by :mod:`shop.views.downloads`.
"""

import os
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel


def private_storage():
    """The ``private`` storage alias, looked up when used (tests may override STORAGES)."""
    return storages["private"]


def asset_upload_to(instance, filename: str) -> str:
    """``downloads/<random>/<slugified name>.<ext>``: an unguessable path for every file."""
    stem, ext = os.path.splitext(os.path.basename(filename))
    return f"downloads/{uuid.uuid4().hex}/{slugify(stem) or 'file'}{ext.lower()[:10]}"


class DigitalAsset(models.Model):
    """A file a buyer of ``product`` (a digital ProductPage) may download."""

    product = models.ForeignKey("shop.ProductPage", on_delete=models.CASCADE, related_name="digital_assets")
    title = models.CharField(max_length=200, help_text=_("Shown in 'My downloads', e.g. 'Recipe e-book (PDF)'."))
    file = models.FileField(upload_to=asset_upload_to, storage=private_storage, max_length=255)
    filename = models.CharField(
        max_length=200, blank=True, help_text=_("Name the customer's browser saves; defaults to the uploaded name.")
    )
    size = models.PositiveBigIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        PageChooserPanel("product", "shop.ProductPage"),
        FieldPanel("title"),
        FieldPanel("file"),
        FieldPanel("filename"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["product_id", "sort_order", "pk"]
        verbose_name = _("digital file")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.filename:
            self.filename = os.path.basename(self.file.name)
        try:
            self.size = self.file.size if self.file else 0
        except (OSError, ValueError):
            self.size = 0
        super().save(*args, **kwargs)


def default_download_limit() -> int:
    return settings.SHOP_DOWNLOAD_LIMIT


def default_expiry():
    return timezone.now() + timedelta(days=settings.SHOP_DOWNLOAD_EXPIRY_DAYS)


def new_entitlement_token() -> str:
    return secrets.token_urlsafe(16)


class Entitlement(models.Model):
    """The right to download the files of one paid order line's product.

    Granted by the ``order_paid`` receiver (:mod:`shop.entitlements`). ``user`` is the buyer's
    account (``None`` for a guest: then ``email`` — a verified address of a signed-in user —
    proves ownership). ``download_count`` counts successful downloads across the product's
    files; ``revoked_at`` is set when the line is refunded.
    """

    order_line = models.OneToOneField("shop.OrderLine", on_delete=models.CASCADE, related_name="entitlement")
    product = models.ForeignKey("shop.ProductPage", null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="entitlements"
    )
    email = models.EmailField()
    token = models.CharField(max_length=40, unique=True, default=new_entitlement_token, editable=False)
    download_limit = models.PositiveIntegerField(default=default_download_limit)
    download_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(default=default_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(download_count__lte=models.F("download_limit")),
                name="entitlement_downloads_within_limit",
            ),
        ]

    def __str__(self):
        return f"{self.order_line.title} for {self.email}"

    @property
    def downloads_left(self) -> int:
        return max(self.download_limit - self.download_count, 0)

    def refusal(self, now=None) -> str:
        """Why this entitlement cannot be used right now (``""`` if it can)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return str(_("This purchase was refunded, so its files are no longer available."))
        if self.expires_at <= now:
            return str(_("This download expired on %(date)s.") % {"date": self.expires_at.date().isoformat()})
        if self.download_count >= self.download_limit:
            return str(_("You have used all %(limit)s downloads of this file.") % {"limit": self.download_limit})
        return ""
