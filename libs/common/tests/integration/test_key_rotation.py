"""Key rotation: the vault is re-wrapped, values still sealed with the tenant key move under
their owner's key (through nested and listed fields), changed documents are skipped."""
import pytest

from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.key_rotation import reencrypt_documents
from loket_common.key_vault import SubjectCipher, is_person_sealed

pytestmark = pytest.mark.integration

TENANT = "musterstadt"
FIELDS = ["data", "applicant.name", "attachments.content"]


def cipher(database, keys: str) -> SubjectCipher:
    return SubjectCipher.over(database, DataCipher.from_env(
        {"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": "index"}))


def owner(document):
    return document["applicant"]["subject"]


def test_rotation_moves_older_values_under_the_owners_key_and_rewraps_it(database):
    old, new = new_key(), new_key()
    before = cipher(database, f"{TENANT}={old}")
    tenant_key = before.tenant_keys  # sealed as before crypto-shredding
    things = database["things"]
    things.insert_one({
        "tenant": TENANT, "kind": "case",
        "data": tenant_key.encrypt(TENANT, {"street": "Hauptstr. 1"}),
        "applicant": {"subject": "r-anna", "name": tenant_key.encrypt(TENANT, "Anna")},
        "attachments": [{"content": tenant_key.encrypt_bytes(TENANT, b"scan"), "size": 4}],
    })
    things.insert_one({"tenant": TENANT, "data": before.encrypt(TENANT, "r-ben", "Ben"),
                       "applicant": {"subject": "r-ben"}})
    things.insert_one({"tenant": "beispielstadt", "data": "left alone"})

    rotating = cipher(database, f"{TENANT}={new},{old}")
    assert rotating.vault.rewrap(TENANT).rewrapped == 1  # ben's key
    seen = []
    count = reencrypt_documents(things, TENANT, FIELDS, rotating, owner, progress=seen.append)
    assert (count.moved, count.current, count.changed_meanwhile) == (1, 1, 0)
    assert rotating.vault.rewrap(TENANT).current == 2  # anna's key was made current

    after = cipher(database, f"{TENANT}={new}")  # the old tenant key is gone
    stored = things.find_one({"tenant": TENANT, "kind": "case"})
    assert is_person_sealed(stored["data"]) and is_person_sealed(stored["applicant"]["name"])
    assert after.decrypt(TENANT, stored["data"]) == {"street": "Hauptstr. 1"}
    assert after.decrypt(TENANT, stored["applicant"]["name"]) == "Anna"
    assert after.decrypt_bytes(TENANT, stored["attachments"][0]["content"]) == b"scan"
    assert stored["attachments"][0]["size"] == 4 and stored["kind"] == "case"
    assert after.decrypt(TENANT, things.find_one({"applicant.subject": "r-ben"})["data"]) == "Ben"
    with pytest.raises(UndecryptableData):
        cipher(database, f"{TENANT}={old}").decrypt(TENANT, stored["data"])
    after.destroy(TENANT, ["r-anna"])  # and now erasure reaches the moved values too
    with pytest.raises(UndecryptableData):
        after.decrypt(TENANT, stored["applicant"]["name"])
    assert things.find_one({"tenant": "beispielstadt"})["data"] == "left alone"
    assert reencrypt_documents(things, TENANT, FIELDS, after, owner).current == 2


def test_a_document_changed_meanwhile_is_left_for_the_next_run(database):
    rotating = cipher(database, f"{TENANT}={new_key()}")
    things = database["things"]
    things.insert_one({"tenant": TENANT, "applicant": {"subject": "r-anna"},
                       "data": rotating.tenant_keys.encrypt(TENANT, "old")})

    def owner_while_changing(document):
        things.update_one({"_id": document["_id"]},
                          {"$set": {"data": rotating.tenant_keys.encrypt(TENANT, "new")}})
        return owner(document)

    count = reencrypt_documents(things, TENANT, FIELDS, rotating, owner_while_changing)
    assert (count.moved, count.changed_meanwhile) == (0, 1)
    assert rotating.decrypt(TENANT, things.find_one()["data"]) == "new"
