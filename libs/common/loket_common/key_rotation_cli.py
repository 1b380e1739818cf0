# SPDX-License-Identifier: EUPL-1.2
"""``loket-rotate-data-keys SERVICE``: re-wrap a service's key vault with the current keys.

Reads the service's own settings (``loket_<service>.settings``: ``MONGO_URI``,
``KEY_VAULT_MONGO_URI``, ``<SERVICE>_MONGO_DATABASE``, ``LOKET_DATA_KEYS``,
``LOKET_INDEX_KEY``), like the service itself. For every tenant it re-wraps the per-person
keys with the tenant's current key, then moves values still sealed with a tenant key
(stored before crypto-shredding) under their owner's key. ``--new-key`` prints a fresh key
to put first in ``LOKET_DATA_KEYS``.
"""
from __future__ import annotations

import argparse
import importlib
from functools import partial

from .crypto import DataCipher, new_key
from .key_rotation import reencrypt_documents
from .key_vault import VAULT, KeyVault, SubjectCipher
from .mongo import connect


def say(line: str) -> None:
    """One line of progress, at once (the tool may run for a while)."""
    print(line, flush=True)


def _looked_at(where: str, seen: int) -> None:
    say(f"{where}: {seen} documents looked at ...")


def main() -> None:
    """Rotate every tenant's keys and older values of one service; print what was done."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", nargs="?", help="appointments, permits or profile")
    parser.add_argument("--new-key", action="store_true", help="print a fresh data key")
    args = parser.parse_args()
    if args.new_key:
        print(new_key())
        return
    if not args.service:
        parser.error("name the service (or use --new-key)")
    fields_module = importlib.import_module(f"loket_{args.service}.encrypted_fields")
    settings = importlib.import_module(f"loket_{args.service}.settings").Settings()
    database = connect(settings.mongo_uri)[settings.mongo_database]
    vault_client = connect(settings.key_vault_mongo_uri) if settings.key_vault_mongo_uri \
        else database.client
    vault = KeyVault(vault_client[settings.mongo_database][VAULT], DataCipher.from_env(), 0)
    cipher = SubjectCipher(vault)
    rewrapped = moved = changed = 0
    for tenant in sorted(vault.collection.distinct("tenant")):
        wrap = vault.rewrap(tenant)
        say(f"key vault {tenant}: {wrap.rewrapped} keys re-wrapped, {wrap.current} already "
            f"current, {wrap.changed_meanwhile} changed meanwhile")
        rewrapped, changed = rewrapped + wrap.rewrapped, changed + wrap.changed_meanwhile
    for collection, paths in fields_module.ENCRYPTED_FIELDS.items():
        owner = partial(fields_module.KEY_OWNERS[collection], database)
        for tenant in sorted(database[collection].distinct("tenant")):
            count = reencrypt_documents(
                database[collection], tenant, paths, cipher, owner,
                progress=partial(_looked_at, f"{collection} {tenant}"))
            say(f"{collection} {tenant}: {count.moved} moved to per-person keys, "
                f"{count.current} already under them, {count.changed_meanwhile} changed "
                "meanwhile")
            moved, changed = moved + count.moved, changed + count.changed_meanwhile
    say(f"done: {rewrapped} keys re-wrapped, {moved} documents moved to per-person keys"
        + (f", {changed} changed meanwhile: run again" if changed else ""))
