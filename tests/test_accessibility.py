"""axe-core in headless Chromium on the home page in both languages: zero violations."""
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_AA = {"runOnly": {"type": "tag",
                       "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, system):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(system.url) else None)
    yield page
    context.close()
    assert outside == [], f"requests left the gateway: {outside}"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_home_page_has_no_axe_violations(page, system, lang):
    page.goto(f"{system.url}/{lang}/")
    assert page.locator("h1").count() == 1
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_language_switch_and_skip_link_work_with_the_keyboard(page, system):
    page.goto(f"{system.url}/de/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_home_page_works_without_javascript(browser, system):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{system.url}/")
    assert page.url.endswith(("/de/", "/en/"))
    assert page.get_by_role("heading", level=1).is_visible()
    context.close()
