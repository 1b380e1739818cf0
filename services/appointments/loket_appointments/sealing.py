# SPDX-License-Identifier: EUPL-1.2
"""Encrypt contact data stored before encryption at rest (issue 5); run by the seed command.

A booking or lottery entry whose ``contact`` is still a plain object gets it encrypted under
its owner's key and its ``person_key`` recomputed as the blind index. Running it again
changes nothing.
"""
from __future__ import annotations

from pymongo.database import Database

from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection

from .encrypted_fields import KEY_OWNERS
from .release_lottery import ENTRIES


def seal_plaintext_contacts(database: Database, cipher: SubjectCipher) -> int:
    """Encrypt every plain ``contact`` in bookings and lottery entries; return how many."""
    sealed = 0
    for name in ("bookings", ENTRIES):
        for document in database[name].find({"contact": {"$type": "object"}}):
            tenant, contact = document["tenant"], document["contact"]
            owner = KEY_OWNERS[name](database, document)
            changes = {"contact": cipher.encrypt(tenant, owner, contact)}
            if contact.get("email"):
                changes["person_key"] = cipher.blind_index(tenant,
                                                           contact["email"].strip().lower())
            sealed += TenantCollection(database[name], tenant).update_one(
                {"_id": document["_id"], "contact": contact}, {"$set": changes}).modified_count
    return sealed
