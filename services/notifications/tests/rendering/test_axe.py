"""axe-core's WCAG 2.1 AA audit of every email in headless Chromium, at 320 px wide."""
import shutil

import pytest

from loket_contracts.notifications.schemas import KINDS
from loket_notifications.rendering import Renderer
from loket_notifications.rendering.samples import SAMPLE_TENANT, sample_context

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_AA = {"runOnly": {"type": "tag",
                       "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


@pytest.fixture(scope="module")
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
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
