"""Web forms need their page's CSRF token, also from a client without JavaScript; the API not."""
import json
import uuid
from urllib.parse import urljoin

import pytest
import requests

from loket_gateway.appointments.anti_bot.proof_of_work import solve

from .booking_client import API, CONTACT, address, api
from .browser import assert_accessible
from .forms import hidden_fields

pytestmark = pytest.mark.e2e

EXPIRED = {"en": "The form has expired", "de": "Das Formular ist abgelaufen"}


def refused(response, lang: str = "en") -> bool:
    """The accessible 400 page that asks to reload the form."""
    return (response.status_code == 400 and f'<html lang="{lang}"' in response.text
            and EXPIRED[lang] in response.text)


def without_token(fields: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in fields.items() if name != "csrf_token"}


def test_a_resident_books_and_cancels_with_nothing_but_the_pages_forms(system):
    """What a browser without JavaScript does: each POST sends back the form it was given."""
    client = address(62_001)
    resident = requests.Session()
    resident.headers["X-Forwarded-For"] = client
    slot = api(system, "GET", "/slots", client=client, params={"service_id": "id-card"}).json()[0]

    # hold: the slot page's form, its proof of work solved
    slots_url = f"{system.url}/en/appointments/id-card/"
    fields = hidden_fields(resident.get(slots_url, timeout=30).text, "/appointments/id-card/")
    fields |= {"slot": f"{slot['office_id']}|{slot['start']}",
               "pow_solution": solve(json.loads(fields["pow_challenge"])["challenge"])}
    assert refused(resident.post(slots_url, data=without_token(fields), timeout=30))
    stranger = requests.post(slots_url, data=fields, timeout=30,  # the token, not the cookie
                             headers={"X-Forwarded-For": client})
    assert refused(stranger)
    held = resident.post(slots_url, data=fields, timeout=30, allow_redirects=False)
    assert held.status_code == 303, held.text

    # contact details
    contact_url = urljoin(slots_url, held.headers["Location"])
    hold_path = contact_url.removeprefix(system.url)
    fields = hidden_fields(resident.get(contact_url, timeout=30).text, hold_path)
    entry = {**CONTACT, "email": f"csrf-{uuid.uuid4().hex[:8]}@example.org"}
    assert refused(resident.post(contact_url, data=entry, timeout=30))
    booked = resident.post(contact_url, data={**fields, **entry}, timeout=30,
                           allow_redirects=False)
    assert booked.status_code == 303, booked.text

    # manage: cancel
    manage_url = urljoin(contact_url, booked.headers["Location"])
    manage = resident.get(manage_url, timeout=30)
    fields = hidden_fields(manage.text, "/cancel")
    cancel_url = manage_url.split("?")[0] + "/cancel"
    assert refused(resident.post(cancel_url, data={**without_token(fields), "confirm": "yes"},
                                 timeout=30))
    assert "Cancel my appointment" in resident.get(manage_url, timeout=30).text  # still booked
    cancelled = resident.post(cancel_url, data={**fields, "confirm": "yes"}, timeout=30,
                              allow_redirects=False)
    assert cancelled.status_code == 303 and "done=cancelled" in cancelled.headers["Location"]


def test_a_lottery_entry_without_the_token_is_refused_in_german(system):
    response = requests.post(f"{system.url}/de/appointments/passport/lottery", timeout=30,
                             headers={"X-Forwarded-For": address(62_002)},
                             data={**CONTACT, "office": "", "language": "de"})
    assert refused(response, "de")
    assert "laden Sie die Seite neu" in response.text


def test_sign_out_needs_the_forms_token(system):
    visitor = requests.Session()
    sign_out = f"{system.url}/en/sign-out"
    assert refused(visitor.post(sign_out, timeout=30))
    fields = hidden_fields(visitor.get(f"{system.url}/en/appointments/id-card/",
                                       headers={"X-Forwarded-For": address(62_004)},
                                       timeout=30).text)
    signed_out = visitor.post(sign_out, data={"csrf_token": fields["csrf_token"]}, timeout=30,
                              allow_redirects=False)
    assert signed_out.status_code == 303


def test_the_api_takes_no_form_token_even_with_a_session_cookie(system):
    resident = requests.Session()
    resident.get(f"{system.url}/en/appointments/id-card/", timeout=30,
                 headers={"X-Forwarded-For": address(62_005)})
    assert resident.cookies  # the slot form started a session (its cookie)
    issued = resident.post(f"{system.url}{API}/challenges", timeout=30,
                           headers={"X-Forwarded-For": address(62_003)})
    assert issued.status_code == 201, issued.text


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_form_sent_after_its_session_ended_gets_an_accessible_page(page, system, lang):
    """The browser was closed meanwhile (its session cookie is gone): explained, in its language."""
    page.set_extra_http_headers({"X-Forwarded-For": address(62_010)})
    page.goto(f"{system.url}/{lang}/appointments/id-card/")
    page.wait_for_function(
        "document.querySelector('input[name=pow_solution]').value.length > 0", timeout=30_000)
    page.context.clear_cookies()
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.locator("form.slots button[type=submit]").click()
    assert sent.value.status == 400
    assert page.get_by_role("heading", name=EXPIRED[lang]).is_visible()
    assert_accessible(page)
