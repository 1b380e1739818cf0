"""The local key file: made once, completed when a key is new, private keys kept to their own."""
import json
import stat

from deploy.local.local_keys import local_keys, shared_keys
from loket_common.sealing import open_sealed, seal_for


def test_keys_are_made_once_and_a_new_key_is_added_to_an_older_file(tmp_path):
    older = {"LOKET_DATA_KEYS": "*=old", "LOKET_INDEX_KEY": "index",
             "LOKET_PSEUDONYM_KEY": "pseudonyms"}
    (tmp_path / "local-keys.json").write_text(json.dumps(older))
    keys = local_keys(tmp_path)
    assert {name: keys[name] for name in older} == older  # old data still decrypts
    public, private = keys["LOKET_NOTIFICATIONS_PUBLIC_KEY"], keys[
        "LOKET_NOTIFICATIONS_PRIVATE_KEY"]
    assert open_sealed(private, seal_for(public, "token")) == "token"
    assert local_keys(tmp_path) == keys
    assert stat.S_IMODE((tmp_path / "local-keys.json").stat().st_mode) == 0o600


def test_the_private_key_is_not_in_what_every_process_gets(tmp_path):
    shared = shared_keys(tmp_path)
    assert "LOKET_NOTIFICATIONS_PUBLIC_KEY" in shared and "LOKET_DATA_KEYS" in shared
    assert "LOKET_NOTIFICATIONS_PRIVATE_KEY" not in shared
