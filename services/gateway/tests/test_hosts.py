"""Host names and public URLs (issue 12): only configured hosts are served, links come from
each tenant's public URL (``core/tenants.py``, ``core/hosts.py``)."""
from pathlib import Path

import pytest

from loket_common.settings import SettingsError
from loket_gateway.app import create_app
from loket_gateway.core.settings import DEFAULT_TENANTS_FILE
from loket_gateway.core.tenants import TenantRegistry, checked_public_url, host_name, tenant_url

from . import answers
from .conftest import test_settings as gateway_settings

API = "/api/v1/tenants/musterstadt"
CONTACT = {"name": "Anna Schmidt", "email": "anna.schmidt@example.org", "language": "en"}
ENV = {"LOKET_MUSTERSTADT_PUBLIC_URL": "https://termine.musterstadt.example",
       "LOKET_BEISPIELSTADT_PUBLIC_URL": "https://termine.beispielstadt.example:8443"}


def registry(text: str, path: Path) -> TenantRegistry:
    """The registry of a tenants file with ``text``, written to ``path``."""
    path.write_text(text, encoding="utf-8")
    return TenantRegistry.from_file(path, {})


TENANT = """
tenants:
  - id: t1
    {url}
    hosts: [{hosts}]
    name: {{de: T1}}
"""


@pytest.mark.parametrize(("given", "kept"), [
    ("https://Termine.Example.org", "https://termine.example.org"),
    ("https://termine.example.org/", "https://termine.example.org"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("http://[::1]:8000", "http://[::1]:8000"),
])
def test_a_public_url_is_kept_as_scheme_host_and_port(given, kept):
    assert checked_public_url("t1", given) == kept


@pytest.mark.parametrize("bad", [
    "termine.example.org", "ftp://termine.example.org", "https://", "https://a:99999",
    "https://user@termine.example.org", "https://termine.example.org/loket",
    "https://termine.example.org?x=1", "https://termine.example.org#top",
])
def test_anything_else_stops_the_start_naming_the_tenant(bad):
    with pytest.raises(SystemExit, match="tenant t1"):
        checked_public_url("t1", bad)


@pytest.mark.parametrize(("header", "name"), [
    ("Localhost:8000", "localhost"), ("localhost", "localhost"), ("[::1]:8000", "::1"),
    ("evil.example", "evil.example"), ("127.0.0.1:1", "127.0.0.1")])
def test_a_host_header_is_compared_by_its_name(header, name):
    assert host_name(header) == name


def test_the_public_host_is_served_besides_the_hosts_and_comes_from_the_environment():
    tenants = TenantRegistry.from_file(DEFAULT_TENANTS_FILE, ENV)
    musterstadt = tenants.get("musterstadt")
    assert musterstadt is not None
    assert musterstadt.public_url == "https://termine.musterstadt.example"
    assert musterstadt.hosts == ("termine.musterstadt.example", "127.0.0.1", "localhost")
    assert tenants.for_host("TERMINE.musterstadt.example:443") is musterstadt
    assert tenants.for_host("evil.example") is None  # no default tenant any more
    assert tenants.for_host("beispielstadt.localhost:8000").id == "beispielstadt"


def test_a_missing_public_url_stops_the_start_naming_the_variable():
    with pytest.raises(SystemExit, match="LOKET_BEISPIELSTADT_PUBLIC_URL"):
        TenantRegistry.from_file(DEFAULT_TENANTS_FILE,
                                 {"LOKET_MUSTERSTADT_PUBLIC_URL": "https://a.example"})


def test_bad_tenant_files_stop_the_start(tmp_path):
    file = tmp_path / "tenants.yml"
    both = TENANT.format(url="public_url: https://a.example\n    public_url_env: X", hosts="")
    with pytest.raises(SystemExit, match="not both"):
        registry(both, file)
    with pytest.raises(SystemExit, match="'default' is gone"):
        registry("default: t1\n" + TENANT.format(url="public_url: https://a.example",
                                                 hosts=""), file)
    twice = TENANT.format(url="public_url: https://a.example", hosts="b.example") + (
        TENANT.format(url="public_url: https://b.example", hosts="").replace("t1", "t2")
        .replace("tenants:\n", ""))
    with pytest.raises(SystemExit, match="b.example is configured for both t1 and t2"):
        registry(twice, file)


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://termine.example.org", True), ("http://termine.example.org", False),
    ("http://127.0.0.1:8000", True), ("http://beispielstadt.localhost:8000", True)])
def test_production_wants_https_except_on_this_machine(tmp_path, url, allowed):
    tenants = registry(TENANT.format(url=f"public_url: {url}", hosts=""),
                       tmp_path / "tenants.yml")
    tenants.check_environment("development")
    if allowed:
        tenants.check_environment("production")
    else:
        with pytest.raises(SystemExit, match="https in production"):
            tenants.check_environment("production")


def test_an_unknown_host_is_a_400_problem_for_the_api(client, services):
    for path in (API + "/offices", "/openapi.json", "/api/v1/tenants/atlantis/offices"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, path
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["code"] == "unknown_host"
    assert services.mock_calls == []


def test_an_unknown_host_is_a_page_in_the_readers_language(client):
    page = client.get("/en/appointments/", headers={"Host": "evil.example"})
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert b'<html lang="en"' in page.data and b"This address is not served here" in page.data
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    german = client.get("/favicon.ico", headers={"Host": "evil.example",
                                                 "Accept-Language": "de-DE,de;q=0.9"})
    assert german.status_code == 400 and b'<html lang="de"' in german.data
    assert b"Diese Adresse wird hier nicht angeboten" in german.data


def test_probes_answer_on_any_host(client):
    assert client.get("/livez", headers={"Host": "10.1.2.3:8000"}).status_code == 200
    # No broker in these tests: /health answers, with the broker's state.
    assert client.get("/health", headers={"Host": "10.1.2.3:8000"}).status_code == 503


def test_a_page_on_another_host_name_of_its_tenant_moves_to_the_public_url(client):
    moved = client.get("/en/appointments/?office=nord", headers={"Host": "127.0.0.1:8000"})
    assert moved.status_code == 307
    assert moved.headers["Location"] == "http://localhost/en/appointments/?office=nord"
    odd = client.get("/en/b%C3%BCro%20x", headers={"Host": "127.0.0.1"})
    assert odd.headers["Location"] == "http://localhost/en/b%C3%BCro%20x"
    # Forms (CSRF-checked) and the API are answered where they are sent.
    assert client.post("/en/sign-out", headers={"Host": "127.0.0.1"}).status_code == 400
    assert client.get("/api/v1/tenants/atlantis/offices",
                      headers={"Host": "127.0.0.1"}).status_code == 404


def test_booking_and_lottery_links_come_from_the_public_url_not_the_host(client, services):
    services.appointments.confirm_hold.return_value = answers.confirmed()
    services.appointments.enter_lottery.return_value = answers.entered()
    alias = {"Host": "127.0.0.1:1"}
    confirmed = client.post(API + "/holds/h1/confirmation", json=CONTACT, headers=alias).json
    assert confirmed["manage_url"] == (
        "http://localhost/en/appointments/bookings/ABCD-EFGH?token=secret")
    assert confirmed["calendar_url"] == (
        "http://localhost/api/v1/tenants/musterstadt/bookings/ABCD-EFGH/calendar.ics"
        "?token=secret")
    entered = client.post(API + "/lottery-entries", headers=alias, json={
        "service_id": "passport", "name": "Anna", "email": "anna@example.org"}).json
    assert entered["status_url"] == (
        "http://localhost/api/v1/tenants/musterstadt/lottery-entries/LOTT-ERY1?token=secret")


def test_another_tenants_links_are_on_its_own_public_url(app):
    with app.test_request_context("/", base_url="http://localhost"):
        assert tenant_url("beispielstadt", "booking.manage_booking", lang="de",
                          reference="R", token="t") == (
            "http://beispielstadt.localhost/de/appointments/bookings/R?token=t")


def test_x_forwarded_host_counts_only_when_configured():
    forged = {"X-Forwarded-For": "10.0.0.1", "X-Forwarded-Host": "evil.example"}
    path = "/api/v1/tenants/atlantis/offices"
    ignored = create_app(gateway_settings(trusted_proxies=1)).test_client()
    assert ignored.get(path, headers=forged).get_json()["code"] == "unknown_tenant"
    trusted = create_app(gateway_settings(trusted_proxies=1, trust_forwarded_host=True))
    assert trusted.test_client().get(path, headers=forged).get_json()["code"] == "unknown_host"
    with pytest.raises(SettingsError, match="LOKET_TRUST_FORWARDED_HOST"):
        gateway_settings(trust_forwarded_host=True)
