"""``python manage.py bootstrap_dev``: what `make run` does before serving.

Loads the demo when the database has no site content yet and makes sure a development
superuser exists, printing its name and password. Refuses to run with DEBUG off.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from wagtail.models import Page

USERNAME = "admin"
EMAIL = "admin@petitfour.example"


class Command(BaseCommand):
    help = "Development only: load the demo on an empty database and ensure a superuser."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("bootstrap_dev is for development (DEBUG=True) only.")
        if not Page.objects.filter(depth__gt=1).exclude(content_type__model="page").exists():
            self.stdout.write("Empty database: loading the Petit Four demo…")
            call_command("load_demo", stdout=self.stdout)
        # Canonical and sitemap URLs name the address the development server listens on.
        call_command("set_site_url", stdout=self.stdout)

        password_file = settings.BASE_DIR / "var" / "dev_admin_password"
        password_file.parent.mkdir(exist_ok=True)
        if not password_file.exists():
            password_file.write_text(get_random_string(16))
        password = password_file.read_text().strip()

        User = get_user_model()
        user, _ = User.objects.get_or_create(username=USERNAME, defaults={"email": EMAIL})
        user.email = EMAIL
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Site:  {settings.SITE_URL}/\n  Admin: {settings.SITE_URL}/admin/\n"
                f"  User:  {USERNAME} (or {EMAIL})\n  Password: {password}\n"
            )
        )
