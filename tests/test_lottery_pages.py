"""The resident's lottery pages in headless Chromium: enter, wait, learn the result; axe on each."""
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from pymongo import MongoClient

from .booking_client import CONTACT, address, api, hold
from .browser import assert_accessible
from .forms import form_token
from .test_lottery_flow import released_weekday

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PASSPORT = {"tenant": "musterstadt", "id": "passport"}
TEXTS = {
    "de": {"notice": "Neue Tage werden verlost", "enter": "An der Verlosung teilnehmen",
           "link": r"An der Verlosung für .* teilnehmen",
           "name": "Ihr Name", "email": "Ihre E-Mail-Adresse",
           "already": "Sie nehmen an dieser Verlosung schon teil",
           "not_open": "Für diese Verlosung kann man sich gerade nicht anmelden"},
    "en": {"notice": "New days are allocated by lottery", "enter": "Enter the lottery",
           "link": r"Enter the lottery for ",
           "name": "Your name", "email": "Your email address",
           "entered": "You have entered the lottery", "pending": "Waiting for the draw",
           "won": "You have an appointment", "manage": "comes by email",
           "lost": "No appointment this time", "other_times": "Book another time"},
}


@pytest.fixture
def passport_window(system):
    """The demo passport lottery with its window open now (a working day released)."""
    client = MongoClient(system.mongo_uri, tz_aware=True)
    database = client["loket_appointments"]
    policy = database["services"].find_one(PASSPORT)["booking_policy"]
    released = datetime.now(ZoneInfo("Europe/Berlin")) - timedelta(minutes=1)
    database["services"].update_one(PASSPORT, {"$set": {
        "booking_policy.release_days_ahead": released_weekday(released.date()),
        "booking_policy.release_time": released.strftime("%H:%M")}})
    yield database
    database["services"].update_one(PASSPORT, {"$set": {"booking_policy": policy}})
    client.close()


@pytest.fixture
def passport_closed(system):
    """The demo passport lottery between windows: the latest one opened yesterday."""
    client = MongoClient(system.mongo_uri, tz_aware=True)
    services = client["loket_appointments"]["services"]
    policy = services.find_one(PASSPORT)["booking_policy"]
    later = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(hours=2)
    services.update_one(PASSPORT, {"$set": {"booking_policy.release_time":
                                            later.strftime("%H:%M")}})
    yield
    services.update_one(PASSPORT, {"$set": {"booking_policy": policy}})
    client.close()


def entered_with_a_passport_booked(system) -> str:
    """The status page of someone who booked a passport first come, then entered too."""
    client = address(61_001)
    contact = {**CONTACT, "email": f"booked-{uuid.uuid4().hex[:8]}@example.org"}
    slot = api(system, "GET", "/slots/first", client=client,
               params={"service_id": "passport"}).json()
    held = hold(system, slot, client).json()
    assert api(system, "POST", f"/holds/{held['hold_id']}/confirmation", client=client,
               json=contact).status_code == 201
    entered = api(system, "POST", "/lottery-entries", client=client,
                  json={**contact, "service_id": "passport"})
    assert entered.status_code == 201, entered.text
    reference, token = entered.json()["entry"]["reference"], entered.json()["status_token"]
    return f"{system.url}/en/appointments/lottery/{reference}?token={token}"


def end_window(database):
    """End the window now instead of in an hour, as test_lottery_flow does; the timer draws."""
    database["services"].update_one(PASSPORT, {"$set": {
        "booking_policy.lottery_window_minutes": 1}})
    database["lottery_entries"].update_many(
        {"tenant": "musterstadt", "service_id": "passport", "state": "pending"},
        {"$set": {"draw_at": datetime.now(UTC) - timedelta(seconds=1)}})


def open_entry_form(page, system, lang):
    page.goto(f"{system.url}/{lang}/appointments/passport/")
    assert page.get_by_role("heading", name=TEXTS[lang]["notice"]).is_visible()
    assert page.locator("input[name=slot]").count() > 0  # other days stay first come
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(TEXTS[lang]["link"])).click()
    assert_accessible(page)


def fill_entry(page, lang, email):
    page.get_by_label(TEXTS[lang]["name"]).fill("Erika Mustermann")
    page.get_by_label(TEXTS[lang]["email"]).fill(email)
    page.get_by_role("button", name=TEXTS[lang]["enter"]).click()


def test_resident_enters_waits_and_learns_the_result(page, system, passport_window):
    # its own address: the rate limits count per address (other tests use theirs)
    page.set_extra_http_headers({"X-Forwarded-For": address(61_000)})
    email = f"lottery-{uuid.uuid4().hex[:8]}@example.org"
    text = TEXTS["en"]
    open_entry_form(page, system, "en")

    # a mistake is explained at the field
    page.get_by_role("button", name=text["enter"]).click()
    assert page.locator("[aria-invalid=true]").count() == 2
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    fill_entry(page, "en", email)
    assert page.get_by_role("heading", name=text["entered"]).is_visible()
    assert page.get_by_role("heading", name=text["pending"]).is_visible()
    assert_accessible(page)
    status_url = page.url.split("&done=")[0]

    # one entry per person: the same email (any case) again, in German
    open_entry_form(page, system, "de")
    fill_entry(page, "de", email.upper())
    assert TEXTS["de"]["already"] in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    other_url = entered_with_a_passport_booked(system)
    end_window(passport_window)
    deadline = time.monotonic() + 40
    while True:
        page.goto(status_url)
        if not page.get_by_role("heading", name=text["pending"]).count():
            break
        assert time.monotonic() < deadline, page.content()
        time.sleep(0.5)
    # the only entrant, on a working day: the lottery gives a time
    assert page.get_by_role("heading", name=text["won"]).is_visible()
    assert text["manage"] in page.content()
    assert_accessible(page)
    page.goto(status_url.replace("/en/", "/de/"))
    assert_accessible(page)

    # one appointment per person: the one who had booked gets a kind no, and other times
    page.goto(other_url)
    assert page.get_by_role("heading", name=text["lost"]).is_visible()
    assert page.get_by_role("link", name=text["other_times"]).is_visible()
    assert_accessible(page)


def test_between_windows_the_page_says_when_the_next_lottery_opens(
        page, system, passport_closed):
    page.set_extra_http_headers({"X-Forwarded-For": address(61_002)})
    page.goto(f"{system.url}/de/appointments/passport/lottery")
    assert TEXTS["de"]["not_open"] in page.content()
    assert page.locator("form[method=post]").count() == 0
    assert_accessible(page)
    # a form loaded before the window closed, sent after: its session's token is still good
    # (this page has no form now; the token is the same on every form of the session)
    resident = requests.Session()
    token = form_token(resident, f"{system.url}/de/appointments/id-card/",
                       headers={"X-Forwarded-For": address(61_003)})
    entry = {**CONTACT, "office": "", "language": "de"}
    late = resident.post(f"{system.url}/de/appointments/passport/lottery", timeout=30,
                         headers={"X-Forwarded-For": address(61_002)},
                         data={**entry, "csrf_token": token})
    assert late.status_code == 409 and 'role="alert"' in late.text
    assert "Wann die nächsten Termine freigegeben werden" in late.text  # lottery_not_open
