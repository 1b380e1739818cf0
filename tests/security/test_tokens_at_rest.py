"""No database, outbox or log holds a token that opens a booking, an entry or an account.

Audit finding (issue 12): the ``appointment_booked`` outbox entry held ``manage_token`` in
plain, so whoever could read the database could open, move or cancel any booking. Here the
resident flows run against the whole system (booking by API and by the pages, lottery
entries by API and by the pages, a draw, a permit application with an access token), then
every raw document of every database, every file of the database's storage and every
process's log file are searched for each token the system handed out: none is found. What
the notifications service needs travels sealed, and opens with its private key only.
"""
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from bson.raw_bson import RawBSONDocument
from pymongo import MongoClient

from deploy.local.local_keys import local_keys
from loket_common.sealing import NOTIFICATIONS_PRIVATE_KEY_VARIABLE, open_sealed
from loket_common.tokens import token_hash
from loket_gateway.appointments.anti_bot.proof_of_work import solve

from ..booking_client import CONTACT, address, api, hold
from ..forms import hidden_fields
from ..test_lottery_pages import passport_window  # noqa: F401 (a fixture used below)
from ..test_permit_applications import TYPE, value_for

pytestmark = pytest.mark.e2e

PASSPORT = {"tenant": "musterstadt", "id": "passport"}
PLAIN_FIELDS = (b"\x02manage_token\x00", b"\x02status_token\x00")  # BSON strings so named


def token_in(url: str) -> str:
    """The ``token`` a manage or status link carries in its query."""
    return parse_qs(urlsplit(url).query)["token"][0]


def contact(kind: str) -> dict:
    return {**CONTACT, "email": f"{kind}-{uuid.uuid4().hex[:8]}@example.org"}


def book_by_api(system) -> str:
    """Book, open the manage page and the calendar file; the manage token."""
    client = address(63_001)
    slot = api(system, "GET", "/slots/first", client=client,
               params={"service_id": "id-card"}).json()
    held = hold(system, slot, client)
    assert held.status_code == 201, held.text
    confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                    client=client, json=contact("api"))
    assert confirmed.status_code == 201, confirmed.text
    for url in (confirmed.json()["manage_url"], confirmed.json()["calendar_url"]):
        assert requests.get(url, timeout=30).status_code == 200
    return confirmed.json()["manage_token"]


def book_by_pages(system) -> str:
    """Book with the forms, as a browser without JavaScript; the manage link's token."""
    client = address(63_002)
    resident = requests.Session()
    resident.headers["X-Forwarded-For"] = client
    slot = api(system, "GET", "/slots", client=client,
               params={"service_id": "id-card"}).json()[1]
    slots_url = f"{system.url}/de/appointments/id-card/"
    fields = hidden_fields(resident.get(slots_url, timeout=30).text, "/appointments/id-card/")
    fields |= {"slot": f"{slot['office_id']}|{slot['start']}",
               "pow_solution": solve(json.loads(fields["pow_challenge"])["challenge"])}
    held = resident.post(slots_url, data=fields, timeout=30, allow_redirects=False)
    assert held.status_code == 303, held.text
    contact_url = urljoin(slots_url, held.headers["Location"])
    fields = hidden_fields(resident.get(contact_url, timeout=30).text,
                           contact_url.removeprefix(system.url))
    booked = resident.post(contact_url, data={**fields, **contact("page")}, timeout=30,
                           allow_redirects=False)
    assert booked.status_code == 303, booked.text
    manage_url = urljoin(contact_url, booked.headers["Location"])
    assert resident.get(manage_url, timeout=30).status_code == 200
    return token_in(manage_url)


def enter_by_api(system) -> str:
    entered = api(system, "POST", "/lottery-entries", client=address(63_003),
                  json={**contact("lottery-api"), "service_id": "passport"})
    assert entered.status_code == 201, entered.text
    assert requests.get(entered.json()["status_url"], timeout=30).status_code == 200
    return entered.json()["status_token"]


def enter_by_pages(system) -> str:
    resident = requests.Session()
    resident.headers["X-Forwarded-For"] = address(63_004)
    form_url = f"{system.url}/en/appointments/passport/lottery"
    fields = hidden_fields(resident.get(form_url, timeout=30).text, "/lottery")
    entered = resident.post(form_url, timeout=30, allow_redirects=False, data={
        **fields, **contact("lottery-page"), "office": ""})
    assert entered.status_code == 303, entered.text
    status_url = urljoin(form_url, entered.headers["Location"])
    assert resident.get(status_url, timeout=30).status_code == 200
    return token_in(status_url)


def apply_for_a_permit(system) -> str:
    """A draft application by a signed-in resident; the access token it used."""
    token = system.token_for("anna")
    fields = api(system, "GET", f"/permit-types/{TYPE}").json()["fields"]
    created = api(system, "POST", "/applications", client=address(63_005),
                  headers={"Authorization": f"Bearer {token}"},
                  json={"type_id": TYPE, "data": {field["name"]: value_for(field)
                                                  for field in fields if field["required"]}})
    assert created.status_code == 201, created.text
    return token


def draw_now(database) -> None:
    """End the window now; the service timer draws (as the lottery tests do)."""
    database["services"].update_one(PASSPORT, {"$set": {
        "booking_policy.lottery_window_minutes": 1}})
    database["lottery_entries"].update_many(
        {"tenant": "musterstadt", "service_id": "passport", "state": "pending"},
        {"$set": {"draw_at": datetime.now(UTC) - timedelta(seconds=1)}})
    deadline = time.monotonic() + 60
    while database["lottery_entries"].count_documents({"service_id": "passport",
                                                       "state": "pending"}):
        assert time.monotonic() < deadline, "the draw did not happen"
        time.sleep(0.5)


def raw_documents(system) -> dict[str, list[bytes]]:
    """Every document of every collection of every database, as raw BSON, by namespace."""
    client = MongoClient(system.mongo_uri, document_class=RawBSONDocument)
    try:
        return {f"{name}.{collection}": [document.raw for document in
                                         client[name][collection].find()]
                for name in client.list_database_names()
                for collection in client[name].list_collection_names()}
    finally:
        client.close()


def files_under(directory: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted(directory.rglob("*"))
            if path.is_file()}


def test_no_database_storage_or_log_holds_a_token_in_plain(
        system, passport_window):  # noqa: F811 (the imported fixture)
    tokens = {"manage (API)": book_by_api(system), "manage (pages)": book_by_pages(system),
              "status (API)": enter_by_api(system), "status (pages)": enter_by_pages(system),
              "access token": apply_for_a_permit(system)}
    draw_now(passport_window)

    documents = raw_documents(system)
    stored = {**{name: b"".join(raw) for name, raw in documents.items()},
              **files_under(system.var_dir / "secantusdb"), **files_under(system.group.log_dir)}
    found = {what: [where for where, content in stored.items() if token.encode() in content]
             for what, token in tokens.items()}
    assert found == {what: [] for what in tokens}
    # Nor one that no client saw: the draw's manage tokens exist only sealed.
    plain = [name for name, raw in documents.items() for document in raw
             if any(field in document for field in PLAIN_FIELDS)]
    assert plain == []


def test_what_the_notifications_service_needs_opens_with_its_private_key(
        system, passport_window):  # noqa: F811 (the imported fixture)
    manage_token = book_by_api(system)
    status_token = enter_by_api(system)
    draw_now(passport_window)
    private = local_keys(system.var_dir)[NOTIFICATIONS_PRIVATE_KEY_VARIABLE]
    outbox = passport_window["outbox"]
    booked = [open_sealed(private, entry["message"]["data"]["sealed_manage_token"])
              for entry in outbox.find({"message.type": "appointment_booked"})]
    assert manage_token in booked
    entered = [open_sealed(private, entry["message"]["data"]["sealed_status_token"])
               for entry in outbox.find({"message.type": "appointment_lottery_entered"})]
    assert status_token in entered
    # Each drawn booking's sealed token is the one its stored hash checks: the email works.
    won = next(entry["message"]["data"]["booking"] for entry in outbox.find(
        {"message.type": "appointment_lottery_result", "message.data.result": "allocated"}))
    booking = passport_window["bookings"].find_one({"reference": won["reference"]})
    assert token_hash(open_sealed(private, won["sealed_manage_token"])) == (
        booking["manage_token_hash"])
