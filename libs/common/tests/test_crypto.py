"""Personal data at rest: per-tenant authenticated encryption, rotation, blind indexes."""
import pytest

from loket_common.crypto import (
    DataCipher,
    MissingKey,
    UndecryptableData,
    derived_key,
    new_key,
    parse_data_keys,
)


def cipher(keys: str, index_key: str = "index") -> DataCipher:
    return DataCipher.from_env({"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": index_key})


def test_a_value_comes_back_and_its_token_shows_no_plaintext():
    sealed = cipher(f"musterstadt={new_key()}")
    value = {"name": "Erika Mustermann", "tags": ["a", 1, None], "umlaut": "Größe"}
    token = sealed.encrypt("musterstadt", value)
    assert "Erika" not in token and "Mustermann" not in token
    assert sealed.decrypt("musterstadt", token) == value
    data = b"%PDF-1.7 secret scan"
    assert sealed.decrypt_bytes("musterstadt", sealed.encrypt_bytes("musterstadt", data)) == data


def test_another_tenants_key_does_not_open_a_token():
    sealed = cipher(f"musterstadt={new_key()};beispielstadt={new_key()}")
    token = sealed.encrypt("musterstadt", "Anna")
    with pytest.raises(UndecryptableData):
        sealed.decrypt("beispielstadt", token)


def test_an_altered_token_does_not_decrypt():
    sealed = cipher(f"musterstadt={new_key()}")
    token = sealed.encrypt("musterstadt", "Anna")
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(UndecryptableData):
        sealed.decrypt("musterstadt", altered)


def test_wildcard_keys_differ_per_tenant():
    master = new_key()
    sealed = cipher(f"*={master}")
    assert derived_key(master, "musterstadt") != derived_key(master, "beispielstadt")
    token = sealed.encrypt("musterstadt", "Anna")
    assert sealed.decrypt("musterstadt", token) == "Anna"
    with pytest.raises(UndecryptableData):
        sealed.decrypt("beispielstadt", token)


def test_rotation_reencrypts_with_the_new_key_and_old_key_can_go():
    old, new = new_key(), new_key()
    before = cipher(f"musterstadt={old}")
    token = before.encrypt("musterstadt", "Anna")
    during = cipher(f"musterstadt={new},{old}")
    assert during.decrypt("musterstadt", token) == "Anna"
    rotated = during.rotate("musterstadt", token)
    after = cipher(f"musterstadt={new}")
    assert after.decrypt("musterstadt", rotated) == "Anna"
    with pytest.raises(UndecryptableData):
        after.decrypt("musterstadt", token)


def test_missing_keys_are_refused():
    with pytest.raises(MissingKey):
        DataCipher.from_env({})
    with pytest.raises(MissingKey):
        cipher(f"musterstadt={new_key()}").encrypt("beispielstadt", "x")


def test_blind_index_is_keyed_and_bound_to_the_tenant():
    one, other = cipher(f"*={new_key()}", "k1"), cipher(f"*={new_key()}", "k2")
    assert one.blind_index("t", "a@example.org") == one.blind_index("t", "a@example.org")
    assert one.blind_index("t", "a@example.org") != one.blind_index("u", "a@example.org")
    assert one.blind_index("t", "a@example.org") != other.blind_index("t", "a@example.org")


def test_parse_data_keys():
    assert parse_data_keys(" a = k1 , k2 ; b=k3;;") == {"a": ["k1", "k2"], "b": ["k3"]}
