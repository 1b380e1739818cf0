# SPDX-License-Identifier: EUPL-1.2
"""Issue 13's pages in headless Chromium: axe (WCAG 2.1 AA) on each, usable at 320 px, the
forms without JavaScript. The admin's kinds (a switched-off kind sends nothing) and previews
(every kind in both languages; the frames load nothing), the operator's counts and resend,
the case view's messages, the counter's office cancellation and the resident's messages."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from pymongo import MongoClient

from loket_contracts.notifications.schemas import KINDS

from .booking_client import api, hold
from .browser import assert_accessible, sign_in
from .test_permit_applications import TYPE, png, value_for

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SECONDS = 30.0
# The innermost elements reaching past the 320 px screen (what a failure names).
WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321
  && ![...e.children].some(c => c.getBoundingClientRect().right > 321)).slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)
  + ' ' + (e.textContent || '').trim().slice(0, 40))"""


# What in a document would load something: elements with a source, style sheets, url()s.
REMOTE = """[...document.querySelectorAll('[src], [srcset], link[rel~=stylesheet], [background]')]
  .map(e => e.outerHTML.slice(0, 80)).concat([...document.querySelectorAll('[style]')]
  .filter(e => /url\\(/i.test(e.getAttribute('style'))).map(e => e.outerHTML.slice(0, 80)))
  .concat([...document.querySelectorAll('style')].filter(e => /url\\(|@import/i.test(
  e.textContent)).map(e => e.textContent.slice(0, 80)))"""


def fresh_address(name: str) -> str:
    """An address no other test writes to."""
    return f"{name}+{uuid.uuid4().hex[:10]}@example.org"


def eventually(check: Callable[[], Any], what: str, seconds: float = SECONDS) -> Any:
    """``check()``'s first truthy answer, polled until a deadline; fails naming ``what``."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.2)


def assert_usable_at_320(page) -> None:
    """At 320 CSS pixels wide the page reflows (no horizontal scrolling of the document) and
    passes axe there too."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at 320 px: {page.evaluate(WIDE)}"
    assert_accessible(page)  # a table scrolling in its region: reachable by keyboard
    page.set_viewport_size({"width": 1280, "height": 800})


def book(system, email: str, service_id: str = "id-card", office_id: str | None = None,
         language: str = "en") -> dict:
    """Book the first free slot of ``service_id`` for ``email``; the booking."""
    params = {"service_id": service_id, **({"office_id": office_id} if office_id else {})}
    for slot in api(system, "GET", "/slots", params=params).json():
        held = hold(system, slot)
        if held.status_code == 409:  # another test took it
            continue
        assert held.status_code == 201, held.text
        confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                        json={"name": "Nora Nachricht", "email": email,
                              "language": language})
        assert confirmed.status_code == 201, confirmed.text
        return dict(confirmed.json()["booking"])
    raise AssertionError(f"no free {service_id} slot left")


def has_calendar(mail) -> bool:
    """True for a message with an .ics attached (a confirmation, not a reminder)."""
    return any(kind == "text/calendar" for _, kind, _ in mail.attachments())


def database(system, name: str):
    """One service's database, raw."""
    return MongoClient(system.mongo_uri, tz_aware=True)[name]


def wait_until_notifications_heard(system, reference: str, event_type: str) -> None:
    """Wait until the notifications service handled the booking's ``event_type`` event."""
    outbox = database(system, "loket_appointments")["outbox"]
    handled = database(system, "loket_notifications")["handled_events"]

    def heard() -> bool:
        event = outbox.find_one({"message.type": event_type,
                                 "message.data.reference": reference})
        return event is not None and handled.count_documents(
            {"_id": {"$regex": f":{event['_id']}$"}}) > 0
    eventually(heard, f"notifications handled {event_type} of {reference}")


def messages_about(system, about_id: str) -> list[dict]:
    """The notifications database's message records about one booking or application."""
    return list(database(system, "loket_notifications")["messages"].find({"about.id": about_id}))


def submit_application(system, username: str) -> dict:
    """``username`` applies for a residents' parking permit (by the API) and submits it."""
    headers = {"Authorization": f"Bearer {system.token_for(username)}"}
    permit_type = api(system, "GET", f"/permit-types/{TYPE}").json()
    created = api(system, "POST", "/applications", headers=headers, json={
        "type_id": TYPE, "data": {field["name"]: value_for(field)
                                  for field in permit_type["fields"] if field["required"]}})
    assert created.status_code == 201, created.text
    path = f"/applications/{created.json()['id']}"
    for document in permit_type["documents"]:
        if "image/png" in document["content_types"]:
            uploaded = api(system, "POST", path + "/attachments", headers=headers,
                           data={"document_id": document["id"]},
                           files={"file": ("nachweis.png", png(), "image/png")})
            assert uploaded.status_code == 201, uploaded.text
    submitted = api(system, "POST", path + "/submission", headers=headers)
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


def test_a_kind_switched_off_sends_nothing_and_on_again_sends(page_without_js, page, system,
                                                              mailbox):
    sign_in(page_without_js, system, "erika")
    page_without_js.goto(f"{system.url}/en/admin/notifications")
    switch = page_without_js.locator("form[action$='/admin/notifications/booking_confirmed']")
    row = page_without_js.locator("tr").filter(has=switch)
    expect(row.locator("td").nth(1)).to_have_text("on")
    silent, heard = fresh_address("silent"), fresh_address("heard")
    switch.get_by_role("button").click()  # off (a plain form post, no JavaScript)
    try:
        expect(page_without_js.get_by_role("status")).to_contain_text("is no longer sent")
        expect(row.locator("td").nth(1)).to_have_text("off")
        booked = book(system, silent)
        wait_until_notifications_heard(system, booked["reference"], "appointment_booked")
    finally:
        page_without_js.goto(f"{system.url}/en/admin/notifications")
        if row.locator("td").nth(1).inner_text() == "off":
            switch.get_by_role("button").click()  # on again
    expect(page_without_js.get_by_role("status")).to_contain_text("is sent again")
    expect(row.locator("td").nth(1)).to_have_text("on")
    book(system, heard)
    assert mailbox.wait_for_one(heard, where=has_calendar).text  # confirmations are sent again
    # The one booked while it was off got no confirmation: no record, no mail with an .ics
    # (a booking within REMINDER_HOURS gets its reminder: another kind, still on).
    assert "booking_confirmed" not in {
        item["kind"] for item in messages_about(system, booked["reference"])}
    assert [mail.subject for mail in mailbox.messages(silent) if has_calendar(mail)] == []

    sign_in(page, system, "erika")  # the page with JavaScript: axe, 320 px, both languages
    for lang in ("de", "en"):
        page.goto(f"{system.url}/{lang}/admin/notifications")
        assert page.locator("tbody tr").count() == len(KINDS)
        assert_accessible(page)
    assert_usable_at_320(page)


def test_the_preview_shows_every_kind_in_both_languages_and_its_frames_load_nothing(
        page, system):
    sign_in(page, system, "erika")
    requests: list[Any] = []
    page.on("request", lambda request: requests.append(request))
    response = page.goto(f"{system.url}/en/admin/notifications/preview")
    page.wait_for_load_state("load")
    policy = dict(directive.strip().split(" ", 1) for directive in  # the frames inherit it
                  response.headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'"
    for fetching in ("img-src", "font-src", "style-src", "frame-src", "connect-src"):
        assert "http" not in policy[fetching] and "*" not in policy[fetching], policy
    articles = page.locator("article")
    shown = {(articles.nth(index).get_attribute("lang"),
              articles.nth(index).locator("h3").get_attribute("id"))
             for index in range(articles.count())}
    assert shown == {(lang, f"preview-{kind_id}-{lang}")
                     for kind_id in KINDS for lang in ("de", "en")}
    frames = page.locator("iframe")
    assert frames.count() == 2 * len(KINDS)
    for index in range(frames.count()):
        assert frames.nth(index).get_attribute("sandbox") == ""  # no scripts, no origin
    html_frames = [frame for frame in page.frames if frame is not page.main_frame]
    assert len(html_frames) == 2 * len(KINDS)
    for frame in html_frames:
        assert frame.locator("body").inner_text().strip()  # the sample HTML is there
        assert frame.evaluate(REMOTE) == [], frame.name  # no image, font or style to fetch
    loaded_by_frames = [request.url for request in requests
                        if request.frame is not page.main_frame]
    assert loaded_by_frames == [], loaded_by_frames
    assert all(request.url.startswith(system.url + "/") for request in requests), [
        request.url for request in requests]
    assert_accessible(page)
    page.goto(f"{system.url}/de/admin/notifications/preview")
    assert_accessible(page)
    assert_usable_at_320(page)


def message_state(system, about_id: str, kind_id: str) -> str | None:
    """The state of the message of ``kind_id`` about ``about_id`` (None: no record yet)."""
    found = [item for item in messages_about(system, about_id) if item["kind"] == kind_id]
    return str(found[0]["state"]) if found else None


def history(system, about_id: str, kind_id: str) -> list[str]:
    """The states the message of ``kind_id`` about ``about_id`` went through, in order."""
    found = [item for item in messages_about(system, about_id) if item["kind"] == kind_id]
    return [str(change["state"]) for change in found[0]["history"]] if found else []


def handed_over(system, application_id: str) -> bool:
    """The application's submitted email went to the relay (the failure says what it did)."""
    return message_state(system, application_id, "permit_submitted") in ("accepted",
                                                                          "delivered")


def test_the_operator_sees_the_counts_and_resends_a_permanent_failure(page_without_js, page,
                                                                      system):
    booked = book(system, fresh_address("refused"))  # the catcher answers 550 5.1.1
    reference = booked["reference"]
    eventually(lambda: message_state(system, reference, "booking_confirmed")
               == "permanent_failure", f"the confirmation of {reference} failed for good")
    sign_in(page_without_js, system, "olga")
    page_without_js.goto(f"{system.url}/en/operator/notifications?tenant=musterstadt")
    counts = page_without_js.get_by_role("table", name="Messages per state")
    failed = counts.get_by_role("row").filter(
        has=page_without_js.get_by_role("rowheader", name="could not be delivered", exact=True))
    assert int(failed.get_by_role("cell").inner_text()) >= 1

    def row():  # the failures are listed oldest first, a page at a time
        page_without_js.goto(f"{system.url}/en/operator/notifications?tenant=musterstadt")
        while True:
            found = page_without_js.locator("tbody tr").filter(has_text=reference).filter(
                has_text="Appointment confirmed")  # (its reminder failed too)
            if found.count() or not page_without_js.get_by_role("link", name="Next page").count():
                return found
            page_without_js.get_by_role("link", name="Next page").click()
    failure = row()
    assert failure.get_by_role("cell").nth(4).inner_text() == "1"  # tries
    assert "5.1.1" in failure.get_by_role("cell").nth(5).inner_text()
    failure.get_by_role("button", name="Send again").click()  # a plain form post
    expect(page_without_js.get_by_role("status")).to_contain_text(
        "The message is queued to be sent again.")
    # sent again (the catcher refuses the address again): queued anew, failed for good again
    eventually(lambda: history(system, reference, "booking_confirmed").count(
        "permanent_failure") == 2, f"the resent confirmation of {reference} tried again")
    states = history(system, reference, "booking_confirmed")
    assert states.index("permanent_failure") < len(states) - 1 - states[::-1].index("queued")
    expect(row()).to_have_count(1)  # listed again, once

    sign_in(page, system, "olga")
    for lang in ("de", "en"):
        page.goto(f"{system.url}/{lang}/operator/notifications")
        assert_accessible(page)
    assert_usable_at_320(page)


def test_the_case_view_lists_the_messages_to_the_applicant(page, page_without_js, system):
    sign_in(page_without_js, system, "dora")  # her first sign-in makes her profile (the email)
    application = submit_application(system, "dora")
    eventually(lambda: handed_over(system, application["id"]), "the submitted email was "
               f"handed to the relay: {history(system, application['id'], 'permit_submitted')}")
    sign_in(page, system, "david")
    page.goto(f"{system.url}/en/staff/cases/{application['id']}")
    sent = page.get_by_role("table", name="Messages to the applicant")
    received = sent.get_by_role("row").filter(has_text="Application received")
    expect(received).to_have_count(1)
    expect(received).to_contain_text("handed to the mail server")
    assert page.get_by_text("The applicant's email address bounced.").count() == 0
    assert_accessible(page)
    page.goto(f"{system.url}/de/staff/cases/{application['id']}")
    assert_accessible(page)
    assert_usable_at_320(page)


def test_counter_staff_cancel_with_a_reason_without_javascript(page_without_js, page, system,
                                                               mailbox):
    email = fresh_address("office-cancel")
    booked = book(system, email, "registration", "rathaus")
    reference = booked["reference"]
    mailbox.wait_for_one(email, where=has_calendar)  # the confirmation
    reason = f"Der Schalter ist wegen einer Schulung geschlossen ({uuid.uuid4().hex[:6]})."
    day_list = (f"{system.url}/en/staff/day-list?office=rathaus&date={booked['start'][:10]}")
    sign_in(page_without_js, system, "clara")
    page_without_js.goto(day_list)
    page_without_js.locator(f"#cancel-reason-{reference}").fill(reason)
    page_without_js.get_by_role("button", name=f"Cancel (office): {reference}").click()
    expect(page_without_js.get_by_role("status")).to_contain_text(
        f"{reference} is cancelled; the resident is told.")
    assert page_without_js.get_by_role("button", name=f"Cancel (office): {reference}").count() == 0
    told = mailbox.wait_for_one(email, where=lambda mail: reason in mail.text)
    assert reason in told.html and has_calendar(told)

    sign_in(page, system, "clara")
    page.goto(day_list)
    assert_accessible(page)
    page.goto(day_list.replace("/en/", "/de/"))
    assert_accessible(page)
    assert_usable_at_320(page)


def test_my_messages_page_and_api_list_the_messages_with_their_state(page, page_without_js,
                                                                     system):
    sign_in(page, system, "dora")  # her first sign-in makes her profile (the email)
    application = submit_application(system, "dora")
    eventually(lambda: handed_over(system, application["id"]), "the submitted email was "
               f"handed to the relay: {history(system, application['id'], 'permit_submitted')}")
    listed = api(system, "GET", "/me/messages",
                 headers={"Authorization": f"Bearer {system.token_for('dora')}"})
    assert listed.status_code == 200, listed.text
    mine = [item for item in listed.json() if item["about"]["id"] == application["id"]
            and item["kind"] == "permit_submitted"]  # (then the review's status change)
    assert [item["state"] in ("accepted", "delivered") for item in mine] == [True], mine
    message_id = mine[0]["id"]
    assert [change["state"] for change in mine[0]["history"]][:1] == ["queued"]

    for lang, state in (("en", "handed to the mail server"), ("de", None)):
        page.goto(f"{system.url}/{lang}/me/messages")
        card = page.locator(f"article[aria-labelledby='message-{message_id}']")
        expect(card).to_have_count(1)
        if state:
            expect(card.locator("dd strong")).to_have_text(state)
        assert_accessible(page)
    assert_usable_at_320(page)
    sign_in(page_without_js, system, "dora")  # without JavaScript it is the same page
    page_without_js.goto(f"{system.url}/en/me/messages")
    expect(page_without_js.locator(f"article[aria-labelledby='message-{message_id}']")
           ).to_have_count(1)
