from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self):
        from shop import purchasables  # noqa: F401 - registers the "variant" purchasable kind
        from shop import cart  # noqa: F401 - connects the cart merge at sign-in (user_logged_in)
        from shop import receivers_offers  # noqa: F401 - order_paid → coupon usage, download entitlements
        from shop import guest_orders  # noqa: F401 - guest orders join the account with that verified email
