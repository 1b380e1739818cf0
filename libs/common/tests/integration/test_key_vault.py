"""The key vault: a key per person made once and reused, destroyed at erasure, re-wrapped at
rotation, bound to its tenant; values sealed with the tenant key before still open."""
import threading

import pytest

from loket_common.crypto import DataCipher, UndecryptableData, new_key
from loket_common.key_vault import (
    VAULT,
    KeyCache,
    KeyVault,
    ShreddedData,
    SubjectCipher,
    is_person_sealed,
    owner_of,
)
from loket_common.mongo import connect, transaction

pytestmark = pytest.mark.integration

TENANT, OTHER = "musterstadt", "beispielstadt"
ANNA, BEN = "r-" + "a" * 32, "r-" + "b" * 32


def tenant_keys(keys: str) -> DataCipher:
    return DataCipher.from_env({"LOKET_DATA_KEYS": keys, "LOKET_INDEX_KEY": "index"})


@pytest.fixture
def keys():
    return tenant_keys(f"*={new_key()}")


@pytest.fixture
def cipher(database, keys):
    made = SubjectCipher.over(database, keys, cache_seconds=0)  # every call reads the vault
    made.vault.ensure_indexes()
    return made


def test_a_person_gets_one_key_made_on_first_use_and_reused(cipher, database):
    first = cipher.encrypt(TENANT, ANNA, {"name": "Anna"})
    second = cipher.encrypt(TENANT, ANNA, "Hauptstraße 1")
    assert is_person_sealed(first) and "Anna" not in first
    assert cipher.decrypt(TENANT, first) == {"name": "Anna"}
    assert cipher.decrypt(TENANT, second) == "Hauptstraße 1"
    assert first.split(":")[1] == second.split(":")[1]  # one key id for both
    stored = list(database[VAULT].find({"tenant": TENANT}))
    assert [document["owner"] for document in stored] == [ANNA]
    assert "key" in stored[0] and "Anna" not in str(stored)


def test_parallel_first_uses_agree_on_one_key(cipher, database):
    ids, errors = [], []

    def seal():
        try:
            ids.append(cipher.encrypt(TENANT, BEN, "x").split(":")[1])
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=seal) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(ids)) == 1
    assert database[VAULT].count_documents({"tenant": TENANT, "owner": BEN}) == 1


def test_destroying_a_key_shreds_its_values_and_no_other(cipher, database):
    anna = cipher.encrypt(TENANT, ANNA, "Anna")
    anna_file = cipher.encrypt_bytes(TENANT, ANNA, b"scan")
    ben = cipher.encrypt(TENANT, BEN, "Ben")
    with transaction(database) as session:
        assert cipher.destroy(TENANT, [ANNA], session) == 1
    with pytest.raises(ShreddedData):
        cipher.decrypt(TENANT, anna)
    with pytest.raises(ShreddedData):
        cipher.decrypt_bytes(TENANT, anna_file)
    assert cipher.decrypt(TENANT, ben) == "Ben"
    assert cipher.destroy(TENANT, [ANNA]) == 0  # again: nothing left, no error


def test_a_destroyed_key_stays_destroyed_in_a_process_that_cached_it(database, keys):
    cached = SubjectCipher.over(database, keys, cache_seconds=60)
    token = cached.encrypt(TENANT, ANNA, "Anna")
    assert cached.decrypt(TENANT, token) == "Anna"  # now in the cache
    cached.destroy(TENANT, [ANNA])
    with pytest.raises(ShreddedData):
        cached.decrypt(TENANT, token)
    assert cached.decrypt(TENANT, cached.encrypt(TENANT, ANNA, "new")) == "new"  # a new key


def test_an_aborted_erasure_keeps_the_key(cipher, database):
    token = cipher.encrypt(TENANT, ANNA, "Anna")
    with pytest.raises(RuntimeError), transaction(database) as session:
        cipher.destroy(TENANT, [ANNA], session)
        raise RuntimeError("the erasure failed after destroying")
    assert SubjectCipher.over(database, cipher.tenant_keys).decrypt(TENANT, token) == "Anna"


def test_keys_belong_to_their_tenant(cipher, database):
    token = cipher.encrypt(TENANT, ANNA, "Anna")
    with pytest.raises(UndecryptableData):  # the other tenant has no such key
        cipher.decrypt(OTHER, token)
    cipher.encrypt(OTHER, ANNA, "x")  # the same subject there has a key of its own
    entry = database[VAULT].find_one({"tenant": TENANT, "owner": ANNA})
    database[VAULT].update_one({"tenant": OTHER, "owner": ANNA},
                               {"$set": {"key": entry["key"]}})  # copied across tenants
    with pytest.raises(UndecryptableData):
        SubjectCipher.over(database, cipher.tenant_keys).encrypt(OTHER, ANNA, "y")


def test_a_swapped_vault_entry_does_not_open(cipher, database):
    anna = cipher.encrypt(TENANT, ANNA, "Anna")
    cipher.encrypt(TENANT, BEN, "Ben")
    ben_entry = database[VAULT].find_one({"tenant": TENANT, "owner": BEN})
    database[VAULT].update_one({"tenant": TENANT, "owner": ANNA},
                               {"$set": {"key": ben_entry["key"]}})
    with pytest.raises(UndecryptableData):
        cipher.decrypt(TENANT, anna)


def test_rotation_rewraps_the_keys_and_leaves_the_data(database):
    old, new = new_key(), new_key()
    before = SubjectCipher.over(database, tenant_keys(f"{TENANT}={old}"))
    token = before.encrypt(TENANT, ANNA, {"street": "Hauptstr. 1"})

    rotating = SubjectCipher.over(database, tenant_keys(f"{TENANT}={new},{old}"))
    count = rotating.vault.rewrap(TENANT)
    assert (count.rewrapped, count.current, count.changed_meanwhile) == (1, 0, 0)
    assert rotating.vault.rewrap(TENANT).current == 1  # a second run has nothing to do

    after = SubjectCipher.over(database, tenant_keys(f"{TENANT}={new}"))  # old key gone
    assert after.decrypt(TENANT, token) == {"street": "Hauptstr. 1"}
    with pytest.raises(UndecryptableData):
        SubjectCipher.over(database, tenant_keys(f"{TENANT}={old}")).decrypt(TENANT, token)


def test_values_sealed_with_the_tenant_key_still_open_and_can_be_moved(cipher):
    older = cipher.tenant_keys.encrypt(TENANT, {"name": "Anna"})
    assert not is_person_sealed(older)
    assert cipher.decrypt(TENANT, older) == {"name": "Anna"}
    moved = cipher.reseal(TENANT, ANNA, older)
    assert is_person_sealed(moved) and cipher.decrypt(TENANT, moved) == {"name": "Anna"}
    assert cipher.reseal(TENANT, ANNA, moved) == moved
    cipher.destroy(TENANT, [ANNA])
    with pytest.raises(ShreddedData):
        cipher.decrypt(TENANT, moved)


def test_a_record_without_subject_has_its_own_key():
    assert owner_of(ANNA, "booking", "b1") == ANNA
    assert owner_of(None, "booking", "b1") == "booking:b1"
    assert owner_of("", "lottery_entry", "e1") == "lottery_entry:e1"


def test_the_cache_forgets_after_its_time_and_beyond_its_size():
    now = [0.0]
    cache = KeyCache(seconds=10, size=2, clock=lambda: now[0])
    cache.put(("a",), 1)
    cache.put(("b",), 2)
    cache.put(("c",), 3)
    assert cache.get(("a",)) is None and cache.get(("c",)) == 3  # the oldest went
    now[0] = 11
    assert cache.get(("c",)) is None
    off = KeyCache(seconds=0)
    off.put(("a",), 1)
    assert off.get(("a",)) is None


def test_a_list_fetches_its_keys_in_one_go(database, keys):
    writer = SubjectCipher.over(database, keys)
    sealed = [writer.encrypt(TENANT, f"r-{n:032x}", n) for n in range(5)]
    reader = SubjectCipher.over(database, keys, cache_seconds=60)
    reader.preload(TENANT, [*sealed, None, "plain"])
    database[VAULT].delete_many({})  # only the preloaded keys can open them now
    assert [reader.decrypt(TENANT, token) for token in sealed] == list(range(5))


def test_a_vault_on_its_own_server_destroys_at_once_even_if_the_erasure_aborts(
        database, keys, mongo_uri):
    apart = connect(mongo_uri)  # another client: as KEY_VAULT_MONGO_URI makes it
    try:
        cipher = SubjectCipher(KeyVault(apart[database.name][VAULT], keys, 0))
        token = cipher.encrypt(TENANT, ANNA, "Anna")
        with pytest.raises(RuntimeError), transaction(database) as session:
            cipher.destroy(TENANT, [ANNA], session)  # cannot join this transaction
            raise RuntimeError("the erasure failed after destroying")
        with pytest.raises(ShreddedData):  # gone anyway: a retry finds nothing to destroy
            cipher.decrypt(TENANT, token)
        assert cipher.destroy(TENANT, [ANNA]) == 0
    finally:
        apart.close()
