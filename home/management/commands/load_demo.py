"""``python manage.py load_demo``: build the Petit Four demo site; running it again changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app owns a ``demo`` module with ``build(stdout)``; they run in this order because
# later ones place blocks that point at pages the earlier ones created.
DEMO_MODULES = ["home.demo", "shop.demo", "shop.demo_offers", "learning.demo", "home.demo_marketing"]


class Command(BaseCommand):
    help = "Create or update the Petit Four demo site (pages, images, products, courses)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.build(self.stdout)
            # Last: every app's index page exists now, so the main menu can be put in order.
            from home.demo import order_menu

            order_menu(self.stdout)
        self.stdout.write(self.style.SUCCESS("Petit Four demo is ready."))
