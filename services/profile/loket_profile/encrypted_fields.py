# SPDX-License-Identifier: EUPL-1.2
"""Where the profile service keeps encrypted personal data, and whose key seals it.

For ``loket-rotate-data-keys profile``: ``ENCRYPTED_FIELDS`` names the fields,
``KEY_OWNERS`` the owner of a document's key (the resident, or the business).
"""
from typing import Any

from pymongo.database import Database

from loket_common.key_vault import owner_of

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "profiles": ["personal"],
    "businesses": ["details"],
    "access_log": ["details"],
}


def _subject(_database: Database, document: dict[str, Any]) -> str:
    return document["subject"]


def _business(_database: Database, document: dict[str, Any]) -> str:
    return owner_of(None, "business", document["id"])


KEY_OWNERS = {"profiles": _subject, "businesses": _business, "access_log": _subject}
