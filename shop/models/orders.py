"""Orders, their lines and adjustments, and shipping methods.

An order snapshots everything a customer agreed to pay for at checkout; later changes to a
product never change an order. Amounts are integers in minor units of ``Order.currency``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop.money import Money
from shop.purchasable import resolve
from shop.status import ORDER_TRANSITIONS, OrderStatus, transition


def new_order_token() -> str:
    """An unguessable token for a guest's order link (~192 bits)."""
    return secrets.token_urlsafe(24)


class ShippingMethod(models.Model):
    """A fulfilment method the customer picks at checkout ("Local delivery", "Click & collect")."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    price = models.PositiveIntegerField(default=0, help_text=_("In minor units (cents)."))
    requires_address = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Order(models.Model):
    """One checkout. ``reference`` (``PF-000123``) exists before payment and is Stripe's key."""

    Status = OrderStatus

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_order_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT)

    email = models.EmailField()
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)

    shipping_method = models.ForeignKey(ShippingMethod, null=True, blank=True, on_delete=models.PROTECT)
    shipping_method_name = models.CharField(max_length=100, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = CountryField(blank=True)

    currency = models.CharField(max_length=3)
    subtotal = models.PositiveIntegerField(default=0)
    discount_total = models.PositiveIntegerField(default=0)
    shipping_total = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    coupon_code = models.CharField(max_length=50, blank=True)
    # The cart this order was placed from; emptied when the order is paid (shop.cart.empty_cart_for_order).
    cart = models.ForeignKey("shop.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")

    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_failure_reason = models.CharField(max_length=255, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["email"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount_total") + F("shipping_total")),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self):
        return self.reference or f"Order #{self.pk}"

    def assign_reference(self) -> None:
        """Set ``reference`` from the primary key (``PF-000123``); call once after the first save."""
        self.reference = f"PF-{self.pk:06d}"
        type(self).objects.filter(pk=self.pk).update(reference=self.reference)

    def set_status(self, new: str) -> None:
        """Move to ``new`` through the transition table (raises ``InvalidTransition``); no save."""
        self.status = transition(ORDER_TRANSITIONS, self.status, new)

    def money(self, field: str) -> Money:
        return Money(getattr(self, field), self.currency)

    @property
    def total_money(self) -> Money:
        return self.money("total")

    def get_absolute_url(self) -> str:  # noqa: DJ012
        """The guest-safe link: works for whoever holds the token."""
        return reverse("shop:order_detail", args=[self.token])


class OrderLine(models.Model):
    """A snapshot of one cart line: what, how many, at which unit price."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    purchasable_kind = models.CharField(max_length=30)
    purchasable_key = models.CharField(max_length=100)
    options = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=255)
    description = models.CharField(max_length=255, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    unit_price = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    discount = models.PositiveIntegerField(default=0, help_text=_("Part of the order's discounts on this line."))
    requires_shipping = models.BooleanField(default=False)
    refunded_quantity = models.PositiveIntegerField(default=0)
    refunded_amount = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(refunded_quantity__lte=F("quantity")), name="order_line_refund_le_qty"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.title}"

    @property
    def line_total(self) -> int:
        """``unit_price × quantity`` in minor units, before discounts."""
        return self.unit_price * self.quantity

    def purchasable(self):
        """Resolve the live purchasable behind this line (``NotPurchasable`` if it is gone)."""
        return resolve(self.purchasable_kind, self.purchasable_key, self.options)


class OrderAdjustment(models.Model):
    """A visible line that changes the total: a discount (negative) or a fee (positive)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="adjustments")
    code = models.CharField(max_length=64, help_text=_("Identifier, e.g. 'offer:12' or 'shipping'."))
    label = models.CharField(max_length=255)
    amount = models.IntegerField(help_text=_("Minor units; negative for a discount."))

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.label
