"""Erasure reaches copies (issue 12): a backup taken before an erasure no longer opens after it.

Anna (through the API, signed in) edits her profile, adds a business, books an appointment
and applies for a permit with an attachment. A backup copies every raw document of the
services' databases, notifications' among them (their key vaults excepted: in production
they live apart, backed up for a short while only). She asks for erasure and it
completes. Then every encrypted value in the copy, and in the database's oplog, is tried
with every key the system still holds: the tenant keys from its environment and
everything left in the key vaults. None of hers opens. The notifications database held
her messages' content (the booking's confirmation, the application's receipt) in the
copy: the test fails if it did not.
"""
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pymongo import MongoClient

from deploy.local.local_keys import local_keys
from loket_common.crypto import DataCipher, derived_key, parse_data_keys

from ..booking_client import address, api, hold
from ..test_data_protection_walk import ANSWER, FILENAME, STREET, apply_with_attachment

pytestmark = pytest.mark.e2e

DATABASES = ("loket_appointments", "loket_permits", "loket_profile", "loket_notifications")
NOTIFICATIONS = "loket_notifications"
VAULT = "key_vault"  # backed up apart (docs/data-protection.md)
TENANTS = ("musterstadt", "beispielstadt")
COMPANY = f"Schmidt Shredding {uuid.uuid4().hex[:8]} GmbH"
NAME = f"Anna Schmidt-{uuid.uuid4().hex[:8]}"
MARKERS = (STREET, ANSWER, FILENAME, COMPANY, NAME)  # hers alone, new in every run
CLIENT = address(53001)
PREFIX = "sk1:"  # a value sealed under a person's key: sk1:<key id>:<Fernet token>


def backup(client: MongoClient, databases: tuple[str, ...] = DATABASES) -> list[dict[str, Any]]:
    """Every document of every service database (of ``databases``), the key vaults excepted."""
    return [document for name in databases for collection in client[name].list_collection_names()
            if collection != VAULT for document in client[name][collection].find()]


def oplog(client: MongoClient) -> list[dict[str, Any]]:
    """The oplog's entries about the service databases (the vaults' own oplog is apart)."""
    return [entry for entry in client["local"]["oplog.rs"].find()
            if str(entry.get("ns", "")).split(".")[0] in DATABASES
            and not str(entry.get("ns", "")).endswith("." + VAULT)]


def vault_entries(client: MongoClient) -> list[dict[str, Any]]:
    """What the key vaults hold now."""
    return [entry for name in DATABASES for entry in client[name][VAULT].find()]


def tokens(value: Any) -> Iterator[bytes]:
    """Every encrypted value (a Fernet token, plain or under a person's key) inside ``value``."""
    if isinstance(value, dict):
        for item in value.values():
            yield from tokens(item)
    elif isinstance(value, list):
        for item in value:
            yield from tokens(item)
    elif isinstance(value, (str, bytes)):
        raw = value.encode() if isinstance(value, str) else bytes(value)
        if raw.startswith((b"gAAAAA", PREFIX.encode())):
            yield raw


class Keys:
    """Every key the system holds: its tenant keys and the unwrapped keys of its vaults."""

    def __init__(self, vault: list[dict[str, Any]], env_keys: str) -> None:
        listed = parse_data_keys(env_keys)
        self.tenant = [Fernet(derived_key(key, tenant) if name == "*" else key)
                       for name, keys in listed.items() for key in keys
                       for tenant in (TENANTS if name == "*" else (name,))]
        cipher = DataCipher(listed, b"unused")
        self.people = [Fernet(cipher.decrypt(entry["tenant"], entry["key"])["key"])
                       for entry in vault]

    def open(self, token: bytes) -> bytes | None:
        """The plaintext, if any key opens ``token``; else None."""
        body = token.split(b":", 2)[2] if token.startswith(PREFIX.encode()) else token
        for key in self.tenant + self.people:
            try:
                return key.decrypt(body)
            except InvalidToken:
                continue
        return None


def hers(document: dict[str, Any], subject: str, ids: set[str]) -> bool:
    """A document (or oplog entry) naming Anna's subject or one of her records' ids."""
    text = str(document)
    return subject in text or any(record_id in text for record_id in ids)


def fill_her_data(system, anna: dict) -> dict:
    """Her profile edited, a business, a booking signed in, an application with a file."""
    assert api(system, "GET", "/me", headers=anna).status_code == 200  # made at first use
    edited = api(system, "PATCH", "/me", headers=anna, json={
        "phone": "+49 30 9876543", "address": {"street": STREET, "house_number": "12a",
                                               "postal_code": "12345", "city": "Musterstadt"}})
    assert edited.status_code == 200, edited.text
    business = api(system, "POST", "/me/businesses", headers=anna,
                   json={"company_name": COMPANY, "legal_form": "GmbH"})
    assert business.status_code == 201, business.text
    first = api(system, "GET", "/slots/first", client=CLIENT,
                params={"service_id": "id-card"}).json()
    held = hold(system, first, client=CLIENT)
    assert held.status_code == 201, held.text
    booked = api(system, "POST", f"/holds/{held.json()['hold_id']}/confirmation",
                 client=CLIENT, headers=anna,
                 json={"name": NAME, "email": "anna.schmidt@example.org", "language": "de"})
    assert booked.status_code == 201, booked.text
    return {"business": business.json(), "booking": booked.json()["booking"],
            "application": apply_with_attachment(system, anna)}


def wait_for_her_messages(client: MongoClient, about: set[str]) -> list[dict[str, Any]]:
    """Her messages in the notifications database, once each holds its (encrypted) content."""
    messages = client[NOTIFICATIONS]["messages"]
    deadline = time.monotonic() + 60
    while True:
        found = list(messages.find({"about.id": {"$in": sorted(about)},
                                    "content": {"$ne": None}}))
        if {message["about"]["id"] for message in found} == about:
            return found
        if time.monotonic() >= deadline:
            raise AssertionError(f"her messages with content: {len(found)} of {len(about)}")
        time.sleep(0.2)


def wait_until_erased(system, anna: dict) -> dict:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        progress = api(system, "GET", "/me/erasure", headers=anna).json()
        if progress.get("state") == "completed":
            return progress
        time.sleep(0.5)
    raise AssertionError(f"the erasure did not complete: {progress}")


def test_a_backup_taken_before_an_erasure_does_not_open_after_it(system):
    anna = {"Authorization": f"Bearer {system.token_for('anna')}"}
    made = fill_her_data(system, anna)
    subject = api(system, "GET", "/me", headers=anna).json()["subject"]
    ids = {made["application"]["id"], made["business"]["id"], made["booking"]["reference"]}

    client = MongoClient(system.mongo_uri)
    try:
        # the confirmation and the receipt are sent and their content kept (encrypted)
        messages = wait_for_her_messages(
            client, {made["booking"]["reference"], made["application"]["id"]})
        ids |= {message["subject_index"] for message in messages}
        copy = backup(client)  # as a backup would, before the erasure
        notifications_copy = backup(client, (NOTIFICATIONS,))
        vault_then = vault_entries(client)  # (only to show that the copy opened then)
        asked = api(system, "POST", "/me/erasure", client=CLIENT, headers=anna)
        assert asked.status_code == 202, asked.text
        wait_until_erased(system, anna)
        written = oplog(client)  # the oplog, too, still holds what was written
        keys_now = Keys(vault_entries(client), local_keys(system.var_dir)["LOKET_DATA_KEYS"])
    finally:
        client.close()

    # the copy held her data encrypted, and the keys of that time opened it
    keys_then = Keys(vault_then, local_keys(system.var_dir)["LOKET_DATA_KEYS"])
    in_copy = [token for document in copy if hers(document, subject, ids)
               for token in tokens(document)]
    assert len(in_copy) >= 6  # profile, business, booking, application, its file, ...
    assert all(keys_then.open(token) is not None for token in in_copy)
    in_notifications = [token for document in notifications_copy
                        if hers(document, subject, ids) for token in tokens(document)]
    assert len(in_notifications) >= 4  # content and subject line of both messages
    assert any(NAME.encode() in (keys_then.open(token) or b"") for token in in_notifications)
    opened_then = [keys_then.open(token) or b"" for document in copy
                   for token in tokens(document)]
    for marker in MARKERS:
        assert any(marker.encode() in plain for plain in opened_then), marker

    # now no key the system holds opens any of it, in the backup or in the oplog
    her_tokens = in_copy + [token for entry in written if hers(entry, subject, ids)
                            for token in tokens(entry)]
    still_open = [token[:40] for token in her_tokens if keys_now.open(token) is not None]
    assert still_open == [], f"{len(still_open)} of her {len(her_tokens)} values still open"
    for document in copy + written:  # nor anything else that holds something of hers
        for token in tokens(document):
            plain = keys_now.open(token) or b""
            assert not [marker for marker in MARKERS if marker.encode() in plain]
