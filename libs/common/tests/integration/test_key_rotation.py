"""Rotating data keys re-encrypts stored fields, through lists, and skips changed documents."""
import pytest

from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.key_rotation import reencrypt_documents

pytestmark = pytest.mark.integration


def cipher(keys: str) -> DataCipher:
    return DataCipher.from_env({"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": "index"})


def test_rotation_reencrypts_nested_and_listed_fields(database):
    old, new = new_key(), new_key()
    before = cipher(f"musterstadt={old}")
    things = database["things"]
    things.insert_one({
        "tenant": "musterstadt", "kind": "case",
        "data": before.encrypt("musterstadt", {"street": "Hauptstr. 1"}),
        "applicant": {"name": before.encrypt("musterstadt", "Anna")},
        "attachments": [{"content": before.encrypt_bytes("musterstadt", b"scan"), "size": 4}],
    })
    things.insert_one({"tenant": "beispielstadt", "data": "left alone"})

    rotating = cipher(f"musterstadt={new},{old}")
    count = reencrypt_documents(things, "musterstadt",
                                ["data", "applicant.name", "attachments.content"], rotating)

    assert count.rotated == 1 and count.changed_meanwhile == 0
    after = cipher(f"musterstadt={new}")
    stored = things.find_one({"tenant": "musterstadt"})
    assert after.decrypt("musterstadt", stored["data"]) == {"street": "Hauptstr. 1"}
    assert after.decrypt("musterstadt", stored["applicant"]["name"]) == "Anna"
    assert after.decrypt_bytes("musterstadt", stored["attachments"][0]["content"]) == b"scan"
    assert stored["attachments"][0]["size"] == 4 and stored["kind"] == "case"
    with pytest.raises(UndecryptableData):
        before.decrypt("musterstadt", stored["data"])
    assert things.find_one({"tenant": "beispielstadt"})["data"] == "left alone"
