"""End-to-end fixtures: the whole system, started the way ``make run`` starts it."""
import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.local.infra import delete_vhost, free_port, isolated_vhost
from deploy.local.system import System
from loket_common.settings import DEFAULT_AMQP_URI

from .mailbox import Mailbox

MANAGEMENT = os.environ.get("RABBIT_CTL_URI", "http://guest:guest@127.0.0.1:15672")


@contextmanager
def started_system(mail_smtp_port: int = 0, **extra_env: str):
    """The system on free ports, its own database and its own vhost (nothing shared).

    ``extra_env`` adds to (or changes) the test settings below, e.g. a short rate limit;
    ``mail_smtp_port`` is the mail catcher's (a free one by default), for a test that names
    it in its own ``NOTIFICATIONS_SMTP_RELAYS``.
    """
    var_dir = Path(tempfile.mkdtemp(prefix="loket-e2e-"))
    vhost = f"loket-e2e-{uuid.uuid4().hex[:8]}"
    amqp_uri = isolated_vhost(os.environ.get("AMQP_URI", DEFAULT_AMQP_URI), MANAGEMENT, vhost)
    running = System(var_dir=var_dir, gateway_port=free_port(), mongo_port=free_port(),
                     idp_port=free_port(), amqp_uri=amqp_uri,  # mail ports: free ones
                     mail_smtp_port=mail_smtp_port,
                     # Every test client shares 127.0.0.1, so the per-client hold limit
                     # is lifted here (the service tests check it).
                     # Test clients name their address in X-Forwarded-For (booking_client.py).
                     # The booking limits per address and network and the rising proof of
                     # work spare the test clients' own networks (loopback: the browser;
                     # 10/8: booking_client.address); tests/security/test_bots.py uses others.
                     extra_env={"OUTBOX_POLL_SECONDS": "0.1", "HOLDS_PER_CLIENT": "1000",
                                "LOKET_TRUSTED_PROXIES": "1",
                                "RATE_LIMIT_EXEMPT_NETWORKS": "127.0.0.0/8,10.0.0.0/8",
                                # A message that met a relay outage is tried again soon.
                                "NOTIFICATIONS_RETRY_FIRST_SECONDS": "1",
                                "NOTIFICATIONS_RETRY_MAX_SECONDS": "5",
                                **extra_env})
    running.start()
    try:
        yield running
    finally:
        running.stop()
        delete_vhost(MANAGEMENT, vhost)
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def system():
    """The system as ``make run`` starts it, for the whole session."""
    # Staff and residents sign in through the development identity provider:
    # system.token_for("erika") (tenant admin), "clara" (counter staff), "david" (case worker).
    with started_system() as running:
        yield running


@pytest.fixture(scope="session")
def mailbox(system):
    """The development mail catcher of ``system``: ``mailbox.wait_for_one(address)`` (mailbox.py).

    Use an address of the test's own (e.g. ``f"anna+{uuid.uuid4().hex[:8]}@example.org"``);
    ``system.stop_mail_catcher()`` / ``system.start_mail_catcher()`` take the relay down and up.
    """
    return Mailbox(system.mailbox_url)


@pytest.fixture(scope="session")
def statistics_release(system):
    """A past month of ``system`` counted and published by the operator's command, once a
    session (``statistics_support.publish_past_month``): the month and its counts."""
    from .statistics_support import publish_past_month

    return publish_past_month(system)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (module-wide: starting it costs about a second)."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watched_page(browser, system, javascript: bool):
    """A fresh page whose requests must all stay on the local system (the gateway, and the
    development identity provider and mailbox, whose pages are part of it)."""
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((system.url + "/", system.idp_url + "/",
                                           system.mailbox_url + "/")) else None)
    return context, page, outside


@pytest.fixture
def page(browser, system):
    """A page with JavaScript."""
    context, page, outside = _watched_page(browser, system, javascript=True)
    yield page
    context.close()
    assert outside == [], f"requests left the local system: {outside}"


@pytest.fixture
def page_without_js(browser, system):
    """A page with JavaScript switched off."""
    context, page, outside = _watched_page(browser, system, javascript=False)
    yield page
    context.close()
    assert outside == [], f"requests left the local system: {outside}"
