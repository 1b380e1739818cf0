# SPDX-License-Identifier: EUPL-1.2
"""Staff members' contacts (email, name, language), refreshed at every staff sign-in.

The notifications service asks for them to tell a case worker that a case was assigned
to them. A document keeps in clear only the tenant, the staff subject (a pseudonym) and
the time of the last sign-in; the contact is encrypted under the staff subject's own key.
Staff are not residents: a resident's erasure does not touch this collection (see
docs/data-protection.md, "Staff contacts").
"""
from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection
from loket_contracts.common import LANGUAGES

from . import clock

COLLECTION = "staff_contacts"


def full_name(given: str | None, family: str | None) -> str | None:
    """``"given family"`` from the parts present, or None without either."""
    return " ".join(part for part in (given, family) if part) or None


def spoken_language(value: str | None) -> str:
    """``de`` or ``en`` from a language tag such as ``en-GB`` (German otherwise)."""
    primary = (value or "").split("-")[0].split("_")[0].strip().lower()
    return primary if primary in LANGUAGES else "de"


class StaffContacts:
    """The ``staff_contacts`` collection behind domain verbs."""

    def __init__(self, database: Database, cipher: SubjectCipher) -> None:
        self.database = database
        self.cipher = cipher

    def ensure_indexes(self) -> None:
        """One contact per staff subject and tenant."""
        self.database[COLLECTION].create_index([("tenant", ASCENDING), ("subject", ASCENDING)],
                                               unique=True)

    def _collection(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database[COLLECTION], tenant)

    def record(self, tenant: str, subject: str, claims: dict[str, Any]) -> None:
        """Store (or refresh) the contact from a sign-in's validated ``claims``."""
        contact = {"email": claims.get("email"),
                   "name": full_name(claims.get("given_name"), claims.get("family_name")),
                   "language": spoken_language(claims.get("preferred_language"))}
        self._collection(tenant).replace_one(
            {"subject": subject},
            {"subject": subject, "signed_in_at": clock.now(),
             "contact": self.cipher.encrypt(tenant, subject, contact)}, upsert=True)

    def get(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """``{email, name, language}`` of the staff member, or None before a sign-in."""
        document = self._collection(tenant).find_one({"subject": subject})
        if document is None:
            return None
        return dict(self.cipher.decrypt(tenant, document["contact"]))
