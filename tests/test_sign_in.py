"""Sign-in through the development identity provider, as a browser and as API clients."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from .browser import assert_accessible, sign_in

pytestmark = pytest.mark.e2e
API = "/api/v1/tenants/musterstadt"


def provider_page(session, system, path):
    """Follow the gateway's sign-in to the provider's page; that response."""
    response = session.get(system.url + path, timeout=10)
    assert response.status_code == 200, response.text
    assert response.url.startswith(system.idp_url + "/authorize"), response.url
    return response


def choose(session, page, user, level=None):
    """Pick a user (and level) on the provider's page; follow back to the gateway."""
    form = {"user": user, **({"level": level} if level else {})}
    answer = session.post(page.url, data=form, timeout=10, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    callback = answer.headers["Location"]
    assert callback.startswith(system_callback_prefix(page.url))
    return session.get(callback, timeout=10, allow_redirects=False)


def system_callback_prefix(authorize_url):
    return parse_qs(urlsplit(authorize_url).query)["redirect_uri"][0]


def csrf_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_code_flow_signs_a_resident_in_and_out(system):
    session = requests.Session()
    page = provider_page(session, system, "/en/sign-in?next=/en/permits/applications/")
    query = parse_qs(urlsplit(page.url).query)
    assert query["client_id"] == ["musterstadt-residents"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["ui_locales"] == ["en"]
    assert "development stand-in" in page.text
    back = choose(session, page, "anna", "substantial")
    assert back.status_code == 303
    assert back.headers["Location"] == "/en/permits/applications/"
    cookie = back.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    mine = session.get(system.url + "/en/permits/applications/", timeout=10)
    assert mine.status_code == 200 and "My applications" in mine.text
    # a code is good once: replaying the callback signs nobody in
    assert session.get(back.url, timeout=10, allow_redirects=False).status_code == 400

    out = session.post(system.url + "/en/sign-out", data={"csrf_token": csrf_of(mine.text)},
                       timeout=10, allow_redirects=False)
    assert out.status_code == 303
    again = session.get(system.url + "/en/permits/applications/", timeout=10,
                        allow_redirects=False)
    assert again.status_code == 303 and again.headers["Location"].startswith("/en/sign-in")


def test_a_forged_state_is_refused(system):
    session = requests.Session()
    page = provider_page(session, system, "/en/sign-in")
    answer = session.post(page.url, data={"user": "anna", "level": "low"}, timeout=10,
                          allow_redirects=False)
    forged = re.sub(r"state=[^&]+", "state=forged", answer.headers["Location"])
    response = session.get(forged, timeout=10, allow_redirects=False)
    assert response.status_code == 400
    assert "did not succeed" in response.text


def test_step_up_asks_for_the_level_and_refuses_a_lower_sign_in(system):
    session = requests.Session()
    page = provider_page(session, system, "/de/sign-in?level=substantial&next=/de/")
    assert parse_qs(urlsplit(page.url).query)["acr_values"] == [
        "http://eidas.europa.eu/LoA/substantial"]
    assert "mindestens das Niveau" in page.text  # German, from ui_locales
    low = choose(session, page, "anna", "low")
    assert low.status_code == 403  # signed in, but not enough for this
    page = provider_page(session, system, "/de/sign-in?level=substantial&next=/de/")
    high_enough = choose(session, page, "anna", "substantial")
    assert high_enough.status_code == 303 and high_enough.headers["Location"] == "/de/"


def test_the_provider_refuses_a_level_the_person_cannot_reach(system):
    session = requests.Session()
    page = provider_page(session, system, "/en/sign-in")
    refused = session.post(page.url, data={"user": "ben", "level": "high"}, timeout=10)
    assert refused.status_code == 400 and "cannot reach" in refused.text


def test_api_tokens_from_the_provider_per_tenant_and_role(system):
    def get(path, token):
        return requests.get(system.url + path, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})
    assert get(API + "/applications", system.token_for("anna")).status_code == 200
    assert get(API + "/cases", system.token_for("david")).status_code == 200
    # felix, case worker of beispielstadt: nothing of musterstadt's
    assert get(API + "/cases", system.token_for("felix", tenant="musterstadt")
               ).status_code == 403
    assert get(API + "/cases", system.token_for("felix")).status_code == 403
    assert get("/api/v1/tenants/beispielstadt/cases", system.token_for("felix")
               ).status_code == 200
    # chris lives in beispielstadt: his token opens nothing in musterstadt
    assert get(API + "/applications", system.token_for("chris")).status_code == 403
    # the operator: the tenant list, and no personal data anywhere
    olga = system.token_for("olga")
    tenants = get("/api/v1/operator/tenants", olga)
    assert tenants.status_code == 200
    assert {tenant["id"] for tenant in tenants.json()} == {"musterstadt", "beispielstadt"}
    for path in ("/cases", "/applications", "/catalogue"):
        assert get(API + path, olga).status_code == 403, path
    assert get("/api/v1/operator/tenants", system.token_for("erika")).status_code == 403


@pytest.mark.browser
def test_resident_and_staff_sign_in_and_out_in_one_browser(page, system):
    page.goto(f"{system.url}/en/permits/applications/")
    assert page.url.startswith(system.idp_url + "/authorize")
    assert_accessible(page)  # the provider's sign-in page
    sign_in(page, system, "anna")
    assert page.url.endswith("/en/permits/applications/")
    assert_accessible(page)

    # a staff sign-in in the same browser leaves the resident signed in
    page.goto(f"{system.url}/en/staff/")
    assert page.locator("legend").first.inner_text().endswith("(Staff)")
    assert_accessible(page)
    sign_in(page, system, "david")
    assert page.url.endswith("/en/staff/cases/")
    page.goto(f"{system.url}/en/permits/applications/")
    assert page.locator("h1").inner_text() == "My applications"

    # signing the resident out (in the header) keeps the staff session
    page.get_by_role("navigation", name="Your account").get_by_role(
        "button", name="Sign out").click()
    page.goto(f"{system.url}/en/staff/cases/")
    assert page.locator("h1").inner_text() == "Case queue"
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{system.url}/en/staff/cases/")
    assert page.url.startswith(system.idp_url)


@pytest.mark.browser
def test_a_too_low_sign_in_is_explained_accessibly(page, system):
    page.goto(f"{system.url}/de/sign-in?level=high&next=/de/")
    assert page.locator("html").get_attribute("lang") == "de"
    sign_in(page, system, "anna", level="substantial", lang="de")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)  # the gateway's sign-in page with its message
