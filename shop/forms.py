"""Forms of the shop: checkout contact / fulfilment / address.

No form carries a price, a total or a currency: the server prices everything (shop.pricing).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop.models.orders import ShippingMethod


class CheckoutForm(forms.Form):
    """Contact details, then a fulfilment method and an address when the cart needs them.

    ``requires_shipping`` (from the priced cart) decides whether the shipping method and
    address fields exist at all: a digital-only or seat-only cart asks for neither.
    """

    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    shipping_method = forms.ModelChoiceField(
        label=_("How would you like to receive it?"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    address_line1 = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = forms.CharField(
        label=_("Address line 2 (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)

    ADDRESS_FIELDS = ("address_line1", "address_line2", "postcode", "city", "country")
    REQUIRED_ADDRESS_FIELDS = ("address_line1", "postcode", "city", "country")

    def __init__(self, *args, requires_shipping: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.requires_shipping = requires_shipping
        if requires_shipping:
            self.fields["shipping_method"].queryset = ShippingMethod.objects.filter(active=True)
            self.fields["country"].widget.attrs["autocomplete"] = "country"
        else:
            for name in ("shipping_method", *self.ADDRESS_FIELDS):
                del self.fields[name]

    @property
    def address_fields(self):
        return [self[name] for name in self.ADDRESS_FIELDS if name in self.fields]

    @property
    def methods_requiring_address(self) -> str:
        """Space-separated ids of methods that need an address (read by checkout.js via data-*)."""
        if not self.requires_shipping:
            return ""
        return " ".join(str(m.pk) for m in self.fields["shipping_method"].queryset if m.requires_address)

    def clean(self):
        data = super().clean()
        method = data.get("shipping_method")
        if self.requires_shipping and method is not None and method.requires_address:
            for name in self.REQUIRED_ADDRESS_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Needed for delivery."))
        elif self.requires_shipping:
            for name in self.ADDRESS_FIELDS:
                data[name] = ""
        return data
