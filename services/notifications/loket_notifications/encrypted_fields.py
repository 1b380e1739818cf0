# SPDX-License-Identifier: EUPL-1.2
"""The notifications service's encrypted fields and whose key seals them.

For ``loket-rotate-data-keys notifications``: ``ENCRYPTED_FIELDS`` names the fields,
``KEY_OWNERS`` the owner of a document's key (the recipient resident's subject, else the
message itself: ``key_owner``, set when the record is made).
"""
from typing import Any

from pymongo.database import Database

ENCRYPTED_FIELDS: dict[str, list[str]] = {
    "messages": ["content", "subject_line"],
}


def _message(_database: Database, document: dict[str, Any]) -> str:
    return document["key_owner"]


KEY_OWNERS = {"messages": _message}
