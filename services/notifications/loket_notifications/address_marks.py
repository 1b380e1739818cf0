# SPDX-License-Identifier: EUPL-1.2
"""Addresses that bounced: a blind index of the lower-cased address, never the address.

A case worker sees "email bounced" on a case when the applicant's current address (or,
failing that, the applicant) has a mark.
"""
from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database

from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection

MARKS = "address_marks"


class AddressMarks:
    """One tenant's bounced addresses."""

    def __init__(self, database: Database, cipher: SubjectCipher, tenant: str) -> None:
        self.marks = TenantCollection(database[MARKS], tenant)
        self.cipher = cipher
        self.tenant = tenant

    def index_of(self, address: str) -> str:
        """The blind index of ``address`` (case does not matter)."""
        return self.cipher.blind_index(self.tenant, "address:" + address.strip().lower())

    def mark(self, address: str, subject_index: str | None, at: datetime) -> None:
        """Remember that ``address`` bounced."""
        self.marks.update_one({"address_index": self.index_of(address)}, {"$set": {
            "subject_index": subject_index, "bounced_at": at}}, upsert=True)

    def bounced(self, address: str | None, subject_index: str | None) -> bool:
        """True when ``address`` bounced, or (no address known) one of the subject's did."""
        if address:
            return self.marks.find_one({"address_index": self.index_of(address)}) is not None
        if subject_index:
            return self.marks.find_one({"subject_index": subject_index}) is not None
        return False

    def erase(self, subject_index: str, session: ClientSession) -> int:
        """Forget the resident's marks."""
        return self.marks.delete_many({"subject_index": subject_index},
                                      session=session).deleted_count


def ensure_mark_indexes(database: Database) -> None:
    """One mark per tenant and address."""
    database[MARKS].create_index([("tenant", ASCENDING), ("address_index", ASCENDING)],
                                 unique=True)
    database[MARKS].create_index([("tenant", ASCENDING), ("subject_index", ASCENDING)])
