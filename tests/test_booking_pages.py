"""The resident's booking flow and the staff day list in headless Chromium, axe on every page."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from .booking_client import CONTACT, api, hold
from .browser import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

TEXTS = {
    "de": {"book": "Termin buchen", "find": "Freien Termin finden",
           "reserve": "Diesen Termin reservieren", "confirm": "Diesen Termin buchen",
           "booked": "Ihr Termin ist gebucht", "new_time": "Neuen Termin wählen",
           "move": "Meinen Termin auf diese Zeit verlegen", "moved": "Ihr Termin wurde verlegt.",
           "cancel_box": "Ja, ich möchte diesen Termin absagen.",
           "cancel": "Meinen Termin absagen", "cancelled": "abgesagt",
           "calendar": "In meinen Kalender übernehmen (.ics-Datei)", "name": "Ihr Name",
           "email": "Ihre E-Mail-Adresse"},
    "en": {"book": "Book an appointment", "find": "Find a free time",
           "reserve": "Reserve this time", "confirm": "Book this appointment",
           "booked": "Your appointment is booked", "new_time": "Choose a new time",
           "move": "Move my appointment to this time", "moved": "Your appointment was moved.",
           "cancel_box": "Yes, I want to cancel this appointment.",
           "cancel": "Cancel my appointment", "cancelled": "cancelled",
           "calendar": "Add to my calendar (.ics file)", "name": "Your name",
           "email": "Your email address"},
}


def wait_for_proof_of_work(page):
    page.wait_for_function(
        "document.querySelector('input[name=pow_solution]').value.length > 0", timeout=30_000)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_resident_books_downloads_moves_and_cancels(page, browser, system, lang):
    text = TEXTS[lang]
    page.goto(f"{system.url}/{lang}/")
    page.get_by_role("link", name=text["book"]).click()
    assert_accessible(page)
    page.locator("a[href$='/appointments/id-card/']").click()
    assert page.locator("input[name=slot]:checked").count() == 1  # the earliest is chosen
    wait_for_proof_of_work(page)
    assert_accessible(page)
    page.get_by_role("button", name=text["reserve"]).click()

    # contact form: a mistake is explained at the field
    assert_accessible(page)
    page.get_by_role("button", name=text["confirm"]).click()
    assert page.locator("[aria-invalid=true]").count() == 2
    assert_accessible(page)
    page.get_by_label(text["name"]).fill("Erika Mustermann")
    page.get_by_label(text["email"]).fill(f"erika-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_role("button", name=text["confirm"]).click()

    # the manage page: the secret link is the page's address
    assert page.get_by_role("heading", name=text["booked"]).is_visible()
    assert_accessible(page)
    reference = re.search(r"/bookings/([A-Z0-9-]+)\?token=", page.url).group(1)
    with page.expect_download() as download:
        page.get_by_role("link", name=text["calendar"]).click()
    ics = open(download.value.path(), encoding="utf-8").read()
    assert "BEGIN:VCALENDAR" in ics and f"UID:{reference}@musterstadt.loket" in ics
    manage_url = page.url.split("&done=")[0]

    page.get_by_role("link", name=text["new_time"]).click()
    assert_accessible(page)
    page.locator("input[name=slot]").nth(5).check()
    moved_to = page.locator("input[name=slot]").nth(5).get_attribute("value")
    page.get_by_role("button", name=text["move"]).click()
    assert page.get_by_text(text["moved"]).is_visible()

    # staff see the booking on the day list and check the resident in
    office_id, start = moved_to.split("|")
    staff = browser.new_context().new_page()
    staff.goto(f"{system.url}/{lang}/staff/")  # on to the identity provider's page
    assert staff.url.startswith(system.idp_url)
    assert_accessible(staff)
    sign_in(staff, system, "clara", lang=lang)
    staff.goto(f"{system.url}/{lang}/staff/day-list?office={office_id}&date={start[:10]}")
    assert staff.get_by_role("cell", name=reference, exact=True).is_visible()
    assert_accessible(staff)

    page.goto(manage_url)
    page.get_by_label(text["cancel_box"]).check()
    page.get_by_role("button", name=text["cancel"]).click()
    # the form answers 303 to the manage page: wait for it (a loaded machine takes a while)
    expect(page.locator(".facts dd").filter(has_text=text["cancelled"])).to_have_count(1)
    assert_accessible(page)
    staff.reload()
    assert staff.get_by_role("cell", name=reference, exact=True).count() == 0
    staff.context.close()


def test_booking_works_without_javascript(page_without_js, system):
    page = page_without_js
    page.goto(f"{system.url}/en/appointments/id-card/")
    chosen = page.locator("input[name=slot]:checked").get_attribute("value")
    page.get_by_role("button", name="Reserve this time").click()
    # sent at once: the page asks to wait (the wait replaces the proof of work)
    alert = page.get_by_role("alert")
    seconds = int(re.search(r"wait (\d+) seconds", alert.inner_text()).group(1))
    assert page.locator("input[name=slot]:checked").get_attribute("value") == chosen
    # (axe needs JavaScript: these pages are checked in the test above)
    page.wait_for_timeout((seconds + 1) * 1000)
    page.get_by_role("button", name="Reserve this time").click()
    page.get_by_label("Your name").fill("Max Mustermann")
    page.get_by_label("Your email address").fill(f"max-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_role("button", name="Book this appointment").click()
    assert page.get_by_role("heading", name="Your appointment is booked").is_visible()


def test_staff_pages_need_sign_in_and_a_role_in_this_tenant(page, system):
    page.goto(f"{system.url}/en/staff/day-list")
    assert page.url.startswith(system.idp_url + "/authorize")  # sent to sign in
    sign_in(page, system, "felix")  # beispielstadt's case worker
    assert page.get_by_role("alert").is_visible()  # no staff role in musterstadt
    assert_accessible(page)
    assert page.goto(f"{system.url}/en/staff/day-list").status == 403


def test_staff_check_in_and_call_the_next_resident(page, system):
    slot = api(system, "GET", "/slots", params={"service_id": "registration",
                                                "office_id": "rathaus"}).json()[0]
    held = hold(system, slot).json()
    booked = api(system, "POST", f"/holds/{held['hold_id']}/confirmation",
                 json={**CONTACT, "name": "Mia Beispiel",
                       "email": f"mia-{uuid.uuid4().hex[:8]}@example.org"}).json()
    reference = booked["booking"]["reference"]
    sign_in(page, system, "clara")
    page.goto(f"{system.url}/en/staff/day-list?office=rathaus&date={slot['start'][:10]}")
    page.get_by_role("button", name=f"Check in: {reference}").click()
    assert page.get_by_role("status").filter(has_text=f"{reference} is checked in").is_visible()
    counter = booked["booking"]["counter_id"]
    page.locator(f"form[action$='/counters/{counter}/call-next'] button").click()
    assert page.get_by_role("status").filter(has_text="Mia Beispiel").is_visible()
    assert_accessible(page)

    # a walk-in at a free time of the same day
    free = api(system, "GET", "/slots", params={"service_id": "registration",
                                                "office_id": "rathaus",
                                                "date_from": slot["start"][:10],
                                                "date_to": slot["start"][:10]}).json()[-1]
    page.locator("#walk-in-service").select_option("registration")
    page.locator("#walk-in-time").fill(free["start"][11:16])  # the office's local time
    page.locator("#walk-in-name").fill("Walter Walkin")
    page.get_by_role("button", name="Book walk-in").click()
    assert page.get_by_role("status").filter(has_text="Walter Walkin is booked").is_visible()
    assert page.get_by_role("cell").filter(has_text="Walter Walkin").count() == 1
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{system.url}/en/staff/day-list")
    assert page.url.startswith(system.idp_url + "/authorize")  # signed out: sign in again
