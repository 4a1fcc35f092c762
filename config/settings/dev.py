"""Development: DEBUG on, mail to the console, a per-checkout secret key kept out of git."""

from django.core.management.utils import get_random_secret_key

from .base import *
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])


def _dev_secret_key():
    """Read (or create once) ``var/dev_secret_key`` so sessions survive restarts."""
    path = BASE_DIR / "var" / "dev_secret_key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="") or _dev_secret_key()

# Plain static storage: no collectstatic needed while developing.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# localstripe, started by `make run`, plays Stripe on this port.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="http://127.0.0.1:8420/js.stripe.com/v3/")
CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"].append("http://127.0.0.1:8420")
CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append("http://127.0.0.1:8420")
CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"].append("http://127.0.0.1:8420")

# The "Petit Four" demo (load_demo, bootstrap_dev) is a development tool, not part of the product.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
