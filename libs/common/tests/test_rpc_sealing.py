"""The RPC sealing serializer: round trip, key rotation, and messages it must refuse."""
import json
import time
from datetime import UTC, datetime

import kombu.serialization
import pytest
from nameko.exceptions import RemoteError, deserialize

from loket_common.crypto import new_key
from loket_common.rpc_sealing import (
    CONTENT_TYPE,
    MAX_AGE_SECONDS,
    SERIALIZER,
    RpcSeal,
    UnsealableReply,
    install,
)
from loket_common.settings import RpcSettings, SettingsError

REQUEST = {"args": [], "kwargs": {"tenant": "musterstadt", "contact": {
    "name": "Anna Schmidt", "email": "anna.schmidt@example.org",
    "address": {"street": "Kastanienallee 23", "city": "Müncheberg"}},
    "at": datetime(2027, 3, 1, 9, 30, tzinfo=UTC)}}


def refused(body) -> RemoteError:
    """The error a caller raises for ``body``, which must be an unsealable reply."""
    assert isinstance(body, UnsealableReply) and body["result"] is None
    error = deserialize(body["error"])
    assert isinstance(error, RemoteError) and error.exc_type == "UnsealableMessage"
    return error


def test_a_body_round_trips_with_its_types_and_the_token_shows_none_of_it():
    seal = RpcSeal([new_key()])
    token = seal.seal(REQUEST)
    assert seal.unseal(token) == REQUEST  # the datetime comes back as a datetime
    for plain in (b"Anna", b"Schmidt", b"example.org", b"Kastanienallee", b"musterstadt"):
        assert plain not in token


def test_through_kombu_it_is_a_serializer_of_its_own_content_type():
    key = new_key()
    config = install([key])
    assert config == {"serializer": SERIALIZER, "ACCEPT": [SERIALIZER, "json"]}
    content_type, encoding, data = kombu.serialization.dumps(REQUEST, SERIALIZER)
    assert (content_type, encoding) == (CONTENT_TYPE, "binary")
    assert kombu.serialization.loads(memoryview(data), content_type, encoding,
                                     accept=[CONTENT_TYPE]) == REQUEST
    assert RpcSeal([key]).unseal(data) == REQUEST


def test_rotation_the_first_key_seals_every_listed_key_opens():
    old, new = new_key(), new_key()
    before = RpcSeal([old]).seal(REQUEST)
    # Step 1: the new key added second everywhere: still sealed with the old one.
    step_one = RpcSeal([old, new])
    assert RpcSeal([old]).unseal(step_one.seal(REQUEST)) == REQUEST
    # Step 2: the new key first everywhere: what the old key sealed still opens.
    step_two = RpcSeal([new, old])
    assert step_two.unseal(before) == REQUEST
    assert step_one.unseal(step_two.seal(REQUEST)) == REQUEST
    # Step 3: the old key dropped: its messages no longer open.
    refused(RpcSeal([new]).unseal(before))


def test_another_key_a_changed_token_or_plain_json_is_refused_not_raised():
    seal, token = RpcSeal([new_key()]), RpcSeal([new_key()]).seal(REQUEST)
    error = refused(seal.unseal(token))
    assert json.loads(error.value)["code"] == "rpc_unsealable"
    own = bytearray(seal.seal(REQUEST))
    own[40] = ord("A") if own[40] != ord("A") else ord("B")
    refused(seal.unseal(bytes(own)))
    refused(seal.unseal(json.dumps({"args": [], "kwargs": {"name": "Anna"}}).encode()))


def test_a_token_older_than_the_maximum_age_is_refused():
    seal = RpcSeal([new_key()])
    plain = json.dumps({"args": [], "kwargs": {}}).encode()
    recent = seal.fernet.encrypt_at_time(plain, int(time.time()) - MAX_AGE_SECONDS + 30)
    stale = seal.fernet.encrypt_at_time(plain, int(time.time()) - MAX_AGE_SECONDS - 1)
    assert seal.unseal(recent) == {"args": [], "kwargs": {}}
    refused(seal.unseal(stale))


def test_the_setting_lists_fernet_keys_and_never_shows_a_bad_one(monkeypatch):
    first, second = new_key(), new_key()
    monkeypatch.setenv("LOKET_RPC_KEYS", f"{first}, {second}")
    assert RpcSettings().rpc_keys == (first, second)
    assert RpcSettings().rpc_config()["serializer"] == SERIALIZER
    monkeypatch.setenv("LOKET_RPC_KEYS", "not-a-key")
    with pytest.raises(SettingsError) as stop:
        RpcSettings()
    assert stop.value.code == ("LOKET_RPC_KEYS: expected Fernet keys separated by commas "
                               "(the value given is not shown)")
    monkeypatch.delenv("LOKET_RPC_KEYS")
    with pytest.raises(SettingsError, match="LOKET_RPC_KEYS: .* it is not set"):
        RpcSettings().rpc_config()
