"""The Host header (issue 12): only configured host names are served, and every absolute URL
the gateway hands out comes from the tenant's configured public URL, never from the request.

Real HTTP against the running system, with a forged ``Host`` (``requests`` sends the header
as given). The system's public URL for Musterstadt is ``system.url``; ``localhost`` is one
of Musterstadt's configured host names too, but not the public one.
"""
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from icalendar import Calendar

from ..booking_client import CONTACT, address, api, solved
from ..test_lottery_flow import lottery_service  # noqa: F401 (a fixture used below)

pytestmark = pytest.mark.e2e

FORGED = "evil.example"
OFFICES = "/api/v1/tenants/musterstadt/offices"


def get(system, path: str, host: str, **headers: str) -> requests.Response:
    """``GET path`` with ``Host: host``, redirects not followed."""
    return requests.get(system.url + path, headers={"Host": host, **headers}, timeout=10,
                        allow_redirects=False)


def redirect_uri(answer: requests.Response) -> str:
    """The ``redirect_uri`` the gateway gave the identity provider."""
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query)["redirect_uri"][0]


def test_a_host_no_tenant_has_is_refused_on_pages_and_api(system):
    port = urlsplit(system.url).port
    for host in (FORGED, f"{FORGED}:{port}", "127.0.0.1.evil.example", "beispielstadt.example"):
        page = get(system, "/de/appointments/", host)
        assert page.status_code == 400, host
        assert page.headers["Content-Type"].startswith("text/html")
        assert '<html lang="de"' in page.text and "Diese Adresse" in page.text
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
        problem = get(system, OFFICES, host)
        assert problem.status_code == 400, host
        assert problem.headers["Content-Type"] == "application/problem+json"
        assert problem.json()["code"] == "unknown_host"
    # No sign-in redirect for a forged host, in the page's language.
    sign_in = get(system, "/en/sign-in", FORGED)
    assert sign_in.status_code == 400 and "Location" not in sign_in.headers
    assert '<html lang="en"' in sign_in.text and "This address" in sign_in.text
    assert FORGED not in sign_in.text
    # Orchestrators' probes name the pod's address as Host: they answer whatever it is.
    assert get(system, "/livez", "10.1.2.3:8000").status_code == 200
    assert get(system, "/health", "10.1.2.3:8000").status_code == 200


def test_the_sign_in_redirect_uri_is_the_configured_one(system):
    # The public host name on another port, as a misconfigured proxy might pass it on.
    assert redirect_uri(get(system, "/en/sign-in", "127.0.0.1:1")) == (
        system.url + "/auth/callback")
    # X-Forwarded-Host is not trusted (this system trusts one proxy, for X-Forwarded-For).
    assert redirect_uri(get(system, "/en/sign-in", urlsplit(system.url).netloc,
                            **{"X-Forwarded-Host": FORGED})) == system.url + "/auth/callback"
    # Another host name of the tenant: pages move to the public URL first, so the sign-in
    # (its state is in the session cookie) starts and ends on one host.
    alias = get(system, "/en/sign-in?next=/en/me/", f"localhost:{urlsplit(system.url).port}")
    assert alias.status_code == 307
    assert alias.headers["Location"] == system.url + "/en/sign-in?next=/en/me/"


def test_booking_links_and_the_calendar_file_carry_the_configured_base_url(system):
    alias = {"Host": f"localhost:{urlsplit(system.url).port}"}  # Musterstadt's, not the public one
    client = address(64_000)
    slot = api(system, "GET", "/slots/first", client=client, headers=alias,
               params={"service_id": "id-card"}).json()
    held = api(system, "POST", "/holds", client=client, headers=alias, json={
        **{key: slot[key] for key in ("service_id", "office_id", "start")},
        "pow_solution": solved(system, client)})
    assert held.status_code == 201, held.text
    confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                    client=client, headers=alias, json=CONTACT)
    assert confirmed.status_code == 201, confirmed.text
    links = confirmed.json()
    assert links["manage_url"].startswith(system.url + "/en/appointments/bookings/")
    assert links["calendar_url"].startswith(system.url + "/api/v1/tenants/musterstadt/bookings/")

    calendar = requests.get(links["calendar_url"], headers=alias, timeout=10)
    assert calendar.status_code == 200, calendar.text
    event = Calendar.from_ical(calendar.content).walk("VEVENT")[0]
    assert str(event["url"]) == links["manage_url"]
    assert links["manage_url"] in str(event["description"])
    assert "localhost" not in calendar.text.replace("\r\n ", "")


def test_the_lottery_status_link_carries_the_configured_base_url(
        system, lottery_service):  # noqa: F811 (the imported fixture)
    service_id, _ = lottery_service
    entered = api(system, "POST", "/lottery-entries", client=address(64_001),
                  headers={"Host": "localhost"}, json={
                      "service_id": service_id, "name": "Host Test",
                      "email": "host-test@example.org", "language": "en"})
    assert entered.status_code == 201, entered.text
    assert entered.json()["status_url"].startswith(
        system.url + "/api/v1/tenants/musterstadt/lottery-entries/")
