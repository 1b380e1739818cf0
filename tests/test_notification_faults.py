# SPDX-License-Identifier: EUPL-1.2
"""Notifications when things go wrong: a relay refusing or down, a bounce, an erasure.

The module runs a system of its own whose tenant Musterstadt sends through two relays in
failover order: ``first``, an SMTP server in this test process (``refusing_relay.py``:
421 to every recipient or, switched, to MAIL; 550 5.1.1 to ``nosuch...``; stopped, its
port is closed), then ``local``, the development mail catcher. The bounce and the
erasure use this system too, so erasing a demo resident here touches nobody else's test.
"""
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pymongo import MongoClient

from deploy.local.infra import free_port
from deploy.local.local_keys import local_keys

from .booking_client import address, api, hold
from .browser import sign_in
from .conftest import started_system
from .mailbox import Mailbox
from .refusing_relay import FirstRelay
from .security.test_crypto_shredding import Keys, tokens
from .test_data_protection_walk import apply_with_attachment

pytestmark = pytest.mark.e2e

TENANTS = Path(__file__).parents[1] / "services/notifications/loket_notifications/tenants"
DATABASE = "loket_notifications"
RETENTION_LEASE = 0.9  # seconds: the retention timer's lease, 0.9 of its interval (1 s here)


@pytest.fixture(scope="module")
def first_relay() -> Iterator[FirstRelay]:
    relay = FirstRelay()
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture(scope="module")
def faulty(first_relay) -> Iterator[Any]:
    """The system with Musterstadt's relays ``first`` (the refusing one) then ``local``."""
    config = Path(tempfile.mkdtemp(prefix="loket-notifications-config-"))
    tenant = yaml.safe_load((TENANTS / "musterstadt.yml").read_text(encoding="utf-8"))
    tenant["relays"] = ["first", "local"]
    (config / "musterstadt.yml").write_text(yaml.safe_dump(tenant), encoding="utf-8")
    catcher = free_port()
    relays = (f"first=smtp://127.0.0.1:{first_relay.port}?security=none&timeout=5,"
              f"local=smtp://127.0.0.1:{catcher}?security=none")
    try:
        # The retention timer runs every second, so what it drops is dropped within the tests.
        with started_system(mail_smtp_port=catcher, NOTIFICATIONS_CONFIG_DIR=str(config),
                            NOTIFICATIONS_SMTP_RELAYS=relays,
                            NOTIFICATIONS_TIMER_SECONDS="1") as running:
            yield running
    finally:
        shutil.rmtree(config, ignore_errors=True)


@pytest.fixture(scope="module")
def mail(faulty) -> Mailbox:
    return Mailbox(faulty.mailbox_url)


@pytest.fixture(scope="module")
def database(faulty) -> Iterator[Any]:
    client: MongoClient = MongoClient(faulty.mongo_uri)
    yield client
    client.close()


def fresh_address(name: str) -> str:
    return f"{name}+{uuid.uuid4().hex[:10]}@example.org"


def wait_for(check: Callable[[], Any], what: str, seconds: float = 60) -> Any:
    """``check()``'s first truthy answer, polled until a deadline."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.2)


def book(system, email: str, client: str, headers: dict | None = None,
         name: str = "Anna Schmidt") -> dict:
    """Book the first free ID-card slot; the confirmation's answer."""
    for slot in api(system, "GET", "/slots", params={"service_id": "id-card"},
                    client=client).json():
        held = hold(system, slot, client)
        if held.status_code == 409:
            continue
        assert held.status_code == 201, held.text
        confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                        client=client, headers=headers or {},
                        json={"name": name, "email": email, "language": "de"})
        assert confirmed.status_code == 201, confirmed.text
        return confirmed.json()
    raise AssertionError("no free ID-card slot left")


def is_confirmation(mail) -> bool:
    """The booking confirmation: the one message with an .ics but no cancellation."""
    return any(kind == "text/calendar" for _, kind, _ in mail.attachments())


def message_about(database, about_id: str, kind: str) -> dict | None:
    return database[DATABASE]["messages"].find_one({"about.id": about_id, "kind": kind})


def test_the_first_relay_refusing_the_second_delivers_once(faulty, mail, first_relay, database):
    email = fresh_address("failover")
    reference = book(faulty, email, address(81001))["booking"]["reference"]
    confirmation = mail.wait_for_one(email, where=is_confirmation)
    assert first_relay.handler.saw(email) >= 1  # it was offered to the first relay first
    record = wait_for(lambda: (found := message_about(database, reference, "booking_confirmed"))
                      and found["state"] == "accepted" and found, "the message accepted")
    accepted = [entry for entry in record["history"] if entry["state"] == "accepted"]
    assert [entry["relay"] for entry in accepted] == ["local"], record["history"]
    assert record["attempts"] == 1  # the failover is within the one try, no retry needed
    # once: one confirmation in the catcher, one Message-ID
    received = mail.messages(email)
    assert [item.id for item in received if is_confirmation(item)] == [confirmation.id]
    ids = [str(item.email["Message-ID"]) for item in received]
    assert len(set(ids)) == len(ids)


def test_the_first_relay_down_the_second_delivers(faulty, mail, first_relay, database):
    first_relay.stop()  # its port is closed now: connections are refused
    try:
        email = fresh_address("down")
        reference = book(faulty, email, address(81002))["booking"]["reference"]
        confirmation = mail.wait_for_one(email, where=is_confirmation)
        assert first_relay.handler.saw(email) == 0
        record = wait_for(lambda: (found := message_about(database, reference,
                                                          "booking_confirmed"))
                          and found["state"] == "accepted" and found, "the message accepted")
        assert [entry["relay"] for entry in record["history"]
                if entry["state"] == "accepted"] == ["local"]
        assert [item.id for item in mail.messages(email) if is_confirmation(item)] == [
            confirmation.id]
    finally:
        first_relay.start()


def test_the_first_relay_refusing_mail_the_second_delivers(faulty, mail, first_relay,
                                                           database):
    first_relay.handler.refuse_mail = True
    try:
        email = fresh_address("nomail")
        reference = book(faulty, email, address(81007))["booking"]["reference"]
        mail.wait_for_one(email, where=is_confirmation)
        assert first_relay.handler.senders  # MAIL was tried there (and refused)
        assert first_relay.handler.saw(email) == 0
        record = wait_for(lambda: (found := message_about(database, reference,
                                                          "booking_confirmed"))
                          and found["state"] == "accepted" and found, "the message accepted")
        assert [entry["relay"] for entry in record["history"]
                if entry["state"] == "accepted"] == ["local"]
    finally:
        first_relay.handler.refuse_mail = False


def test_an_address_the_first_relay_says_does_not_exist_is_not_tried_on_the_second(
        faulty, mail, first_relay, database):
    email = fresh_address("nosuch")
    reference = book(faulty, email, address(81005))["booking"]["reference"]
    record = wait_for(lambda: (found := message_about(database, reference, "booking_confirmed"))
                      and found["state"] not in ("queued", "sending", "temporary_failure")
                      and found, "the message tried")
    assert (record["state"], record["last_detail"]) == ("permanent_failure", "5.1.1")
    assert first_relay.handler.saw(email) == 1  # once: a 550 is not tried again
    assert mail.summaries(email) == []  # and never handed to the second relay


def bearer(system, username: str) -> dict:
    return {"Authorization": f"Bearer {system.token_for(username)}"}


def set_email(system, headers: dict, email: str) -> dict:
    """The resident's profile email changed to ``email``; her profile."""
    assert api(system, "GET", "/me", headers=headers).status_code == 200  # made at first use
    edited = api(system, "PATCH", "/me", headers=headers, json={"email": email})
    assert edited.status_code == 200, edited.text
    return edited.json()


def test_a_bounced_submission_shows_on_the_case_and_in_my_messages_and_is_resent(
        faulty, mail, browser):
    ben = bearer(faulty, "ben")
    email = f"bounce+{uuid.uuid4().hex[:10]}@example.org"  # the catcher bounces it (README)
    set_email(faulty, ben, email)
    application = apply_with_attachment(faulty, ben)
    mail.wait_for_one(email)  # accepted by the catcher, which then sends a DSN back

    def bounced() -> dict | None:
        mine = api(faulty, "GET", "/me/messages", headers=ben)
        assert mine.status_code == 200, mine.text
        return next((item for item in mine.json() if item["kind"] == "permit_submitted"
                     and item["about"]["id"] == application["id"]
                     and item["state"] == "bounced"), None)

    message = wait_for(bounced, "the submitted email bounced")
    assert message["history"][-1]["state"] == "bounced"
    assert message["history"][-1]["detail"].startswith("5.")

    context = browser.new_context()  # the applicant sees it
    try:
        page = context.new_page()
        sign_in(page, faulty, "ben")
        page.goto(f"{faulty.url}/en/me/messages")
        assert "could not be delivered (the address bounced)" in page.inner_text("main")
    finally:
        context.close()

    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, faulty, "david")
        page.goto(f"{faulty.url}/en/staff/cases/{application['id']}")
        warning = page.get_by_role("alert").filter(has_text="email address bounced")
        assert warning.count() == 1, page.content()
        messages = page.locator("table[aria-labelledby=messages-heading]")
        assert "could not be delivered (the address bounced)" in messages.inner_text()

        # the applicant corrects the address; the case worker sends the message again
        corrected = fresh_address("ben")
        set_email(faulty, ben, corrected)
        page.reload()
        assert page.get_by_role("alert").filter(has_text="email address bounced").count() == 0
        page.get_by_role("button", name="Send again: Application received").click()
        resent = mail.wait_for_one(corrected)
        assert application["reference"] in resent.text
        assert wait_for(lambda: next((item for item in api(
            faulty, "GET", "/me/messages", headers=ben).json() if item["id"] == message["id"]
            and item["state"] == "accepted"), None), "the message accepted again")
    finally:
        context.close()


def erase(system, headers: dict, client: str) -> None:
    """The resident's erasure, asked for and completed."""
    asked = api(system, "POST", "/me/erasure", client=client, headers=headers)
    assert asked.status_code == 202, asked.text
    wait_for(lambda: api(system, "GET", "/me/erasure", headers=headers).json().get(
        "state") == "completed", "the erasure completed", seconds=90)


def everything(database) -> list[tuple[str, str]]:
    """(collection, raw text) of every document of the notifications database."""
    db = database[DATABASE]
    return [(name, str(document)) for name in db.list_collection_names()
            for document in db[name].find()]


def is_farewell(mail) -> bool:
    """The erasure_completed email (German or English)."""
    return "gelöscht" in mail.subject or "erased" in mail.subject.lower()


def test_an_erased_resident_leaves_nothing_in_the_notifications_database(faulty, mail,
                                                                       database):
    dora = bearer(faulty, "dora")
    email = fresh_address("dora")
    bouncing = f"bounce+{uuid.uuid4().hex[:10]}@example.org"  # her booking's: it bounces
    name = f"Dora Fischer-{uuid.uuid4().hex[:8]}"
    subject = set_email(faulty, dora, email)["subject"]
    reference = book(faulty, bouncing, address(81003), headers=dora, name=name)[
        "booking"]["reference"]
    application = apply_with_attachment(faulty, dora)
    mail.wait_for_one(email, where=lambda item: application["reference"] in item.text)

    # before: her messages are there, with content, under her subject index, and the
    # address that bounced is marked
    messages = database[DATABASE]["messages"]
    mine = [wait_for(lambda kind=kind, about=about, states=states: messages.find_one(
        {"kind": kind, "about.id": about, "content": {"$ne": None}, "state": {"$in": states}}),
        f"{kind} with content") for kind, about, states in (
            ("booking_confirmed", reference, ["bounced"]),
            ("permit_submitted", application["id"], ["accepted", "delivered"]))]
    index = mine[0]["subject_index"]
    assert index and mine[1]["subject_index"] == index
    assert database[DATABASE]["address_marks"].find_one({"subject_index": index})
    ids = {message["id"] for message in mine}
    before = {message["id"] for message in messages.find({"kind": "erasure_completed"})}

    erase(faulty, dora, address(81003))
    mail.wait_for_one(email, where=is_farewell, seconds=60)
    # its record is final once the email went out (then it keeps no content)
    wait_for(lambda: [message for message in messages.find(
        {"kind": "erasure_completed", "state": {"$in": ["accepted", "delivered"]}})
        if message["id"] not in before], "the erasure_completed message sent")

    markers = (index, subject, email, bouncing, name, *ids, reference, application["id"])
    left = [(collection, text[:120]) for collection, text in everything(database)
            if any(marker in text for marker in markers)]
    assert left == [], left
    # nor does anything encrypted there open to her address or name with a key it holds
    # (the confirmation of the erasure itself keeps no content once it is sent)
    db = database[DATABASE]
    keys = Keys(list(db["key_vault"].find()), local_keys(faulty.var_dir)["LOKET_DATA_KEYS"])
    opened = [keys.open(token) or b"" for name_ in db.list_collection_names()
              if name_ != "key_vault" for document in db[name_].find()
              for token in tokens(document)]
    assert opened, "nothing encrypted at all: the check would prove nothing"
    assert [plain[:60] for plain in opened
            if any(marker.encode() in plain for marker in (email, bouncing, name))] == []


def retention_ran_since(database, moment: datetime) -> bool:
    """True once the retention timer ran after ``moment`` (its lease says when it last ran)."""
    lease = database[DATABASE]["leases"].find_one({"_id": "retention"})
    return bool(lease) and lease["until"] - timedelta(seconds=RETENTION_LEASE) > moment


def test_the_erasure_email_survives_a_relay_outage_longer_than_the_retention_interval(
        faulty, mail, first_relay, database):
    anna = bearer(faulty, "anna")
    email = fresh_address("erased")
    set_email(faulty, anna, email)
    messages = database[DATABASE]["messages"]
    before = {message["id"] for message in messages.find({"kind": "erasure_completed"})}
    first_relay.stop()
    faulty.stop_mail_catcher()  # no relay takes anything now
    try:
        asked = api(faulty, "POST", "/me/erasure", client=address(81004), headers=anna)
        assert asked.status_code == 202, asked.text

        def waiting() -> dict | None:
            """Her erasure email, failed for want of a relay, and the retention timer ran since."""
            for message in messages.find({"kind": "erasure_completed"}):
                failed = [entry["at"] for entry in message["history"]
                          if entry["state"] == "temporary_failure"]
                if message["id"] not in before and failed and retention_ran_since(
                        database, failed[0]):
                    return message
            return None

        waiting_message = wait_for(waiting, "the erasure email waiting for a relay")
    finally:
        faulty.start_mail_catcher()
        first_relay.start()
    done = wait_for(lambda: (found := messages.find_one({"id": waiting_message["id"]}))
                    and found["state"] not in ("queued", "sending", "temporary_failure")
                    and found, "the erasure email tried again")
    assert done["state"] == "accepted", [(entry["state"], entry["detail"])
                                         for entry in done["history"]]
    mail.wait_for_one(email, where=is_farewell)
    # and its content is kept no longer once it is sent
    wait_for(lambda: messages.find_one({"id": done["id"], "content": None}),
             "the erasure email's content dropped", seconds=10)
