"""Varnish (the stand-in CDN, ``deploy/varnish.vcl``) in front of the site, for real.

The demo site is served by pytest-django's live server; Varnish runs from Debian's ``varnish``
package on a free port (``.ci/run`` installs it when missing; the test is skipped with one line
when ``varnishd`` is absent). ``WAGTAILFRONTENDCACHE`` points wagtail.contrib.frontend_cache's
HTTP backend at Varnish, exactly as ``FRONTEND_CACHE_PURGE_URL`` does in production.
"""

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

from home.models import HomePage
from home.tests.factories import ensure_root

pytestmark = pytest.mark.varnish

VCL = Path(__file__).resolve().parents[1] / "deploy" / "varnish.vcl"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path):
    """A Varnish in front of the live server; yields its base URL."""
    varnishd = shutil.which("varnishd") or ("/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None)
    if varnishd is None:
        pytest.skip("varnishd not found (apt-get install varnish; .ci/run does it)")
    backend = live_server.url.split("//", 1)[1]
    host, port = backend.rsplit(":", 1)
    vcl = tmp_path / "site.vcl"
    vcl.write_text(VCL.read_text().replace("BACKEND_HOST", host).replace("BACKEND_PORT", port))
    listen = free_port()
    workdir = tempfile.mkdtemp(prefix="varnish-", dir="/tmp")
    proc = subprocess.Popen(
        [varnishd, "-F", "-j", "none", "-n", workdir, "-a", f"127.0.0.1:{listen}", "-f", str(vcl), "-s", "malloc,32m"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{listen}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", listen), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("varnishd did not start: " + proc.stdout.read().decode()[-2000:])
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def fetch(url, host, cookie=""):
    """(status, headers, body) of a GET through Varnish with the site's Host header."""
    headers = {"Host": host, "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as r:
        return r.status, r.headers, r.read().decode()


# serialized_rollback: an earlier transactional test may have flushed the rows Wagtail's own
# migrations create (root page, root collection, locale), which the demo builds on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_varnish_serves_shared_pages_purges_on_publish_and_never_shares_signed_in_pages(varnish, settings):
    settings.PAGE_CACHE_SECONDS = 3600  # off by default in the test settings
    ensure_root()  # an earlier transactional test may have flushed what Wagtail's migrations made
    call_command("load_demo", stdout=open("/dev/null", "w"))
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish}
    }
    site = Site.objects.get(is_default_site=True)
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    home = HomePage.objects.live().get(pk=site.root_page_id)

    status, headers, first = fetch(varnish + "/", host)
    assert status == 200 and headers["X-Varnish-Cache"] == "miss"
    assert "public" in headers["Cache-Control"] and "s-maxage=" in headers["Cache-Control"]
    status, headers, second = fetch(varnish + "/", host)
    assert headers["X-Varnish-Cache"] == "hit" and second == first
    assert "csrfmiddlewaretoken" not in second  # nothing per visitor in the shared copy

    # Publish a change: Wagtail's frontend-cache backend purges Varnish after the commit.
    home.title = "Petit Four, freshly baked"
    home.seo_title = "Freshly baked at Petit Four"
    revision = home.save_revision()
    revision.publish()
    status, headers, after = fetch(varnish + "/", host)
    assert "Freshly baked at Petit Four" in after and headers["X-Varnish-Cache"] == "miss"
    status, headers, again = fetch(varnish + "/", host)
    assert headers["X-Varnish-Cache"] == "hit" and "Freshly baked at Petit Four" in again

    # A signed-in customer always reaches the site and gets a private page of their own.
    customer = get_user_model().objects.create_user("varnish@example.com", "varnish@example.com", "pw-12345678")
    client = Client()
    client.force_login(customer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    for _ in range(2):
        status, headers, mine = fetch(varnish + "/", host, cookie=cookie)
        assert status == 200 and headers["X-Varnish-Cache"] == "miss"
        assert headers["Cache-Control"].startswith("private")
        assert "csrfmiddlewaretoken" in mine or "data-account-label>Account<" in mine
    assert ">Account<" in mine
