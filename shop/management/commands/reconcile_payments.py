"""``manage.py reconcile_payments [--days N]``: ask Stripe about recent unpaid orders and pending
refunds and apply what it says (the scheduler runs it every 10 minutes)."""

from django.core.management.base import BaseCommand

from shop.payments.reconcile import reconcile_payments


class Command(BaseCommand):
    help = "Apply Stripe's state of recent unpaid orders and pending refunds (missed webhooks)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="How far back (default: RECONCILE_DAYS).")

    def handle(self, *args, **options):
        counts = reconcile_payments(days=options["days"])
        self.stdout.write(", ".join(f"{key}={value}" for key, value in counts.items()))
