"""Personal data at rest: the raw documents hold no plaintext; keys rotate without loss."""
import os
import subprocess
import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.key_rotation import reencrypt_documents
from loket_common.key_vault import ShreddedData
from loket_common.mongo import transaction
from loket_common.testing import database_text, wait_for
from loket_profile.dependencies import ProfileStore
from loket_profile.encrypted_fields import ENCRYPTED_FIELDS, KEY_OWNERS

from .helpers import (
    ADDRESS,
    CLAIMS,
    COMPANY,
    PHONE,
    PLAINTEXTS,
    TENANT,
    WEBER,
    new_subject,
    publish,
)

pytestmark = pytest.mark.integration


def cipher(keys: str) -> DataCipher:
    return DataCipher.from_env({"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": "index-key"})


def fill(store: ProfileStore, subject: str) -> None:
    """A person with everything the profile service can hold about them."""
    store.profiles.sign_in(TENANT, subject, CLAIMS)
    store.profiles.update(TENANT, subject, {"address": ADDRESS, "phone": PHONE})
    store.businesses.save(TENANT, subject, None, COMPANY)
    store.consents.give(TENANT, subject, "email_status_updates")
    store.access_log.record(TENANT, subject, WEBER, "Antrag prüfen", "permits", "AZ-2026-0042")


def readable(store: ProfileStore, subject: str) -> tuple:
    return (store.profiles.get(TENANT, subject), store.businesses.list(TENANT, subject),
            store.access_log.list(TENANT, subject))


def test_no_profile_collection_holds_the_persons_plaintext(profile, service_config, database):
    subject = new_subject()
    profile.sign_in(TENANT, subject, CLAIMS)
    profile.update_profile(TENANT, subject, {"address": ADDRESS, "phone": PHONE})
    business = profile.save_business(TENANT, subject, None, COMPANY)
    profile.give_consent(TENANT, subject, "satisfaction_survey")
    profile.staff_view_profile(TENANT, subject, WEBER, "Rückfrage")
    publish(service_config, "permits", "personal_data_accessed", {
        "subject": subject, "actor": WEBER, "purpose": "Antrag prüfen", "service": "permits",
        "record": "AZ-2026-0042", "at": datetime.now(UTC).isoformat()})
    wait_for(lambda: len(profile.access_log(TENANT, subject)) == 2)
    assert business["company_name"] in str(profile.export_subject(TENANT, subject))

    collections = set(database.list_collection_names())
    assert {"profiles", "businesses", "consents", "access_log", "outbox"} <= collections
    raw = database_text(database)
    assert subject in raw  # the pseudonym is the key, in clear
    for plaintext in PLAINTEXTS:
        assert plaintext.lower() not in raw.lower(), plaintext


def test_erasure_destroys_the_keys_so_copies_do_not_open(database):
    subject, other = new_subject(), new_subject()
    store = ProfileStore(database)
    store.ensure_indexes()
    fill(store, subject)
    fill(store, other)
    copy = {name: list(database[name].find()) for name in ENCRYPTED_FIELDS}  # a backup

    with transaction(database) as session:
        store.erase_subject(TENANT, subject, session)

    fresh = ProfileStore(database).cipher  # no cache: what a new process holds
    for collection, fields in ENCRYPTED_FIELDS.items():
        for document in copy[collection]:
            theirs = subject in (document.get("subject"), *document.get("representatives", []))
            for field in fields:
                if theirs:
                    with pytest.raises(ShreddedData):
                        fresh.decrypt(TENANT, document[field])
                else:
                    assert fresh.decrypt(TENANT, document[field])
    assert readable(ProfileStore(database), other)[0]["given_name"] == CLAIMS["given_name"]


def test_rotation_rewraps_the_keys_and_moves_older_values(database):
    old, new = new_key(), new_key()
    subject = new_subject()
    before = ProfileStore(database, cipher(f"*={old}"))
    before.ensure_indexes()
    fill(before, subject)
    expected = readable(before, subject)
    as_before_shredding(database, before, subject)

    rotating = ProfileStore(database, cipher(f"*={new},{old}")).cipher
    assert rotating.vault.rewrap(TENANT).rewrapped == 2  # the person's and the business's
    for collection, fields in ENCRYPTED_FIELDS.items():
        count = reencrypt_documents(database[collection], TENANT, fields, rotating,
                                    partial(KEY_OWNERS[collection], database))
        assert (count.moved, count.current) == ((1, 0) if collection == "profiles"
                                                else (0, 1)), collection

    assert readable(ProfileStore(database, cipher(f"*={new}")), subject) == expected
    with pytest.raises(UndecryptableData):  # the old key alone opens nothing any more
        readable(ProfileStore(database, cipher(f"*={old}")), subject)


def as_before_shredding(database, store: ProfileStore, subject: str) -> None:
    """The profile sealed with the tenant key itself, as before crypto-shredding."""
    personal = store.cipher.decrypt(TENANT, database["profiles"].find_one()["personal"])
    database["profiles"].update_one({"subject": subject}, {"$set": {
        "personal": store.cipher.tenant_keys.encrypt(TENANT, personal)}})


def test_the_rotation_command_covers_the_profile_service(mongo_uri, database_name, database):
    old, new = new_key(), new_key()
    subject = new_subject()
    store = ProfileStore(database, cipher(f"*={old}"))
    store.ensure_indexes()
    fill(store, subject)
    expected = readable(store, subject)
    as_before_shredding(database, store, subject)
    command = Path(sys.executable).with_name("loket-rotate-data-keys")
    done = subprocess.run(
        [str(command), "profile"], capture_output=True, text=True, check=True, timeout=60,
        env={**os.environ, "MONGO_URI": mongo_uri, "PROFILE_MONGO_DATABASE": database_name,
             "LOKET_DATA_KEYS": f"*={new},{old}", "LOKET_INDEX_KEY": "index-key"})
    assert f"key vault {TENANT}: 2 keys re-wrapped, 0 already current" in done.stdout
    assert f"profiles {TENANT}: 1 moved to per-person keys, 0 already under them" in done.stdout
    for collection in ("businesses", "access_log"):
        assert f"{collection} {TENANT}: 0 moved to per-person keys, 1 already" in done.stdout
    assert done.stdout.strip().endswith(
        "done: 2 keys re-wrapped, 1 documents moved to per-person keys")
    assert readable(ProfileStore(database, cipher(f"*={new}")), subject) == expected
