"""Issue 5's "Done when", tried as a new user would, in one walk through the running system.

Anna signs in, edits her profile, books an appointment signed in, applies for a permit with
an attachment, exports everything, case worker David opens her case, Anna sees his access
in her log, asks for erasure, it completes, and then a raw scan of every service's database
finds none of her plaintext and not her pseudonymous subject.
"""
import json
import re
import time
import uuid

import pytest
import requests
from bson import json_util
from playwright.sync_api import expect
from pymongo import MongoClient

from .booking_client import address, api
from .browser import sign_in
from .test_permit_applications import TYPE, kind, png, value_for

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

DATABASES = ("loket_appointments", "loket_permits", "loket_profile")
STREET = f"Walkstraße-{uuid.uuid4().hex[:8]}"
ANSWER = f"Walk-answer-{uuid.uuid4().hex[:8]}"
FILENAME = f"anna-walk-{uuid.uuid4().hex[:8]}.png"
RESIDENT = address(52001)


def wait_for(check, seconds: float = 60, every: float = 0.5):
    """``check()``'s first truthy result within ``seconds``, else its last result."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def edit_profile(page, system) -> None:
    page.goto(f"{system.url}/en/me/profile")
    page.get_by_label("Street").fill(STREET)
    page.get_by_label("House number").fill("12a")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("City").fill("Musterstadt")
    page.get_by_label("Phone number").fill("+49 30 9876543")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")


def book_signed_in(page, system) -> str:
    """Book the first free ID-card time on the pages; the contact form comes prefilled."""
    page.goto(f"{system.url}/en/appointments/id-card/")
    page.wait_for_function(
        "document.querySelector('input[name=pow_solution]').value.length > 0", timeout=30_000)
    page.get_by_role("button", name="Reserve this time").click()
    expect(page.get_by_label("Your name")).to_have_value("Anna Schmidt")
    expect(page.get_by_label("Your email address")).to_have_value("anna.schmidt@example.org")
    page.get_by_role("button", name="Book this appointment").click()
    # the manage page, in the language of her profile (German)
    page.wait_for_url(re.compile(r"/bookings/[A-Z0-9-]+\?token="))
    return re.search(r"/bookings/([A-Z0-9-]+)\?token=", page.url).group(1)


def apply_with_attachment(system, anna: dict) -> dict:
    """A residents' parking application with every required answer and a PNG document."""
    permit_type = api(system, "GET", f"/permit-types/{TYPE}").json()
    data = {field["name"]: value_for(field) for field in permit_type["fields"]
            if field["required"]}
    for field in permit_type["fields"]:
        if kind(field) in ("text", "long_text") and not field.get("choices"):
            data[field["name"]] = ANSWER
    created = api(system, "POST", "/applications", client=RESIDENT, headers=anna,
                  json={"type_id": TYPE, "data": data})
    assert created.status_code == 201, created.text
    application = created.json()
    document = next(item for item in permit_type["documents"]
                    if "image/png" in item["content_types"])
    uploaded = api(system, "POST", f"/applications/{application['id']}/attachments",
                   client=RESIDENT, headers=anna, data={"document_id": document["id"]},
                   files={"file": (FILENAME, png(), "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    submitted = api(system, "POST", f"/applications/{application['id']}/submission",
                    client=RESIDENT, headers=anna)
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def raw_documents(system) -> str:
    """Every document of the three services' databases, as one text (extended JSON)."""
    client = MongoClient(system.mongo_uri)
    try:
        return "\n".join(json_util.dumps(document)
                         for name in DATABASES
                         for collection in client[name].list_collection_names()
                         for document in client[name][collection].find())
    finally:
        client.close()


def test_a_resident_walks_through_her_data_protection_rights(page, system):
    # anna signs in on the pages (the first sign-in creates her profile) and edits it
    sign_in(page, system, "anna")
    edit_profile(page, system)
    anna = {"Authorization": f"Bearer {system.token_for('anna')}"}
    subject = api(system, "GET", "/me", headers=anna).json()["subject"]

    # she books signed in, and applies for a permit with an attachment
    reference = book_signed_in(page, system)
    application = apply_with_attachment(system, anna)

    # the export holds all three services' parts, her booking and application among them
    exported = api(system, "GET", "/me/export", headers=anna)
    assert exported.status_code == 200, exported.text
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    services = json.loads(exported.content)["services"]
    assert services["profile"]["profile"]["address"]["street"] == STREET
    assert reference in [item["reference"] for item in services["appointments"]["bookings"]]
    exported_application = next(item for item in services["permits"]["applications"]
                                if item["id"] == application["id"])
    assert exported_application["attachments"][0]["filename"] == FILENAME

    # case worker david opens her case; anna sees his access in her log
    david = {"Authorization": f"Bearer {system.token_for('david')}"}
    case = api(system, "GET", f"/cases/{application['id']}", headers=david)
    assert case.status_code == 200, case.text

    def logged():
        page.goto(f"{system.url}/en/me/access-log")
        return "David Wolf" in page.locator("main").inner_text()
    assert wait_for(logged, 30), "david's access is not in anna's access log"
    row = page.get_by_role("row", name=re.compile("David Wolf"))
    expect(row).to_contain_text("Case worker")
    expect(row).to_contain_text("Processing your application")
    expect(row).to_contain_text("Applications and permits")

    # she asks for erasure on the pages and follows its progress until it completes
    page.goto(f"{system.url}/en/me/data")
    page.get_by_role("link", name="Delete my data").click()
    page.get_by_label("Yes, delete my data (required)").check()
    page.get_by_role("button", name="Delete my data now").click()

    def completed():
        page.goto(f"{system.url}/en/me/data/erasure")
        return "every service has erased your data" in page.locator("main").inner_text()
    assert wait_for(completed, 60), page.locator("main").inner_text()

    # nothing of her is readable in any service's database
    raw = raw_documents(system)
    for plaintext in ("Anna", "Schmidt", "anna.schmidt@example.org", STREET, "9876543",
                      ANSWER, FILENAME, subject):
        assert plaintext not in raw, f"{plaintext!r} is still stored"
    # and the API has nothing of her: no bookings, no applications
    assert api(system, "GET", "/me/appointments", headers=anna).json() == []
    mine = requests.get(f"{system.url}/api/v1/tenants/musterstadt/applications",
                        headers=anna, timeout=30)
    assert mine.status_code == 200 and mine.json() == []
