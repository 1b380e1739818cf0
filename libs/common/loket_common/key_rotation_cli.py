# SPDX-License-Identifier: EUPL-1.2
"""``loket-rotate-data-keys SERVICE``: re-encrypt a service's personal data with current keys.

Reads the service's own settings (``loket_<service>.settings``: ``MONGO_URI``,
``<SERVICE>_MONGO_DATABASE``, ``LOKET_DATA_KEYS``, ``LOKET_INDEX_KEY``), like the service itself.
``--new-key`` prints a fresh key to put first in ``LOKET_DATA_KEYS``.
"""
from __future__ import annotations

import argparse
import importlib

from .crypto import DataCipher, new_key
from .key_rotation import reencrypt_documents
from .mongo import connect


def main() -> None:
    """Rotate every tenant's encrypted fields of one service; print what was done."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", nargs="?", help="appointments, permits or profile")
    parser.add_argument("--new-key", action="store_true", help="print a fresh data key")
    args = parser.parse_args()
    if args.new_key:
        print(new_key())
        return
    if not args.service:
        parser.error("name the service (or use --new-key)")
    fields = importlib.import_module(f"loket_{args.service}.encrypted_fields").ENCRYPTED_FIELDS
    settings = importlib.import_module(f"loket_{args.service}.settings").Settings()
    cipher = DataCipher.from_env()
    database = connect(settings.mongo_uri)[settings.mongo_database]
    for collection, paths in fields.items():
        for tenant in database[collection].distinct("tenant"):
            count = reencrypt_documents(database[collection], tenant, paths, cipher)
            print(f"{collection} {tenant}: {count.rotated} re-encrypted, "
                  f"{count.changed_meanwhile} changed meanwhile (run again)")
