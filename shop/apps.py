from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from base import page_cache


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self):
        # Receivers and purchasable kinds import models: only once the app registry is ready.
        from base import scheduling  # noqa: PLC0415
        from shop import cart, guest_orders, signals  # noqa: F401, PLC0415 - cart merge at sign-in; guest orders join accounts
        from shop.catalogue import purchasables, purges  # noqa: F401, PLC0415 - "variant" kind; purge receivers
        from shop.catalogue.models import ProductVariant, StockHold  # noqa: PLC0415 - receivers below
        from shop.offers import receivers, timing  # noqa: F401, PLC0415 - order_paid → coupon usage, download entitlements
        from shop.offers.models import Offer  # noqa: PLC0415 - models need a ready registry
        from shop.payments import expiry, reconcile  # noqa: PLC0415 - imports models

        scheduling.register("release_expired_holds", expiry.release_expired_holds, cron="* * * * *")
        # Availability changed: purge only the cached pages that show these products.
        signals.order_paid.connect(purges.purge_order_products, dispatch_uid="shop-purge-order-paid")
        signals.order_refunded.connect(purges.purge_order_products, dispatch_uid="shop-purge-order-refunded")
        for model, receiver in ((StockHold, purges.purge_hold_product), (ProductVariant, purges.purge_variant_product)):
            post_save.connect(receiver, sender=model, dispatch_uid=f"shop-purge-save-{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"shop-purge-delete-{model.__name__}")
        # An offer starting or ending changes prices and banners with no signal: pages expire then.
        page_cache.add_expiry_source(timing.seconds_until_next_change)
        post_save.connect(timing.forget, sender=Offer, dispatch_uid="shop-offers-timing-save")
        post_delete.connect(timing.forget, sender=Offer, dispatch_uid="shop-offers-timing-delete")
        scheduling.register("reconcile_payments", reconcile.reconcile_payments, cron="*/10 * * * *")
