"""The open data: index (HTML and JSON), releases, files with ETag and immutable caching."""
from unittest.mock import call

import pytest
from nameko.exceptions import RemoteError

from loket_common.errors import NotFound

from . import statistics_answers as answers
from .conftest import remote

BEISPIELSTADT = {"base_url": "http://beispielstadt.localhost"}


@pytest.fixture
def statistics(services):
    fake = services.statistics
    fake.list_releases.return_value = answers.releases()
    fake.get_release.side_effect = lambda tenant, number: answers.releases()[3 - number]
    fake.release_file.side_effect = lambda tenant, number, name: answers.release_file(
        name, number)
    return fake


def test_the_index_lists_every_release_with_its_hashes_in_german(client, statistics):
    page = client.get("/open-data/musterstadt/", headers={"Accept-Language": "de-DE,de"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="de"' in html and "Offene Daten: Stadt Musterstadt" in html
    assert "Ausgabe 3: Oktober 2026" in html and "Ausgabe 1: September 2026" in html
    assert answers.SHA["statistics.csv"] in html
    assert "Doppelt gezählte Buchungen" in html and "keiner (die erste Ausgabe)" in html
    assert "Durch eine spätere Ausgabe korrigiert" in html
    assert ('href="http://localhost/open-data/musterstadt/releases/3/statistics.csv"'
            in html)
    assert page.headers["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in page.headers["Vary"]
    assert "Abmelden" not in html and "csrf_token" not in html  # nothing of a session


def test_the_index_in_english_by_query_or_browser(client, statistics):
    by_query = client.get("/open-data/musterstadt/?lang=en").get_data(as_text=True)
    by_browser = client.get("/open-data/musterstadt/",
                            headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    for html in (by_query, by_browser):
        assert '<html lang="en"' in html and "Release 3: October 2026" in html
        assert "Corrected by a later release" in html


def test_the_index_as_json_is_the_chain(client, statistics):
    answer = client.get("/open-data/musterstadt/index.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["tenant"] == "musterstadt" and body["latest"] == 3
    assert [release["number"] for release in body["releases"]] == [3, 2, 1]
    assert body["releases"][0]["previous_hash"] == body["releases"][1]["release_hash"]
    assert body["releases"][0]["url"] == "http://localhost/open-data/musterstadt/releases/3/"
    assert body["releases"][0]["files"][0]["url"].endswith("/releases/3/statistics.csv")
    assert answer.headers["Cache-Control"] == "public, max-age=300"


def test_one_release_page(client, statistics):
    html = client.get("/open-data/musterstadt/releases/1/?lang=en").get_data(as_text=True)
    assert "Release 1: September 2026" in html and answers.SHA["dcat.ttl"] in html
    assert statistics.get_release.call_args == call("musterstadt", 1)


def test_a_file_is_immutable_with_its_sha256_as_etag_and_304(client, statistics):
    answer = client.get("/open-data/musterstadt/releases/2/statistics.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["ETag"] == f'"{answers.SHA["statistics.csv"]}"'
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "2026-10,appointments:id-card,online,62" in answer.get_data(as_text=True)
    again = client.get("/open-data/musterstadt/releases/2/statistics.csv",
                       headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/open-data/musterstadt/releases/2/statistics.csv",
                       headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert statistics.release_file.call_args == call("musterstadt", 2, "statistics.csv")


@pytest.mark.parametrize("name", ["datapackage.json", "dcat.ttl", "dcat.rdf",
                                  "statistics.json"])
def test_each_file_has_its_media_type(client, statistics, name):
    answer = client.get(f"/open-data/musterstadt/releases/1/{name}")
    from loket_contracts.statistics.schemas import MEDIA_TYPES
    assert answer.headers["Content-Type"] == MEDIA_TYPES[name]


def test_latest_is_the_newest_months_current_release_briefly_cached(client, statistics):
    answer = client.get("/open-data/musterstadt/latest/statistics.csv")
    assert answer.status_code == 200 and "# release 3" in answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert answer.headers["ETag"] == f'"{answers.SHA["statistics.csv"]}"'


def test_latest_without_releases_is_404(client, services):
    services.statistics.list_releases.return_value = []
    assert client.get("/open-data/musterstadt/latest/statistics.csv").status_code == 404


@pytest.mark.parametrize("path", ["/open-data/nowhere/", "/open-data/nowhere/index.json",
                                  "/open-data/musterstadt/releases/1/passwords.txt",
                                  "/open-data/musterstadt/latest/passwords.txt",
                                  "/open-data/musterstadt/releases/x/"])
def test_unknown_tenants_and_files_are_404_without_a_call(client, services, path):
    assert client.get(path).status_code == 404
    assert services.mock_calls == []


def test_an_unknown_release_is_404(client, services):
    services.statistics.get_release.side_effect = remote(NotFound("No release 9."))
    services.statistics.release_file.side_effect = remote(NotFound("No release 9."))
    assert client.get("/open-data/musterstadt/releases/9/").status_code == 404
    assert client.get("/open-data/musterstadt/releases/9/statistics.csv").status_code == 404


def test_another_tenants_data_moves_to_its_own_address(client, services):
    answer = client.get("/open-data/beispielstadt/index.json?x=1")
    assert answer.status_code == 308
    assert answer.headers["Location"] == ("http://beispielstadt.localhost/open-data/"
                                          "beispielstadt/index.json?x=1")
    assert services.mock_calls == []


def test_a_service_failure_is_not_a_500(client, services):
    services.statistics.list_releases.side_effect = RemoteError("KeyError", "boom")
    assert client.get("/open-data/musterstadt/index.json").status_code == 502
