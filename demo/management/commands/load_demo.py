"""``python manage.py load_demo``: build the Petit Four demo site; running it again changes nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import learning, marketing, offers, shop, site
from demo.site import order_menu

# Each part of the demo has a module with ``build(stdout)``; they run in this order because
# later ones place blocks that point at pages the earlier ones created.
DEMO_MODULES = [site, shop, offers, learning, marketing]


class Command(BaseCommand):
    help = "Create or update the Petit Four demo site (pages, images, products, courses)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in DEMO_MODULES:
                module.build(self.stdout)
            # Last: every app's index page exists now, so the main menu can be put in order.
            order_menu(self.stdout)
        # The search index is complete when this returns, whatever the settings: production
        # queues index updates as tasks for the worker, so search would find nothing until then.
        call_command("update_index", verbosity=0, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Petit Four demo is ready."))
