"""axe-core's WCAG 2.1 AA audit of every email template in headless Chromium, at 320 px wide.

In the end-to-end suite (no eventlet, no asyncio loop of the service tests' relays), beside
the pages' audit in test_accessibility.py.
"""
import pytest
from playwright.sync_api import sync_playwright

from loket_contracts.notifications.schemas import KINDS
from loket_notifications.rendering import Renderer
from loket_notifications.rendering.samples import SAMPLE_TENANT, sample_context

from .browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag",
                       "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


@pytest.fixture(scope="module")
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=True,
                                      viewport={"width": 320, "height": 640})
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.requests = requests
        yield page
        browser.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_email_passes_axe_and_fits_a_small_screen(page, language):
    from axe_playwright_python.sync_playwright import Axe

    renderer = Renderer()
    for kind in KINDS:
        html = renderer.render(kind, language, SAMPLE_TENANT,
                               sample_context(kind, language)).html
        page.set_content(html)
        results = Axe().run(page, options=WCAG_AA)
        assert results.violations_count == 0, f"{kind}\n{results.generate_report()}"
        # One column that reflows: nothing wider than the 320 px screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, kind
    assert page.requests == []  # no image, font or stylesheet was fetched
