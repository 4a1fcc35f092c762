"""Carts: one row per visitor (anonymous carts are found through the session, signed-in ones by user).

A line stores only *what* and *how many* — ``(purchasable_kind, purchasable_key, options,
quantity)``; title, price and availability are always asked of the purchasable
(:func:`shop.purchasable.resolve`) when the cart is priced, never stored or taken from a form.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Cart", "CartLine"]


class Cart(models.Model):
    """A visitor's cart. ``user`` is set for signed-in customers (one cart each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart"
    )
    coupon_code = models.CharField(max_length=50, blank=True, help_text=_("Code entered by the customer."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Cart #{self.pk}"


class CartLine(models.Model):
    """``quantity`` units of one purchasable; one line per (kind, key) in a cart."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    purchasable_kind = models.CharField(max_length=30)
    purchasable_key = models.CharField(max_length=100)
    options = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "purchasable_kind", "purchasable_key"], name="cart_line_unique_item"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.purchasable_kind}:{self.purchasable_key}"
