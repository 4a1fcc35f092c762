"""In a real browser (phone and desktop): search from the results page, filter by type, and sign
up to the newsletter from the footer. Screenshots go to test-artifacts/."""

import pytest

from marketing.models import Subscriber
from marketing.tests.helpers import make_blog, make_site
from shop.tests.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_search_and_footer_signup(live_server, chromium, artifacts_dir, viewport, settings):
    settings.MAILCHIMP_API_KEY = ""

    home = make_site()
    make_product("Pistachio macaron box", variants=[{"name": "Box of 12", "sku": "MAC-PIS-12", "price": 2400}])
    make_blog(home, title="Why macaron shells crack")
    page = chromium.new_page(viewport=viewport)
    try:
        page.goto(f"{live_server.url}/search/?q=macaron")
        assert page.locator(".search-result").count() == 2
        page.locator(".search-tabs a", has_text="Products").click()
        page.wait_for_load_state()
        assert page.locator(".search-result__title").all_inner_texts() == ["Pistachio macaron box"]
        page.screenshot(path=str(artifacts_dir / f"search-{viewport['width']}.png"), full_page=True)

        page.fill("#nl-footer-email", "browser@example.com")
        page.check(".nl-footer input[name=consent]")
        page.locator(".nl-footer button[type=submit]").click()
        page.wait_for_load_state()
        assert "check your inbox" in page.locator(".messages").inner_text()
        page.screenshot(path=str(artifacts_dir / f"newsletter-signup-{viewport['width']}.png"))
    finally:
        page.close()
    assert Subscriber.objects.get().email == "browser@example.com"
