"""A tenant admin maintains the catalogue on the web pages in headless Chromium, axe on each."""
import uuid

import requests

from .booking_client import API, address, api, hold
from .browser import assert_accessible, sign_in

CLIENT = address(7301)  # this test's own address for the rate limits


def admin(system) -> dict:
    """The demo tenant admin Erika's bearer header."""
    return {"Authorization": f"Bearer {system.token_for('erika')}"}


def saved(page):
    page.get_by_role("button", name="Save", exact=True).click()
    if not page.get_by_role("status").count():
        raise AssertionError(page.url + page.locator("main").inner_text())
    return page.get_by_role("status")


def test_admin_creates_a_service_and_an_office_closes_it_and_sees_the_trail(page, system):
    service_id, office_id = f"svc-{uuid.uuid4().hex[:8]}", f"off-{uuid.uuid4().hex[:8]}"
    sign_in(page, system, "erika")
    assert page.url.endswith("/en/admin/")  # admins start at the catalogue
    assert_accessible(page)

    # a new service: the form's euro and lines become the API's cents and documents
    page.get_by_role("link", name="Add a service").click()
    assert_accessible(page)
    for field, value in {"id": service_id, "name-de": "Angeln", "name-en": "Fishing permit",
                         "description-de": "Fischereischein", "description-en": "Licence",
                         "duration_minutes": "7", "fee": "12,50",
                         "documents-de": "Foto\nAusweis", "documents-en": "Photo\nID card"
                         }.items():
        page.locator(f"#{field}").fill(value)
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_role("alert").is_visible()  # 7 minutes is off the 5-minute grid
    assert page.locator("#duration_minutes").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.locator("#duration_minutes").fill("20")
    assert "Saved" in saved(page).inner_text()
    assert page.url.endswith(f"/en/admin/services/{service_id}")
    stored = requests.get(f"{system.url}{API}/services/{service_id}", timeout=10,
                          headers=admin(system)).json()
    assert stored["fee_cents"] == 1250 and stored["duration_minutes"] == 20
    assert stored["required_documents"][1] == {"de": "Ausweis", "en": "ID card"}
    assert_accessible(page)

    # someone changes it meanwhile: the form loaded at version 1 is refused, shows version 2
    changed = requests.put(f"{system.url}{API}/services/{service_id}", timeout=10, json={
        **{key: stored[key] for key in ("name", "description", "duration_minutes",
                                        "required_documents", "booking_policy")},
        "fee_cents": 1500}, headers={**admin(system), "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    page.locator("#fee").fill("13.00")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "changed this meanwhile" in page.get_by_role("alert").inner_text()
    assert page.locator("#fee").input_value() == "15.00"

    # a new office offering it, with one counter and Monday hours
    page.goto(f"{system.url}/en/admin/offices/")
    assert_accessible(page)
    for field, value in {"id": office_id, "name-de": "Hafenamt", "name-en": "Harbour office",
                         "street": "Kai 2", "postal_code": "12345", "city": "Musterstadt",
                         "accessibility-de": "Stufenlos", "accessibility-en": "Step-free",
                         "counters-0-id": "c1", "counters-0-name-de": "Schalter 1",
                         "counters-0-name-en": "Counter 1",
                         "opening_hours-mon-0-opens": "08:00",
                         "opening_hours-mon-0-closes": "12:00"}.items():
        page.locator(f"#{field}").fill(value)
    page.locator(f"#service_ids-{service_id}").check()
    page.locator(f"#counters-0-service_ids-{service_id}").check()
    assert "Saved" in saved(page).inner_text()
    assert page.locator("#counters-0-id").input_value() == "c1"
    assert page.locator("#opening_hours-mon-0-closes").input_value() == "12:00"
    assert_accessible(page)

    # a closure: refused on a booked day (the page says how many), listed on a free one
    page.get_by_role("link", name="Closures and holidays of this office").click()
    assert_accessible(page)
    slot = api(system, "GET", "/slots", CLIENT, params={"service_id": service_id,
                                                        "office_id": office_id}).json()[0]
    held = hold(system, slot, CLIENT).json()
    booked = api(system, "POST", f"/holds/{held['hold_id']}/confirmation", CLIENT,
                 json={"name": "Erika", "email": f"{uuid.uuid4().hex}@example.org"}).json()
    page.locator("#date").fill(slot["start"][:10])
    page.locator("#reason-de").fill("Betriebsausflug")
    page.locator("#reason-en").fill("Staff outing")
    page.get_by_role("button", name="Close on this day").click()
    assert "affect 1 confirmed booking" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    assert api(system, "DELETE", f"/bookings/{booked['booking']['reference']}", CLIENT,
               headers={"X-Manage-Token": booked["manage_token"]}).status_code == 200
    page.locator("#date").fill("2027-12-24")
    page.locator("#reason-de").fill("Heiligabend")
    page.locator("#reason-en").fill("Christmas Eve")
    page.get_by_role("button", name="Close on this day").click()
    assert page.get_by_role("cell", name="Christmas Eve").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Catalogue overview").click()
    trail = page.locator("#changes-heading + table").inner_text()
    assert "closure added" in trail and office_id in trail and "tenant admin" in trail
    assert "Erika Mustermann" in trail  # the admin's display name, never a token
    assert_accessible(page)

    # deactivation needs the confirmation box
    page.goto(f"{system.url}/en/admin/offices/{office_id}")
    page.get_by_role("button", name="Deactivate").click()
    assert "tick the box" in page.get_by_role("alert").inner_text()
    page.locator("#confirm").check()
    page.get_by_role("button", name="Deactivate").click()
    assert "Deactivated" in page.get_by_role("status").inner_text()


def test_admin_pages_in_german_pass_axe(page, system):
    sign_in(page, system, "erika", lang="de")
    for path in ("", "services/passport", "offices/rathaus", "offices/rathaus/closures"):
        page.goto(f"{system.url}/de/admin/{path}")
        assert page.locator("h1").is_visible()
        assert_accessible(page)


def test_counter_staff_cannot_open_admin_pages(page, system):
    sign_in(page, system, "clara")
    assert page.url.endswith("/en/staff/day-list")
    assert page.get_by_role("link", name="Maintain the appointment catalogue").count() == 0
    assert page.goto(f"{system.url}/en/admin/").status == 403
    assert page.goto(f"{system.url}/en/admin/offices/rathaus").status == 403
    page.context.clear_cookies()
    page.goto(f"{system.url}/en/admin/")
    assert page.url.startswith(system.idp_url + "/authorize")  # signed out: sent to sign in
