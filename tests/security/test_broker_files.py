"""RabbitMQ's files hold no personal data after the resident flows (issue 12).

A private broker (its data directory this test's own), the whole system against it, the
resident flows (bookings with name and email, a profile edit with an address, a permit
application with an address, the export, the erasure), then the broker stopped cleanly, so
it writes out what it holds, and every byte of its directory searched for the demo persons'
names, emails and addresses. RPC is transient and sealed (``loket_common.sealed_rpc``,
``loket_common.rpc_sealing``); the outbox's events carry no personal data.
"""
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import requests
import yaml

from deploy.local.infra import free_port, rabbitmqctl, start_rabbitmq
from deploy.local.processes import ProcessGroup
from deploy.local.system import System

from ..booking_client import CONTACT, address, api
from ..test_logs_and_request_ids import book_signed_in as book
from ..test_permit_applications import TYPE, value_for

pytestmark = pytest.mark.e2e

DEMO_USERS = Path(__file__).resolve().parents[2] / "deploy" / "local" / "demo_users.yml"
PROFILE_ADDRESS = {"street": "Kastanienallee", "house_number": "23", "postal_code": "12345",
                   "city": "Musterstadt"}
PERMIT_ADDRESS = {"street": "Holunderweg 17", "postal_code": "12345", "city": "Musterstadt"}
PHONE = "+49 30 555 0199"
ME = "/api/v1/tenants/musterstadt/me"


def demo_person_traces() -> list[str]:
    """Every demo person's full name and email, and family names of five letters or more.

    Shorter ones (``Wolf``) would turn up by chance in a megabyte of base64 ciphertext.
    """
    users = yaml.safe_load(DEMO_USERS.read_text())
    traces = []
    for group in ("residents", "staff"):
        for user in users[group].values():
            traces += [user["email"], f"{user['given_name']} {user['family_name']}"]
            if len(user["family_name"]) >= 5:
                traces.append(user["family_name"])
    return traces


def bearer(system: System, username: str) -> dict:
    return {"Authorization": f"Bearer {system.token_for(username)}"}


def run_resident_flows(system: System) -> list[str]:
    """Bookings, a profile edit, a permit application, the export and the erasure.

    Returns the manage tokens the bookings handed out (they crossed the broker too).
    """
    tokens = [book(system, {}, address(62001), CONTACT).json()["manage_token"]]
    tokens.append(book(system, bearer(system, "ben"), address(62002),
                       {"name": "Ben Weber", "email": "ben.weber@example.org",
                        "language": "en"}).json()["manage_token"])
    anna = bearer(system, "anna")
    assert requests.get(system.url + ME, headers=anna, timeout=30).status_code == 200
    changed = requests.patch(system.url + ME, headers=anna, timeout=30,
                             json={"phone": PHONE, "address": PROFILE_ADDRESS})
    assert changed.status_code == 200, changed.text
    fields = api(system, "GET", f"/permit-types/{TYPE}").json()["fields"]
    data = {field["name"]: PERMIT_ADDRESS if field["type"] == "address" else value_for(field)
            for field in fields if field["required"] or field["type"] == "address"}
    assert PERMIT_ADDRESS in data.values(), "the permit type asks for no address"
    created = api(system, "POST", "/applications", client=address(62003), headers=anna,
                  json={"type_id": TYPE, "data": data})
    assert created.status_code == 201, created.text
    exported = requests.get(system.url + ME + "/export", headers=anna, timeout=30)
    assert exported.status_code == 200 and "Kastanienallee" in exported.text
    requested = requests.post(system.url + ME + "/erasure", headers=anna, timeout=30)
    assert requested.status_code == 202, requested.text
    deadline = time.monotonic() + 30
    while requested.json()["state"] != "completed" and time.monotonic() < deadline:
        time.sleep(0.3)
        requested = requests.get(system.url + ME + "/erasure", headers=anna, timeout=30)
    assert requested.json()["state"] == "completed", requested.text
    return tokens


def files_holding(directory: Path, traces: list[str]) -> dict[str, list[str]]:
    """Which file (relative name) holds which trace, searched as bytes (UTF-8)."""
    found: dict[str, list[str]] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            hits = [trace for trace in traces if trace.encode() in content]
            if hits:
                found[str(path.relative_to(directory))] = hits
    return found


def test_no_broker_file_holds_a_demo_persons_name_email_address_or_manage_token():
    var_dir = Path(tempfile.mkdtemp(prefix="loket-broker-files-"))
    broker_dir = var_dir / "rabbitmq"
    broker = ProcessGroup(var_dir / "broker-log")
    system = None
    try:
        port = free_port()
        # What reaches the broker reaches its files: every queue moves its messages to disk
        # at once, as a loaded broker does (and classic queues from RabbitMQ 3.12 on always
        # do), and every body goes to the message store, however small (by default bodies
        # under 4 kB go to the queue index, whose segments a clean stop may delete).
        amqp_uri = start_rabbitmq(broker, port, broker_dir,
                                  settings=["queue_index_embed_msgs_below = 0"])
        rabbitmqctl(broker_dir, port, "set_policy", "--apply-to", "queues", "on-disk", ".*",
                    '{"queue-mode": "lazy"}')
        system = System(var_dir=var_dir, gateway_port=free_port(), mongo_port=free_port(),
                        idp_port=free_port(), amqp_uri=amqp_uri,
                        extra_env={"OUTBOX_POLL_SECONDS": "0.1", "LOKET_TRUSTED_PROXIES": "1"})
        system.start()
        tokens = run_resident_flows(system)
    finally:
        if system is not None:
            system.stop()
        broker.stop(timeout=60)
    try:
        logs = "".join(path.read_text(errors="replace")
                       for path in (broker_dir / "log").glob("*.log"))
        assert "msg_store_persistent' is stopped" in logs, "the broker did not stop cleanly"
        traces = demo_person_traces() + [CONTACT["name"], CONTACT["email"], PHONE,
                                         PROFILE_ADDRESS["street"], PERMIT_ADDRESS["street"]]
        found = files_holding(broker_dir, traces + tokens)
        assert found == {}, f"personal data or a manage token in the broker's files: {found}"
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
