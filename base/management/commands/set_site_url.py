"""``python manage.py set_site_url [URL]``: point the default Wagtail Site at the public address.

Run by the release step after ``migrate`` (Procfile), by ``bootstrap_dev`` (``make run``) and by
``load_demo``. Without an argument it uses ``settings.SITE_URL``. See ``base.site_url``.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from base.site_url import apply_site_url, site_root_url


class Command(BaseCommand):
    help = "Set the default Site's hostname and port from SITE_URL (or the URL given)."

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="e.g. https://shop.example.com (default: settings.SITE_URL)")

    def handle(self, *args, url=None, **options):
        try:
            site = apply_site_url(url)
            root = site_root_url(url)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if site is None:
            self.stdout.write("No default Site yet: nothing to update.")
        else:
            self.stdout.write(f"Site {site.site_name or site.pk}: {root}/")
