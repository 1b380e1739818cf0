"""Residents read Loket's email in the development mailbox: confirmation, cancel, outage."""
import time
import uuid
from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from icalendar import Calendar

from .booking_client import address, api, hold

pytestmark = pytest.mark.e2e

BOUNCE_ADDRESS = "bounces@musterstadt.example"  # the demo tenant's (its notifications file)


def fresh_address(name: str) -> str:
    """An address no other test writes to."""
    return f"{name}+{uuid.uuid4().hex[:10]}@example.org"


def book(system, email: str, client: str, taken: set[tuple[str, str]],
         language: str = "de") -> dict:
    """Book the first free ID-card slot nobody took yet; the confirmation's answer."""
    slots = api(system, "GET", "/slots", params={"service_id": "id-card"}, client=client).json()
    for slot in slots:
        key = (slot["office_id"], slot["start"])
        if key in taken:
            continue
        taken.add(key)
        held = hold(system, slot, client)
        if held.status_code == 409:  # another test took it
            continue
        assert held.status_code == 201, held.text
        confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                        client=client, json={"name": "Anna Schmidt", "email": email,
                                             "language": language})
        assert confirmed.status_code == 201, confirmed.text
        return confirmed.json()
    raise AssertionError("no free ID-card slot left")


def has_calendar(mail) -> bool:
    """True for a message with an .ics attached (the booking kinds but the reminder)."""
    return any(kind == "text/calendar" for _, kind, _ in mail.attachments())


def calendar_event(ics: bytes):
    """The one VEVENT of an .ics file, parsed with icalendar."""
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_the_confirmation_has_a_working_manage_link_and_a_valid_ics_and_so_has_the_cancel(
        system, mailbox):
    email = fresh_address("anna")
    confirmed = book(system, email, address(70001), set())
    reference = confirmed["booking"]["reference"]
    mail = mailbox.wait_for_one(email)
    assert mail.mail_from == BOUNCE_ADDRESS  # bounces come back to the tenant's address
    assert mail.email["Message-ID"] and mail.html and mail.text
    manage = mail.link(f"/appointments/bookings/{reference}")
    assert manage.startswith(system.url + "/de/")  # the booking's language
    opened = requests.get(manage, timeout=10)
    assert opened.status_code == 200 and reference in opened.text
    event = calendar_event(mail.attachment(content_type="text/calendar"))
    assert str(event["UID"]) == f"{reference}@musterstadt.loket"
    assert event.decoded("DTSTART") == datetime.fromisoformat(confirmed["booking"]["start"])
    token = parse_qs(urlparse(manage).query)["token"][0]
    cancelled = api(system, "DELETE", f"/bookings/{reference}", client=address(70001),
                    headers={"X-Manage-Token": token})
    assert cancelled.json()["state"] == "cancelled", cancelled.text
    # the cancellation's .ics takes the entry out of the calendar (a reminder may come between)
    cancellation = mailbox.wait_for_one(email, where=lambda mail: has_calendar(mail) and str(
        calendar_event(mail.attachment(content_type="text/calendar"))["STATUS"]) == "CANCELLED")
    assert cancellation.id > mail.id
    assert str(calendar_event(cancellation.attachment(content_type="text/calendar"))[
        "UID"]) == f"{reference}@musterstadt.loket"


def test_the_relay_down_for_30_seconds_while_50_bookings_are_confirmed_loses_nothing(
        system, mailbox):
    emails = [fresh_address(f"outage{number}") for number in range(50)]
    taken: set[tuple[str, str]] = set()
    system.stop_mail_catcher()
    down_since = time.monotonic()
    try:
        for number, email in enumerate(emails):
            book(system, email, address(71000 + number), taken, language="en")
    finally:
        # The outage lasts 30 s (the scenario's length, not a wait for something).
        time.sleep(max(0.0, 30 - (time.monotonic() - down_since)))
        system.start_mail_catcher()
    confirmations = {}
    for email in emails:  # each arrives once the relay is back (retries are quick in e2e)
        confirmations[email] = mailbox.wait_for_one(email, where=has_calendar, seconds=120)
    for email in emails:
        # Once: one confirmation (the only one with an .ics; an appointment within a day
        # also gets its reminder), and no message twice (a Message-ID is Loket's message id).
        received = mailbox.messages(email)
        ids = [str(mail.email["Message-ID"]) for mail in received]
        assert len(set(ids)) == len(ids), [mail.subject for mail in received]
        assert [mail.id for mail in received if has_calendar(mail)] == [
            confirmations[email].id], [mail.subject for mail in received]
