"""``python manage.py release_expired_holds``: release lapsed holds and cancel unpaid stale orders.

The scheduler process runs it every minute (``base.scheduling``); run it by hand when needed. Availability already ignores expired
holds, so this only tidies up and cancels the orders (see :func:`shop.payments.expiry.release_expired_holds`).
"""

from django.core.management.base import BaseCommand

from shop.payments.expiry import release_expired_holds


class Command(BaseCommand):
    help = "Release expired stock holds and cancel unpaid orders whose hold time has passed."

    def handle(self, *args, **options):
        result = release_expired_holds()
        if options["verbosity"]:
            self.stdout.write(
                f"{result['orders_cancelled']} order(s) cancelled, {result['holds_released']} hold(s) released."
            )
