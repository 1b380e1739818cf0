"""Error pages: a true language (URL prefix, else negotiated), the favicon, the 429 page."""
import re

import pytest
from flask import render_template

from loket_gateway.core.pages import pages_blueprint
from loket_gateway.core.rate_limits import limit_address

limited = pages_blueprint("limited_test", __name__)


@limited.get("/<lang>/limited-test/")
@limit_address("1/minute")
def limited_page():
    return render_template("error.html", status=200)


def _page(response) -> tuple[str | None, str | None]:
    """(the ``lang`` attribute, the heading) of an HTML page."""
    text = response.get_data(as_text=True)
    lang = re.search(r'<html lang="([^"]*)"', text)
    heading = re.search(r"<h1>(.*?)</h1>", text)
    return lang and lang.group(1), heading and heading.group(1)


@pytest.mark.parametrize(("path", "accept", "lang", "heading"), [
    ("/de/no-such-page", "en", "de", "Seite nicht gefunden"),
    ("/en/no-such-page", "de", "en", "Page not found"),
    ("/de/appointments/no-such-service/more/", "", "de", "Seite nicht gefunden"),
    # a language the tenant does not offer: the browser's choice among those it offers
    ("/fr/", "fr, en;q=0.5", "en", "Page not found"),
    ("/fr/", "", "de", "Seite nicht gefunden"),
    ("/xx/", "de", "de", "Seite nicht gefunden"),
    ("/zz/appointments/", "en", "en", "Page not found"),
    ("/favicon.ico/", "de", "de", "Seite nicht gefunden"),
])
def test_a_404_page_is_in_a_language_it_really_has(app, path, accept, lang, heading):
    response = app.test_client().get(path, headers={"Accept-Language": accept})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert _page(response) == (lang, heading)
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(("path", "location"), [
    ("/de-DE/", "/de/"),
    ("/de-DE/appointments/?day=2026-12-03", "/de/appointments/?day=2026-12-03"),
    ("/en_GB/appointments/id-card/", "/en/appointments/id-card/"),
    ("/DE/", "/de/"),
    ("/de-DE//evil.example/", "/de//evil.example/"),  # still a path on this host
])
def test_a_regional_variant_of_an_offered_language_redirects_to_it(app, path, location):
    response = app.test_client().get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == location


def test_a_variant_of_a_language_not_offered_and_a_post_are_plain_404s(app):
    client = app.test_client()
    assert client.get("/fr-FR/").status_code == 404
    assert client.post("/de-DE/appointments/id-card/").status_code == 404


def test_the_favicon_is_served_and_cached(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.get_data().startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert response.cache_control.max_age >= 86400
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_name_the_favicon(app, services):
    services.appointments.list_offices.return_value = []
    services.permits.list_permit_types.return_value = []
    page = app.test_client().get("/de/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in page


@pytest.mark.parametrize(("lang", "heading", "wait"), [
    ("de", "Zu viele Anfragen in kurzer Zeit", "Bitte warten Sie"),
    ("en", "Too many requests in a short time", "Please wait"),
])
def test_a_rate_limited_page_says_how_long_to_wait_in_its_language(app, lang, heading, wait):
    app.register_blueprint(limited)
    client = app.test_client()
    assert client.get(f"/{lang}/limited-test/").status_code == 200
    refused = client.get(f"/{lang}/limited-test/")
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    assert _page(refused) == (lang, heading)
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    text = refused.get_data(as_text=True)
    assert f"{wait} {seconds} " in text
    assert refused.headers["X-Frame-Options"] == "DENY"


def test_the_wait_is_told_in_minutes_when_it_is_long(app):
    from flask import g

    from loket_gateway.core.error_pages import wait_text

    with app.test_request_context("/en/"):
        g.lang = "en"
        assert wait_text(1) == "Please wait 1 second, then try again."
        assert wait_text(119) == "Please wait 119 seconds, then try again."
        assert wait_text(121) == "Please wait 3 minutes, then try again."  # rounded up
