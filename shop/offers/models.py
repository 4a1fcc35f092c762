"""Offers (coupon codes and automatic discounts), their redemptions, and the OfferPage.

The rules that decide whether and how much an offer takes off live in :mod:`shop.offers`;
these models only store what the editor chose and what was redeemed.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.models import Orderable

from shop.catalogue.models import shop_config
from shop.money import Money


class OfferForm(WagtailAdminModelForm):
    """Admin form: a scoped offer must name what it applies to."""

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == "category" and not cleaned.get("categories"):
            self.add_error("categories", _("Choose at least one category for this scope."))
        targets = self.formsets.get("targets") if hasattr(self, "formsets") else None
        if scope in ("product", "course", "lesson") and targets is not None and targets.is_valid():
            chosen = [f for f in targets.forms if f.cleaned_data.get("page") and not f.cleaned_data.get("DELETE")]
            if not chosen:
                self.add_error("scope", _("Add the products, courses or teachers this offer applies to."))
        return cleaned


class Offer(ClusterableModel):
    """A discount: with a ``code`` the customer types, or automatic (blank code).

    - ``discount_type``: ``percent`` (``percent`` % of the eligible amount, rounded once, half
      up) or ``amount`` (``amount_off`` minor units, never more than the eligible amount).
    - ``scope``: ``order`` (every line), ``category``, ``product``, ``course`` or ``lesson``
      (lines whose purchasable ``scopes`` name one of the chosen categories / pages).
    - ``minimum_order``: minor units the cart subtotal must reach.
    - ``max_uses`` / ``max_uses_per_customer``: counted from :class:`OfferRedemption` rows,
      which are written only when an order is paid. Blank = unlimited.
    - ``combinable``: an automatic offer that stacks with a code and other automatic offers.
      At most one code per order.
    """

    class DiscountType(models.TextChoices):
        PERCENT = "percent", _("Percentage off")
        AMOUNT = "amount", _("Fixed amount off")

    class Scope(models.TextChoices):
        ORDER = "order", _("The whole order")
        CATEGORY = "category", _("Chosen categories")
        PRODUCT = "product", _("Chosen products")
        COURSE = "course", _("Chosen courses")
        LESSON = "lesson", _("Lessons with chosen teachers")

    name = models.CharField(_("name"), max_length=120, help_text=_("Shown to customers, e.g. 'Spring sale'."))
    code = models.CharField(
        _("code"),
        max_length=50,
        blank=True,
        help_text=_("What customers type (not case-sensitive). Leave blank for an automatic offer."),
    )
    discount_type = models.CharField(max_length=10, choices=DiscountType.choices, default=DiscountType.PERCENT)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("For a percentage offer, e.g. 10 for 10 %."),
    )
    amount_off = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For a fixed-amount offer, in cents (500 = €5.00).")
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ORDER)
    categories = ParentalManyToManyField("shop.Category", blank=True, related_name="offers")
    minimum_order = models.PositiveIntegerField(default=0, help_text=_("Minimum cart subtotal in cents (0 = none)."))
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Paid orders in total; blank = unlimited.")
    )
    max_uses_per_customer = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Paid orders per customer (account or email); blank = unlimited.")
    )
    active = models.BooleanField(default=True)
    combinable = models.BooleanField(
        default=False,
        help_text=_("Automatic offers only: also applies together with a code and other combinable offers."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    base_form_class = OfferForm
    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("code"), FieldPanel("active")], heading=_("Offer")),
        MultiFieldPanel(
            [FieldPanel("discount_type"), FieldRowPanel([FieldPanel("percent"), FieldPanel("amount_off")])],
            heading=_("Discount"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("scope"),
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                InlinePanel("targets", label=_("Products, courses or teachers")),
            ],
            heading=_("Applies to"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("minimum_order"),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
                FieldRowPanel([FieldPanel("max_uses"), FieldPanel("max_uses_per_customer")]),
                FieldPanel("combinable"),
            ],
            heading=_("Conditions"),
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("code"), condition=~Q(code=""), name="offer_code_unique_ci"),
            models.CheckConstraint(
                condition=(Q(discount_type="percent", percent__isnull=False))
                | Q(discount_type="amount", amount_off__isnull=False),
                name="offer_has_discount_value",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        self.code = (self.code or "").strip()
        if self.discount_type == self.DiscountType.PERCENT and not self.percent:
            errors["percent"] = _("Enter the percentage off.")
        if self.discount_type == self.DiscountType.AMOUNT and not self.amount_off:
            errors["amount_off"] = _("Enter the amount off, in cents.")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors["valid_until"] = _("The end must be after the start.")
        if self.code and type(self).objects.filter(code__iexact=self.code).exclude(pk=self.pk).exists():
            errors["code"] = _("Another offer already uses this code.")
        if errors:
            raise ValidationError(errors)

    def discount_label(self) -> str:
        """For the admin listing: ``"10% off"``."""
        return self.describe()

    discount_label.short_description = _("Discount")

    def uses_label(self) -> str:
        """For the admin listing: paid uses, of the limit, plus uses flagged over the limit."""
        used = self.redemptions.filter(over_limit=False, status="used").count()
        flagged = self.redemptions.filter(over_limit=True).count()
        text = f"{used} / {self.max_uses}" if self.max_uses is not None else str(used)
        return f"{text} (+{flagged} over limit)" if flagged else text

    uses_label.short_description = _("Paid uses")

    @property
    def is_automatic(self) -> bool:
        return not self.code

    def describe(self, currency: str | None = None) -> str:
        """``"10% off"`` / ``"€5.00 off"`` for labels and the offer page."""
        if self.discount_type == self.DiscountType.PERCENT:
            value = self.percent.normalize() if self.percent is not None else 0
            return _("%(value)s%% off") % {"value": f"{value:f}"}
        if currency is None:
            currency = shop_config().currency
        return _("%(amount)s off") % {"amount": Money(self.amount_off or 0, currency).format()}

    def is_current(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.active
            and (self.valid_from is None or self.valid_from <= now)
            and (self.valid_until is None or now < self.valid_until)
        )


class OfferTarget(Orderable):
    """A product, course or teacher page an offer with that scope applies to."""

    offer = ParentalKey(Offer, on_delete=models.CASCADE, related_name="targets")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page")]

    def __str__(self):
        return str(self.page)


class OfferRedemption(models.Model):
    """One paid order's use of an offer (written by the ``order_paid`` receiver).

    ``over_limit`` marks a use that arrived after the offer's limit was reached (the customer
    had already paid the discounted price); such rows are not counted as uses and are listed
    for staff.
    """

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    order = models.ForeignKey("shop.Order", on_delete=models.CASCADE, related_name="offer_redemptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    amount = models.PositiveIntegerField(default=0, help_text=_("Discount given, minor units."))
    over_limit = models.BooleanField(default=False)
    #: ``reserved`` at order placement, ``used`` once paid, ``released`` with the order's holds
    #: (shop.offers.reservations).
    status = models.CharField(
        max_length=10,
        choices=[("reserved", _("Reserved")), ("used", _("Used")), ("released", _("Released"))],
        default="used",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "order"], name="offer_redemption_once_per_order")]
        indexes = [models.Index(fields=["offer", "email"])]

    def __str__(self):
        return f"{self.offer} on {self.order}"
