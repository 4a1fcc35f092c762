from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self):
        # Receivers and purchasable kinds import models: only once the app registry is ready.
        from base import cache, scheduling  # noqa: PLC0415
        from shop import cart, guest_orders, signals  # noqa: F401, PLC0415 - cart merge at sign-in; guest orders join accounts
        from shop.catalogue import purchasables  # noqa: F401, PLC0415 - registers the "variant" purchasable kind
        from shop.offers import receivers  # noqa: F401, PLC0415 - order_paid → coupon usage, download entitlements
        from shop.payments import expiry  # noqa: PLC0415 - imports models

        signals.order_paid.connect(cache.bump, dispatch_uid="base-blocks-order-paid")
        signals.order_refunded.connect(cache.bump, dispatch_uid="base-blocks-order-refunded")
        scheduling.register("release_expired_holds", expiry.release_expired_holds, cron="* * * * *")
