"""axe-core in headless Chromium on every page, in both languages: zero violations."""
import pytest

from .browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_home_page_has_no_axe_violations(page, system, lang):
    page.goto(f"{system.url}/{lang}/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


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
