"""The home page in headless Chromium on a phone and a desktop: the menu works; screenshots saved."""

import pytest

from .factories import build_site

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_menu_on_phone_and_desktop(live_server, chromium, artifacts_dir):
    build_site()

    # Phone: the menu is folded behind the hamburger button.
    page = chromium.new_page(viewport=PHONE)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    toggle = page.locator("[data-nav-toggle]")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-nav").is_visible()
    page.screenshot(path=str(artifacts_dir / "home-phone.png"), full_page=True)
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    menu_link = page.locator("#site-nav").get_by_role("link", name="Journal")
    assert menu_link.is_visible()
    page.screenshot(path=str(artifacts_dir / "home-phone-menu-open.png"))
    menu_link.click()
    page.wait_for_url(live_server.url + "/journal/")
    assert page.locator("h1").inner_text() == "Journal"
    assert errors == []
    page.close()

    # Desktop: the menu is always shown, no hamburger.
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(live_server.url + "/")
    assert not page.locator("[data-nav-toggle]").is_visible()
    page.screenshot(path=str(artifacts_dir / "home-desktop.png"), full_page=True)
    page.locator("nav[aria-label=Main]").get_by_role("link", name="About us").click()
    page.wait_for_url(live_server.url + "/about/")
    assert page.locator("h1").inner_text() == "About us"
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "About us"
    page.close()
