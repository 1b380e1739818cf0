"""Personal data at rest: the raw documents hold no plaintext; keys rotate without loss."""
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.key_rotation import reencrypt_documents
from loket_common.testing import database_text, wait_for
from loket_profile.dependencies import ProfileStore
from loket_profile.encrypted_fields import ENCRYPTED_FIELDS

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


def test_rotation_reencrypts_every_encrypted_field(database):
    old, new = new_key(), new_key()
    subject = new_subject()
    before = ProfileStore(database, cipher(f"*={old}"))
    before.ensure_indexes()
    fill(before, subject)
    expected = readable(before, subject)

    rotating = cipher(f"*={new},{old}")
    for collection, fields in ENCRYPTED_FIELDS.items():
        count = reencrypt_documents(database[collection], TENANT, fields, rotating)
        assert count.rotated == 1 and count.changed_meanwhile == 0, collection

    assert readable(ProfileStore(database, cipher(f"*={new}")), subject) == expected
    with pytest.raises(UndecryptableData):
        readable(before, subject)  # the old key alone opens nothing any more


def test_the_rotation_command_covers_the_profile_service(mongo_uri, database_name, database):
    old, new = new_key(), new_key()
    subject = new_subject()
    store = ProfileStore(database, cipher(f"*={old}"))
    store.ensure_indexes()
    fill(store, subject)
    expected = readable(store, subject)
    command = Path(sys.executable).with_name("loket-rotate-data-keys")
    done = subprocess.run(
        [str(command), "profile"], capture_output=True, text=True, check=True, timeout=60,
        env={**os.environ, "MONGO_URI": mongo_uri, "PROFILE_MONGO_DATABASE": database_name,
             "LOKET_DATA_KEYS": f"*={new},{old}", "LOKET_INDEX_KEY": "index-key"})
    for collection in ENCRYPTED_FIELDS:
        assert f"{collection} {TENANT}: 1 re-encrypted" in done.stdout
    assert readable(ProfileStore(database, cipher(f"*={new}")), subject) == expected
