# SPDX-License-Identifier: EUPL-1.2
"""A resident's flows end to end, each read from the development mailbox.

Reminder and cancel, lottery entry and result, a permit application through its case
(submitted, information requested, decided), the resident's message list and the manage
page, and an office cancellation from the counter's day list.
"""
import itertools
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import pytest
import requests
from icalendar import Calendar
from playwright.sync_api import expect

from loket_notifications.rendering.formatting import format_calendar_date
from loket_permits.workflow import NEXT_STEP

from .booking_client import address, api, hold
from .browser import sign_in
from .conftest import started_system
from .forms import hidden_fields
from .mailbox import Mailbox
from .test_lottery_flow import lottery_service  # noqa: F401 (a fixture used below)
from .test_permit_applications import png, value_for

pytestmark = pytest.mark.e2e

TYPE = "residents-parking"
SEARCHERS = itertools.count(73000)  # a fresh client address for each slot search
SENT = {"accepted", "delivered"}  # a message the relay took (or was told delivered)


def fresh_address(name: str) -> str:
    """An address no other test writes to."""
    return f"{name}+{uuid.uuid4().hex[:10]}@example.org"


def wait_for(check, seconds: float = 40, every: float = 0.3):
    """``check()``'s first truthy result within ``seconds``; fails with the last one."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"not within {seconds} s: {result!r}"
        time.sleep(every)


def calendar_event(ics: bytes):
    """The one VEVENT of an .ics file, parsed with icalendar."""
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    return event


def book(system, email: str, client: str, choose=lambda slot: True,
         days_ahead: int = 0) -> dict:
    """Book (in English) the first free ID-card slot ``choose`` accepts, searching from
    ``days_ahead`` days on; the booking, with its slot's ``office_id`` and ``slot_start``."""
    search = {"service_id": "id-card"}
    if days_ahead:
        search["date_from"] = (date.today() + timedelta(days=days_ahead)).isoformat()
    slots = api(system, "GET", "/slots", params=search, client=client).json()
    for slot in slots:
        if not choose(slot):
            continue
        held = hold(system, slot, client)
        if held.status_code == 409:  # another test took it
            continue
        assert held.status_code == 201, held.text
        confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                        client=client, json={"name": "Lena Vogel", "email": email,
                                             "language": "en"})
        assert confirmed.status_code == 201, confirmed.text
        return {**confirmed.json()["booking"], "office_id": slot["office_id"],
                "slot_start": slot["start"]}
    raise AssertionError("no free ID-card slot fits")


def starts_within(hours: float):
    """A slot filter: the appointment starts within ``hours`` from now."""
    return lambda slot: datetime.fromisoformat(slot["start"]) < datetime.now(UTC) + timedelta(
        hours=hours)


def starts_after(hours: float):
    """A slot filter: the appointment starts later than ``hours`` from now."""
    return lambda slot: datetime.fromisoformat(slot["start"]) > datetime.now(UTC) + timedelta(
        hours=hours)


def slot_free(system, office_id: str, start: str) -> bool:
    """Whether the ID-card time at ``office_id``, ``start`` is offered again."""
    day = start[:10]
    answer = api(system, "GET", "/slots", params={"service_id": "id-card", "date_from": day,
                                                  "date_to": day},
                 client=address(next(SEARCHERS)))  # the search is rate-limited per address
    assert answer.status_code == 200, answer.text
    slots = answer.json()
    return any(slot["office_id"] == office_id and slot["start"] == start for slot in slots)


@pytest.fixture(scope="module")
def reminding(request):
    """A system and its mailbox where a new ID-card booking's reminder is due at once.

    The shared system when a free time starts within its ``REMINDER_HOURS`` (24; the
    appointments timer looks every 5 s), else (late on a Friday, say) a system of its
    own with ``REMINDER_HOURS=400``.
    """
    shared = request.getfixturevalue("system")
    slots = api(shared, "GET", "/slots", params={"service_id": "id-card"},
                client=address(next(SEARCHERS))).json()
    if any(starts_within(22)(slot) for slot in slots):
        yield shared, request.getfixturevalue("mailbox"), 22
        return
    with started_system(REMINDER_HOURS="400") as own:
        yield own, Mailbox(own.mailbox_url), 399


def test_the_reminder_says_cancel_here_and_its_link_cancels_and_frees_the_slot(reminding):
    system, mailbox, hours = reminding
    email = fresh_address("reminded")
    booking = book(system, email, address(72001), starts_within(hours))
    reference = booking["reference"]
    reminder = mailbox.wait_for_one(email, subject_contains="Reminder", seconds=60)
    assert "Can't come?" in reminder.text and reference in reminder.text
    assert not reminder.attachments()  # no .ics: the calendar has it since the confirmation
    manage = reminder.link(f"/en/appointments/bookings/{reference}?token=")
    assert not slot_free(system, booking["office_id"], booking["slot_start"])
    browser = requests.Session()  # the resident follows the link and uses its cancel form
    form = hidden_fields(browser.get(manage, timeout=10).text, f"/bookings/{reference}/cancel")
    cancelled = browser.post(urljoin(manage, f"/en/appointments/bookings/{reference}/cancel"),
                             data={**form, "confirm": "yes"}, timeout=10)
    assert cancelled.status_code == 200, cancelled.status_code
    assert "Your appointment was cancelled." in cancelled.text
    wait_for(lambda: slot_free(system, booking["office_id"], booking["slot_start"]))
    cancellation = mailbox.wait_for_one(email, subject_contains="Appointment cancelled")
    assert "You have cancelled your appointment" in cancellation.text
    event = calendar_event(cancellation.attachment(content_type="text/calendar"))
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{reference}@musterstadt.loket"


def test_lottery_entry_and_result_are_emailed_with_working_links_and_a_calendar_file(
        system, mailbox, lottery_service):  # noqa: F811 (the imported fixture)
    service_id, database = lottery_service
    emails = [fresh_address(f"drawn{n}") for n in range(2)]
    entries = []
    for n, email in enumerate(emails):
        entered = api(system, "POST", "/lottery-entries", client=address(72100 + n), json={
            "service_id": service_id, "name": f"Person {n}", "email": email,
            "language": "en"})
        assert entered.status_code == 201, entered.text
        entries.append(entered.json())
    for email, entry in zip(emails, entries, strict=True):
        mail = mailbox.wait_for_one(email, subject_contains="You are in the draw")
        status = mail.link(f"/en/appointments/lottery/{entry['entry']['reference']}")
        opened = requests.get(status, timeout=10)
        assert opened.status_code == 200 and entry["entry"]["reference"] in opened.text
        assert "Waiting for the draw" in opened.text

    # End the window now instead of waiting an hour; the appointments timer then draws.
    database["services"].update_one({"tenant": "musterstadt", "id": service_id},
                                    {"$set": {"booking_policy.lottery_window_minutes": 1}})
    database["lottery_entries"].update_many(
        {"tenant": "musterstadt", "service_id": service_id},
        {"$set": {"draw_at": datetime.now(UTC) - timedelta(seconds=1)}})
    def a_result(mail) -> bool:
        return mail.subject.startswith(("You have an appointment", "Draw: no appointment"))

    results = {email: mailbox.wait_for_one(email, where=a_result, seconds=60)
               for email in emails}
    won = [email for email, mail in results.items()
           if mail.subject.startswith("You have an appointment")]
    assert len(won) == 1, [mail.subject for mail in results.values()]
    (winner,) = won
    (loser,) = set(emails) - {winner}
    assert results[loser].subject.startswith("Draw: no appointment")
    assert results[loser].link("/en/appointments")
    statuses = [requests.get(entry["status_url"], timeout=10).json() for entry in entries]
    booking = next(status["booking"] for status in statuses if status["state"] == "allocated")
    mail = results[winner]
    manage = mail.link(f"/en/appointments/bookings/{booking['reference']}?token=")
    opened = requests.get(manage, timeout=10)
    assert opened.status_code == 200 and booking["reference"] in opened.text
    event = calendar_event(mail.attachment(content_type="text/calendar"))
    assert str(event["UID"]) == f"{booking['reference']}@musterstadt.loket"
    assert event.decoded("DTSTART") == datetime.fromisoformat(booking["start"])
    # The draw's booking is told by the result only, not by a second confirmation.
    assert not [other for other in mailbox.messages(winner)
                if other.subject.startswith("Appointment confirmed")]


def resident(system, username: str = "dora") -> dict:
    """A demo resident's bearer header."""
    return {"Authorization": f"Bearer {system.token_for(username)}"}


@pytest.fixture
def dora_with_a_fresh_address(system):
    """Dora's bearer header, her profile email a fresh one and English (put back after)."""
    me = resident(system)
    before = api(system, "GET", "/me", headers=me)
    assert before.status_code == 200, before.text
    email = fresh_address("dora")
    changed = api(system, "PATCH", "/me", headers=me,
                  json={"email": email, "notification_channel": "email",
                        "preferred_language": "en"})
    assert changed.status_code == 200, changed.text
    yield me, email
    api(system, "PATCH", "/me", headers=resident(system),
        json={key: before.json()[key] for key in (
            "email", "notification_channel", "preferred_language") if key in before.json()})


def apply(system, me: dict) -> tuple[dict, dict]:
    """A submitted residents' parking application (every required answer, a PNG); and
    its permit type."""
    client = address(72200)
    permit_type = api(system, "GET", f"/permit-types/{TYPE}").json()
    data = {field["name"]: value_for(field) for field in permit_type["fields"]
            if field["required"]}
    created = api(system, "POST", "/applications", client=client, headers=me,
                  json={"type_id": TYPE, "data": data})
    assert created.status_code == 201, created.text
    application = created.json()
    for document in permit_type["documents"]:
        if "image/png" in document["content_types"]:
            uploaded = api(system, "POST", f"/applications/{application['id']}/attachments",
                           client=client, headers=me, data={"document_id": document["id"]},
                           files={"file": ("nachweis.png", png(), "image/png")})
            assert uploaded.status_code == 201, uploaded.text
    submitted = api(system, "POST", f"/applications/{application['id']}/submission",
                    client=client, headers=me)
    assert submitted.status_code == 200, submitted.text
    return submitted.json(), permit_type


def test_an_application_is_told_submitted_asked_and_decided_and_listed_in_my_messages(
        system, mailbox, page, dora_with_a_fresh_address):
    me, email = dora_with_a_fresh_address
    application, permit_type = apply(system, me)
    reference, application_id = application["reference"], application["id"]
    submitted = mailbox.wait_for_one(email, subject_contains="Application received")
    assert reference in submitted.subject
    assert submitted.link(f"/en/permits/applications/{application_id}")

    david = {"Authorization": f"Bearer {system.token_for('david')}"}
    case = f"/cases/{application_id}"

    def decide(body: dict) -> dict:
        response = api(system, "POST", case + "/transitions", headers=david, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    assigned = api(system, "POST", case + "/assignment", headers=david, json={"assignee": "me"})
    assert assigned.status_code == 200, assigned.text
    decide({"to": "in_review"})
    field = next(field for field in permit_type["fields"] if field["required"])
    answer_by = date.today() + timedelta(days=10)
    decide({"to": "information_requested", "reason": "Nachweis unklar",
            "information_request": {"message": "Please send the vehicle registration again.",
                                    "fields": [field["name"]],
                                    "answer_by": answer_by.isoformat()}})
    asked = mailbox.wait_for_one(email, subject_contains="We need information")
    assert reference in asked.subject
    assert "Please send the vehicle registration again." in asked.text
    assert f"- {field['label']['en']}" in asked.text
    shown_date = format_calendar_date(answer_by.isoformat(), "en", "Europe/Berlin")
    assert f"Please answer by {shown_date}" in asked.text
    link = asked.link(f"/en/permits/applications/{application_id}")
    page.goto(link)  # the applicant signs in and lands on her application
    sign_in(page, system, "dora")
    page.wait_for_url(lambda url: f"/permits/applications/{application_id}" in url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("Please send the vehicle registration again.")

    answered = api(system, "POST", f"/applications/{application_id}/answer",
                   client=address(72200), headers=me,
                   json={"data": {field["name"]: value_for(field)}, "message": "Attached."})
    assert answered.status_code == 200, answered.text
    decide({"to": "in_review"})
    decide({"to": "approved", "reason": "All documents are in order."})
    decided = mailbox.wait_for_one(email, subject_contains="Decision on your application")
    assert reference in decided.subject and "approved" in decided.subject
    assert "it is approved" in decided.text
    assert "All documents are in order." in decided.text
    assert "What happens next" in decided.text and NEXT_STEP["approved"]["en"] in decided.text
    assert decided.link(f"/en/permits/applications/{application_id}")

    kinds = ["permit_submitted", "permit_information_requested", "permit_decided"]

    def listed():  # every message about it, each taken by the relay
        messages = api(system, "GET", "/me/messages", headers=resident(system)).json()
        mine = {message["kind"]: message for message in messages
                if message["about"] == {"kind": "application", "id": application_id}}
        return mine if all(mine.get(kind, {}).get("state") in SENT for kind in kinds) else None

    mine = wait_for(listed)
    assert {mine[kind]["subject_line"] for kind in kinds} == {
        submitted.subject, asked.subject, decided.subject}
    for kind in kinds:
        assert [change["state"] for change in mine[kind]["history"]][0] == "queued"
    page.goto(f"{system.url}/en/me/messages")
    main = page.locator("main")
    for words in ("Application received", "Information requested for an application",
                  "Decision on an application", asked.subject, decided.subject):
        expect(main).to_contain_text(words)
    expect(main).to_contain_text("handed to the mail server")


def test_the_manage_page_shows_that_the_confirmation_was_sent(system, mailbox):
    email = fresh_address("managed")
    # Two days ahead: no reminder comes to be the last message about it.
    booking = book(system, email, address(72300), starts_after(30), days_ahead=2)
    confirmation = mailbox.wait_for_one(email, subject_contains="Appointment confirmed")
    manage = confirmation.link(f"/en/appointments/bookings/{booking['reference']}?token=")

    def noted():
        text = requests.get(manage, timeout=10).text
        return "Email about this" in text and (
            "The email “Appointment confirmed” was handed to the mail server" in text
            or "The email “Appointment confirmed” was delivered" in text)

    wait_for(noted)


def test_an_office_cancellation_tells_the_resident_the_offices_reason(system, mailbox, page):
    email = fresh_address("officecancel")
    booking = book(system, email, address(72400), starts_after(30), days_ahead=2)
    reference = booking["reference"]
    mailbox.wait_for_one(email, subject_contains="Appointment confirmed")
    sign_in(page, system, "clara")  # counter staff
    office = booking["office_id"]
    day = datetime.fromisoformat(booking["start"]).astimezone(
        ZoneInfo("Europe/Berlin")).date().isoformat()
    page.goto(f"{system.url}/en/staff/day-list?office={office}&date={day}")
    reason = f"The office is closed for a staff meeting ({uuid.uuid4().hex[:6]})."
    page.locator(f"#cancel-reason-{reference}").fill(reason)
    page.get_by_role("button", name=f"Cancel (office): {reference}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{reference} is cancelled")
    cancellation = mailbox.wait_for_one(email, subject_contains="Appointment cancelled")
    assert "we have had to cancel your appointment" in cancellation.text
    assert "Why it was cancelled:" in cancellation.text and reason in cancellation.text
    assert reason in cancellation.html
    event = calendar_event(cancellation.attachment(content_type="text/calendar"))
    assert str(event["STATUS"]) == "CANCELLED"
    wait_for(lambda: slot_free(system, office, booking["slot_start"]))
