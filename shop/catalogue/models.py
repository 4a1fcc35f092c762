"""The catalogue: categories, product pages with their variants and gallery, stock holds, shop settings.

Prices are integers in minor units of the shop currency (``ShopSettings.currency``, default EUR).
A variant's ``stock`` is the number of units on the shelf (``None`` = not tracked); units held by
pending orders are :class:`StockHold` rows, so what can still be sold is
``stock - sum(live holds)`` (see :mod:`shop.stock`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import get_currency_name
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Site
from wagtail.search import index

from base import request_memo
from shop.money import Money

__all__ = [
    "Category",
    "ProductImage",
    "ProductVariant",
    "ShopConfig",
    "ShopSettings",
    "StockHold",
    "held_quantity",
    "live_holds_q",
    "live_holds_subquery",
    "shop_config",
]

# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class ShopConfig:
    """The shop settings as a plain value (what :func:`shop_config` returns)."""

    currency: str = "EUR"
    hold_minutes: int = 30
    order_notification_email: str = ""
    country: str = "FR"
    return_days: int = 14
    free_returns: bool = True


SHOP_CONFIG_CACHE_KEY = "shop:config"


@register_setting(icon="cog")
class ShopSettings(BaseSiteSetting):
    """Editable in Settings → Shop: currency, how long checkout holds stock, who hears of new orders.

    Read it in Python with :func:`shop_config` (cached; one shop per installation, the default
    site's settings), in templates as ``settings.shop.ShopSettings``.
    """

    currency = models.CharField(
        max_length=3, default="EUR", help_text=_("ISO 4217 code of every price in the shop, e.g. EUR.")
    )
    hold_minutes = models.PositiveIntegerField(
        default=30, help_text=_("How long checkout keeps stock and seats for an unpaid order.")
    )
    order_notification_email = models.EmailField(
        blank=True, help_text=_("Staff address told about each paid order (optional).")
    )
    country = models.CharField(
        max_length=2,
        default="FR",
        help_text=_("ISO 3166 code of the country the shop ships to and accepts returns from, e.g. FR."),
    )
    return_days = models.PositiveSmallIntegerField(
        default=14,
        help_text=_("Days a customer has to return a product (0: no returns). Shown to search engines."),
    )
    free_returns = models.BooleanField(default=True, help_text=_("Returns cost the customer nothing."))

    panels = [
        FieldPanel("currency"),
        FieldPanel("hold_minutes"),
        FieldPanel("order_notification_email"),
        MultiFieldPanel([FieldPanel("country"), FieldPanel("return_days"), FieldPanel("free_returns")], _("Returns")),
    ]

    class Meta:
        verbose_name = _("Shop settings")

    def clean(self):
        self.currency = (self.currency or "").strip().upper()
        known = get_currency_name(self.currency, locale="en") != self.currency
        if not known:
            raise ValidationError({"currency": _("Enter an ISO 4217 currency code such as EUR.")})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(SHOP_CONFIG_CACHE_KEY)
        request_memo.forget(SHOP_CONFIG_CACHE_KEY)


def shop_config() -> ShopConfig:
    """The shop's settings (currency, hold minutes, notification email) as a frozen value.

    Cached (5 minutes, dropped when the settings are saved) so pricing costs no query; the
    default site's row is used — Comptoir runs one shop per installation. Read once per request
    (:mod:`base.request_memo`), however many prices a page shows.
    """
    return request_memo.memo(SHOP_CONFIG_CACHE_KEY, _load_shop_config)


def _load_shop_config() -> ShopConfig:
    config = cache.get(SHOP_CONFIG_CACHE_KEY)
    if config is None:
        site = Site.objects.filter(is_default_site=True).first()
        row = ShopSettings.objects.filter(site=site).first() if site else None
        config = (
            ShopConfig(
                row.currency,
                row.hold_minutes,
                row.order_notification_email,
                row.country.upper(),
                row.return_days,
                row.free_returns,
            )
            if row
            else ShopConfig()
        )
        cache.set(SHOP_CONFIG_CACHE_KEY, config, 300)
    return config


# --------------------------------------------------------------------------- categories


class Category(index.Indexed, models.Model):
    """A product category (snippet): "Macarons", "Cakes", "Gift cards"."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class ProductImage(Orderable):
    """One picture in a product's gallery (the first is the card image)."""

    product = ParentalKey("shop.ProductPage", on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductVariant(Orderable):
    """A sellable unit of a product ("Box of 12"): SKU, price in minor units, optional stock.

    ``stock`` is ``None`` when not tracked (unlimited). Held units are :class:`StockHold` rows;
    stock is only decremented when an order is paid (:mod:`shop.stock`).
    """

    product = ParentalKey("shop.ProductPage", on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=100, help_text=_('E.g. "Box of 12". Shown in the picker and the cart.'))
    sku = models.CharField("SKU", max_length=64, unique=True)
    price = models.PositiveIntegerField(help_text=_("In minor units: 1250 = €12.50."))
    compare_at_price = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Optional former price, in minor units, shown struck through.")
    )
    stock = models.PositiveIntegerField(null=True, blank=True, help_text=_("Units on hand; blank = not tracked."))
    active = models.BooleanField(default=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("sku")]),
        FieldRowPanel([FieldPanel("price"), FieldPanel("compare_at_price")]),
        FieldPanel(
            "stock",
            help_text=_(
                "Units on hand; blank = not tracked. Set it here for a new variant; afterwards change "
                "it in Stock (publishing a page never changes the stock of existing variants)."
            ),
        ),
        FieldPanel("active"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="variant_stock_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.product.title} – {self.name}" if self.product_id else self.name

    @property
    def available(self) -> int | None:
        """Units that can still be held (``stock`` minus live holds), ``None`` when untracked.

        Uses the ``held`` annotation when the queryset provides it (listings), else one query.
        """
        if self.stock is None:
            return None
        held = getattr(self, "held", None)
        if held is None:
            held = held_quantity(self)
        return max(self.stock - held, 0)

    @property
    def is_available(self) -> bool:
        return self.active and (self.stock is None or self.available > 0)

    @property
    def price_money(self) -> Money:
        return Money(self.price, shop_config().currency)

    @property
    def compare_at_money(self) -> Money | None:
        if self.compare_at_price and self.compare_at_price > self.price:
            return Money(self.compare_at_price, shop_config().currency)
        return None

    # -- columns of the Stock admin listing -------------------------------------------------
    def price_display(self) -> str:
        return self.price_money.format()

    def stock_display(self) -> str:
        return _("not tracked") if self.stock is None else str(self.stock)

    def held_display(self) -> str:
        return "" if self.stock is None else str(self.stock - self.available)

    def available_display(self) -> str:
        return "∞" if self.stock is None else str(self.available)

    price_display.short_description = _("Price")
    stock_display.short_description = _("Stock")
    held_display.short_description = _("Held by unpaid orders")
    available_display.short_description = _("Available")

    @property
    def low_stock(self) -> bool:
        available = self.available
        return available is not None and 0 < available <= 3


class StockHold(models.Model):
    """Units of a variant reserved for one order line until ``expires_at``.

    A hold is *live* while ``status == held`` and ``expires_at`` is in the future; expired holds
    stop counting at once and :func:`shop.payments.expiry.release_expired_holds` marks them released.
    ``converted`` means the order was paid and stock was decremented.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        RELEASED = "released", _("Released")
        CONVERTED = "converted", _("Sold")

    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="holds")
    order_line = models.OneToOneField("shop.OrderLine", on_delete=models.CASCADE, related_name="stock_hold")
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["variant", "status", "expires_at"])]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_hold_quantity_positive")]

    def __str__(self):
        return f"{self.quantity} × {self.variant_id} ({self.status})"


# --------------------------------------------------------------------------- hold queries


def live_holds_q(now: datetime | None = None, prefix: str = "") -> Q:
    """Filter for live holds (``prefix`` e.g. ``"holds__"`` from a variant queryset)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": StockHold.Status.HELD, f"{prefix}expires_at__gt": now})


def live_holds_subquery(now: datetime | None = None):
    """A ``Subquery`` annotation: units of ``OuterRef("pk")`` (a variant) in live holds (int, 0 if none)."""
    held = (
        StockHold.objects.filter(live_holds_q(now), variant=models.OuterRef("pk"))
        .order_by()
        .values("variant")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(models.Subquery(held, output_field=models.IntegerField()), 0)


def next_hold_expiry_subquery(now: datetime | None = None):
    """A ``Subquery`` annotation: when the first live hold of ``OuterRef("pk")`` (a variant)
    lapses (an aware datetime, or None): the variant's availability grows at that moment."""
    first = (
        StockHold.objects.filter(live_holds_q(now), variant=models.OuterRef("pk"))
        .order_by("expires_at")
        .values("expires_at")[:1]
    )
    return models.Subquery(first, output_field=models.DateTimeField())


def held_quantity(variant, *, exclude_line=None, now: datetime | None = None) -> int:
    """Units of ``variant`` in live holds (one query), optionally not counting ``exclude_line``'s hold."""
    qs = variant.holds.filter(live_holds_q(now))
    if exclude_line is not None and exclude_line.pk:
        qs = qs.exclude(order_line=exclude_line)
    return qs.aggregate(total=Sum("quantity"))["total"] or 0
