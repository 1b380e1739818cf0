"""Headless Chromium for the browser tests, and axe-core's WCAG 2.1 AA check."""
import shutil

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WCAG_AA = {"runOnly": {"type": "tag",
                       "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 AA (or best-practice) violation on ``page``."""
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page, system, username: str, level: str | None = None, lang: str = "en",
            staff: bool | None = None) -> None:
    """Sign ``username`` in through the development identity provider's page, at ``level``.

    Starts at the gateway's sign-in (staff: ``/<lang>/staff/``) unless ``page`` is already
    on the provider's page (a step-up or an expired session led there); ends back on the
    gateway.
    """
    from deploy.local.dev_identity_provider import load_users

    user = load_users()[0][username]
    staff = user.audience == "staff" if staff is None else staff
    if not page.url.startswith(system.idp_url):
        page.goto(f"{system.url}/{lang}/staff/" if staff else f"{system.url}/{lang}/sign-in")
    assert page.url.startswith(system.idp_url + "/authorize"), page.url
    page.locator(f"#user-{username}").check()
    if not staff:  # default: the highest level the user's means reach
        page.locator(f"#level-{level or user.level}").check()
    page.get_by_role("button").click()
    page.wait_for_url(lambda url: url.startswith(system.url))
