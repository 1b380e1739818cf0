# SPDX-License-Identifier: EUPL-1.2
"""The appointments service's encrypted fields and whose key seals them.

For ``loket-rotate-data-keys appointments``: ``ENCRYPTED_FIELDS`` names the fields,
``KEY_OWNERS`` the owner of a document's key (the resident's subject, else the record).
"""
from typing import Any

from pymongo.database import Database

from loket_common.key_vault import owner_of

from .release_lottery import ENTRY_KEYS

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "bookings": ["contact", "cancellation_reason"],
    "lottery_entries": ["contact"],
}


def _booking(_database: Database, document: dict[str, Any]) -> str:
    return owner_of(document.get("subject"), "booking", document["id"])


def _entry(_database: Database, document: dict[str, Any]) -> str:
    return owner_of(document.get("subject"), ENTRY_KEYS, document["id"])


KEY_OWNERS = {"bookings": _booking, "lottery_entries": _entry}
