"""Logs of the whole system: one request id followed across processes; no personal data.

Every process writes JSON lines to ``<var>/log/<name>.log`` (deploy/local/processes.py).
"""
import json
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from .booking_client import CONTACT, address, api, hold
from .test_permit_applications import TYPE, value_for

pytestmark = pytest.mark.e2e

DEMO_USERS = Path(__file__).resolve().parents[1] / "deploy" / "local" / "demo_users.yml"
# What the flows below send that identifies a person, besides the demo users' own data.
SENT = ["+49 30 555 0199", "Kastanienallee", "Kastanienallee 23"]
LAST_FLOW = f"e2e-last-{uuid.uuid4().hex[:12]}"


def bearer(system, username: str) -> dict:
    return {"Authorization": f"Bearer {system.token_for(username)}"}


def log_lines(system) -> dict[str, list[dict]]:
    """Every JSON line of every process's log file, by process name."""
    found: dict[str, list[dict]] = {}
    for path in sorted(Path(system.group.log_dir).glob("*.log")):
        lines = found.setdefault(path.stem, [])
        for text in path.read_text(errors="replace").splitlines():
            if text.startswith("{"):
                try:
                    lines.append(json.loads(text))
                except ValueError:
                    continue
    return found


def lines_with(system, request_id: str) -> dict[str, list[dict]]:
    return {name: [line for line in lines if line.get("request_id") == request_id]
            for name, lines in log_lines(system).items()}


def eventually(check, timeout: float = 20.0):
    """Poll ``check`` until it returns something truthy (log files are written async)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def book_signed_in(system, headers: dict, client: str, contact: dict) -> dict:
    first = api(system, "GET", "/slots/first", client=client,
                params={"service_id": "registration"}).json()
    held = hold(system, first, client=client)
    assert held.status_code == 201, held.text
    confirmed = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                    client=client, headers=headers, json=contact)
    assert confirmed.status_code == 201, confirmed.text
    return confirmed


def test_one_request_id_is_found_in_the_gateway_a_service_the_relay_and_a_handler(system):
    anna = bearer(system, "anna")
    booked_id = f"e2e-book-{uuid.uuid4().hex[:12]}"
    confirmed = book_signed_in(system, {**anna, "X-Request-ID": booked_id}, address(61001),
                               {"name": "Anna Schmidt", "email": "anna.schmidt@example.org",
                                "language": "de"})
    assert confirmed.headers["X-Request-ID"] == booked_id
    reference = confirmed.json()["booking"]["reference"]

    # Counter staff check the resident in: appointments reports the read of her data,
    # and the profile service's handler records it for her access log.
    checked_id = f"e2e-check-{uuid.uuid4().hex[:12]}"
    checked = api(system, "POST", f"/bookings/{reference}/check-in",
                  headers={**bearer(system, "clara"), "X-Request-ID": checked_id})
    assert checked.status_code == 200, checked.text
    assert checked.headers["X-Request-ID"] == checked_id

    booked = eventually(lambda: (lines := lines_with(system, booked_id))["appointments"]
                        and any(line["event"] == "event published"
                                for line in lines["appointments"]) and lines)
    assert booked, "the booking's request id never reached the relay's log"
    request, = [line for line in booked["gateway"] if line["event"] == "request"]
    assert (request["method"], request["status"]) == ("POST", 201)
    assert request["route"] == "/api/v1/tenants/<tenant>/holds/<hold_id>/confirmation"
    rpc, = [line for line in booked["appointments"] if line["event"] == "rpc handled"]
    assert rpc["service"] == "appointments" and rpc["outcome"] == "ok"
    published = [line["event_type"] for line in booked["appointments"]
                 if line["event"] == "event published"]
    assert "appointments.appointment_booked" in published

    def handled():
        lines = lines_with(system, checked_id)
        return [line for line in lines["profile"] if line["event"] == "event handled"] and lines
    checked_lines = eventually(handled)
    assert checked_lines, "the check-in's request id never reached the profile handler's log"
    handler, = [line for line in checked_lines["profile"] if line["event"] == "event handled"]
    assert handler["event_type"] == "appointments.personal_data_accessed"
    assert handler["entrypoint"] == "record_appointments_access"
    assert [line["event"] for line in checked_lines["gateway"]] == ["request"]
    assert any(line["event"] == "rpc handled" and line["entrypoint"] == "check_in"
               for line in checked_lines["appointments"])
    # the relay logs a publish after the broker confirmed it, so the handler may already
    # have logged: wait for the relay's line of the very event the handler handled
    assert eventually(lambda: handler["event_id"] in {
        line["event_id"] for line in lines_with(system, checked_id)["appointments"]
        if line["event"] == "event published"}), "the relay never logged the handled event"


def demo_person_traces() -> list[str]:
    """Every demo person's names and email (residents and staff)."""
    users = yaml.safe_load(DEMO_USERS.read_text())
    traces = []
    for group in ("residents", "staff"):
        for user in users[group].values():
            traces += [user["email"], f"{user['given_name']} {user['family_name']}",
                       user["family_name"]]
    return traces


def run_resident_flows(system) -> None:
    """A booking and its manage page, signed-in bookings, a profile edit, a permit application."""
    anonymous = book_signed_in(system, {}, address(61101), CONTACT)
    reference = anonymous.json()["booking"]["reference"]
    assert api(system, "GET", f"/bookings/{reference}", headers={
        "X-Manage-Token": anonymous.json()["manage_token"]}).status_code == 200
    # The manage page: its address carries the secret token as ?token=.
    assert requests.get(anonymous.json()["manage_url"], timeout=30).status_code == 200
    ben = bearer(system, "ben")
    book_signed_in(system, ben, address(61102), {"name": "Ben Weber",
                                                  "email": "ben.weber@example.org",
                                                  "language": "en"})
    anna = bearer(system, "anna")
    me = f"{system.url}/api/v1/tenants/musterstadt/me"
    assert requests.get(me, headers=anna, timeout=30).status_code == 200
    changed = requests.patch(me, headers=anna, timeout=30, json={
        "phone": SENT[0], "address": {"street": SENT[1], "house_number": "23",
                                      "postal_code": "12345", "city": "Musterstadt"}})
    assert changed.status_code == 200, changed.text
    fields = api(system, "GET", f"/permit-types/{TYPE}").json()["fields"]
    created = api(system, "POST", "/applications", client=address(61103),
                  headers={**anna, "X-Request-ID": LAST_FLOW},
                  json={"type_id": TYPE, "data": {field["name"]: value_for(field)
                                                  for field in fields
                                                  if field["required"]}})
    assert created.status_code == 201, created.text


def test_no_log_file_holds_a_demo_persons_name_email_or_what_they_sent(system):
    run_resident_flows(system)
    # The services log an RPC after answering it: wait for the last one's line.
    assert eventually(lambda: lines_with(system, LAST_FLOW)["permits"])
    traces = demo_person_traces() + SENT + [CONTACT["name"], CONTACT["email"]]
    leaks = {}
    for path in sorted(Path(system.group.log_dir).glob("*.log")):
        text = path.read_text(errors="replace")
        found = [trace for trace in traces if trace in text]
        if found:
            leaks[path.name] = found
    assert leaks == {}
    written = log_lines(system)
    assert {"gateway", "appointments", "permits", "profile"} <= set(written)
    assert all(written[name] for name in ("gateway", "appointments", "permits", "profile"))
