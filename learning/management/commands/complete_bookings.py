"""``python manage.py complete_bookings``: mark confirmed bookings that have ended ``completed``."""

from django.core.management.base import BaseCommand

from learning.booking import complete_past_bookings


class Command(BaseCommand):
    help = "Mark confirmed bookings whose end has passed as completed (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{complete_past_bookings()} booking(s) completed.")
