"""Issue 12, pages: unknown language prefixes, the favicon, localized 404 and 429 pages, the
rate-limit store.

Against the system as ``make run`` starts it, over real HTTP. The rate-limit tests need a
limit short enough to wait for: they start the same system once more, with
``RATE_LIMIT_SEARCH=2/2second`` (the shared ``system``'s limits stay as every other test
needs them). Its counts live in its MongoDB (``RATE_LIMIT_STORAGE_URI``), read here raw.
"""
import re
import time

import pytest
import requests
from pymongo import MongoClient

from loket_gateway.core.rate_limits import MONGO_DATABASE

from ..booking_client import API
from ..conftest import started_system

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                    "Referrer-Policy", "Strict-Transport-Security")
SEARCH_PAGE = "/{lang}/appointments/id-card/"


@pytest.fixture(scope="module")
def limited_system():
    """The system again, with availability searches limited to 2 per 2 seconds."""
    with started_system(RATE_LIMIT_SEARCH="2/2second") as running:
        yield running


def _get(system, path, client="10.12.0.1", **headers):
    return requests.get(system.url + path, timeout=30, allow_redirects=False,
                        headers={"X-Forwarded-For": client, **headers})


def _page(response) -> tuple[str | None, str | None]:
    """(``<html lang>``, the first heading) of an HTML answer."""
    lang = re.search(r'<html lang="([^"]*)"', response.text)
    heading = re.search(r"<h1>(.*?)</h1>", response.text)
    return lang and lang.group(1), heading and heading.group(1)


def _assert_secured(response) -> None:
    missing = [name for name in SECURITY_HEADERS if name not in response.headers]
    assert missing == [], missing


@pytest.mark.parametrize(("path", "accept", "lang", "heading"), [
    ("/xx/", "de", "de", "Seite nicht gefunden"),
    ("/xx/", "en", "en", "Page not found"),
    ("/zz/appointments/", "de-DE,de;q=0.9", "de", "Seite nicht gefunden"),
    ("/favicon.ico/", "en", "en", "Page not found"),
    ("/de/no-such-page", "en", "de", "Seite nicht gefunden"),
    ("/en/no-such-page", "de", "en", "Page not found"),
    # French is not offered: no English marked lang="fr", but a language the page has
    ("/fr/", "fr", "de", "Seite nicht gefunden"),
    ("/fr/appointments/", "fr, en;q=0.8", "en", "Page not found"),
])
def test_an_unknown_page_is_a_404_in_a_language_it_really_has(system, path, accept, lang,
                                                              heading):
    response = _get(system, path, **{"Accept-Language": accept})
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert _page(response) == (lang, heading)
    _assert_secured(response)


def test_a_regional_language_prefix_leads_to_the_language(system):
    moved = _get(system, "/de-DE/appointments/")
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/de/appointments/"
    landed = requests.get(system.url + "/de-DE/", timeout=30)
    assert landed.status_code == 200
    assert landed.url == system.url + "/de/"
    assert _page(landed)[0] == "de"


def test_the_favicon_is_self_hosted_and_cached(system):
    icon = _get(system, "/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert icon.content.startswith(b"\x00\x00\x01\x00")
    assert "max-age=604800" in icon.headers["Cache-Control"]
    again = _get(system, "/favicon.ico", **{"If-None-Match": icon.headers["ETag"]})
    assert again.status_code == 304
    home = _get(system, "/de/")
    assert '<link rel="icon" href="/favicon.ico"' in home.text


def _refused(system, path, client):
    """Search until the limit refuses (2 per 2 s); the refusal."""
    for _ in range(5):
        response = _get(system, path, client)
        if response.status_code == 429:
            return response
        assert response.status_code == 200, response.text
    raise AssertionError("the search limit never refused")


@pytest.mark.parametrize(("lang", "client", "heading", "wait"), [
    ("de", "10.12.1.1", "Zu viele Anfragen in kurzer Zeit", "Bitte warten Sie {} Sekunde"),
    ("en", "10.12.1.2", "Too many requests in a short time", "Please wait {} second"),
])
def test_a_rate_limited_page_says_in_its_language_how_long_and_that_wait_is_enough(
        limited_system, lang, client, heading, wait):
    refused = _refused(limited_system, SEARCH_PAGE.format(lang=lang), client)
    assert refused.headers["Content-Type"].startswith("text/html")
    assert _page(refused) == (lang, heading)
    _assert_secured(refused)
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 2
    assert wait.format(seconds) in refused.text
    time.sleep(seconds)  # the wait told, no more
    assert _get(limited_system, SEARCH_PAGE.format(lang=lang), client).status_code == 200


def test_the_api_keeps_problem_json_and_its_retry_after_holds(limited_system):
    path = API + "/slots?service_id=id-card"
    refused = _refused(limited_system, path, "10.12.1.3")
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    seconds = int(refused.headers["Retry-After"])
    time.sleep(seconds)
    assert _get(limited_system, path, "10.12.1.3").status_code == 200


def test_the_rate_limit_store_holds_no_client_address(limited_system):
    clients = ["10.12.2.1", "10.12.2.2"]
    for client in clients:
        _refused(limited_system, SEARCH_PAGE.format(lang="de"), client)
        _get(limited_system, API + "/slots?service_id=id-card", client)
    mongo = MongoClient(limited_system.mongo_uri)
    try:
        database = mongo[MONGO_DATABASE]
        stored = [repr(document) for name in database.list_collection_names()
                  for document in database[name].find()]
    finally:
        mongo.close()
    assert len(stored) >= len(clients)
    leaked = [text for text in stored if any(client in text for client in clients)
              or "127.0.0.1" in text or re.search(r"\d+\.\d+\.\d+\.\d+", text)]
    assert leaked == []
