# SPDX-License-Identifier: EUPL-1.2
"""Person profiles: created at the first sign-in, edited by their owner, stored encrypted.

A profile document keeps in clear only the tenant, the pseudonymous subject, language,
notification channel, timestamps, its version and the names of the fields the resident
edited; everything else (names, address, contact, trust level) is one encrypted
sub-document, ``personal``, sealed under the resident's own key (destroyed at erasure).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from loket_common.events import Event
from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection, is_transient, transaction
from loket_common.outbox import add_to_outbox
from loket_contracts.profile.schemas import ProfileSchema

from . import clock
from .exceptions import ProfileNotFound

SERVICE = "profile"
PERSONAL_FIELDS = ("given_name", "family_name", "address", "email", "phone", "trust_level")
CLAIMED_FIELDS = ("given_name", "family_name", "email")  # refreshed from the eID unless edited
WRITE_ATTEMPTS = 5


class Profiles:
    """The ``profiles`` collection behind domain verbs."""

    def __init__(self, database: Database, cipher: SubjectCipher) -> None:
        self.database = database
        self.cipher = cipher

    def ensure_indexes(self) -> None:
        """One profile per subject and tenant."""
        self.database["profiles"].create_index([("tenant", ASCENDING), ("subject", ASCENDING)],
                                               unique=True)

    def _collection(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database["profiles"], tenant)

    def _public(self, tenant: str, document: dict[str, Any]) -> dict[str, Any]:
        personal = self.cipher.decrypt(tenant, document["personal"])
        return ProfileSchema().dump({**document, **personal})

    def get(self, tenant: str, subject: str) -> dict[str, Any]:
        """The profile of ``subject``, decrypted."""
        document = self._collection(tenant).find_one({"subject": subject})
        if document is None:
            raise ProfileNotFound("No profile for this resident.")
        return self._public(tenant, document)

    def notification_contact(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """``{email, phone, name, language, notification_channel}`` of ``subject``, or None.

        For the notifications service at send time: a machine reading, not a staff access.
        """
        document = self._collection(tenant).find_one({"subject": subject})
        if document is None:
            return None
        personal = self.cipher.decrypt(tenant, document["personal"])
        name = " ".join(part for part in (personal.get("given_name"),
                                          personal.get("family_name")) if part) or None
        return {"email": personal.get("email"), "phone": personal.get("phone"), "name": name,
                "language": document["preferred_language"],
                "notification_channel": document["notification_channel"]}

    def exists(self, tenant: str, subject: str) -> bool:
        """True when ``subject`` has a profile."""
        return self._collection(tenant).count({"subject": subject}) > 0

    def sign_in(self, tenant: str, subject: str, claims: dict[str, Any]) -> dict[str, Any]:
        """Create the profile from ``claims`` at the first sign-in; later refresh the unedited."""
        now = clock.now()
        for _attempt in range(WRITE_ATTEMPTS):
            if self.exists(tenant, subject):
                break
            try:
                return self._create(tenant, subject, claims, now)
            except PyMongoError as error:  # a parallel first sign-in won: look again
                if not (isinstance(error, DuplicateKeyError) or is_transient(error)):
                    raise

        def refresh(clear: dict[str, Any], personal: dict[str, Any]) -> None:
            for name in CLAIMED_FIELDS:
                if claims.get(name) and name not in clear["edited"]:
                    personal[name] = claims[name]
            personal["trust_level"] = claims["trust_level"]
            clear["last_sign_in_at"] = now

        return self._change(tenant, subject, refresh)

    def _create(self, tenant: str, subject: str, claims: dict[str, Any],
                now: datetime) -> dict[str, Any]:
        personal = {name: claims.get(name) for name in PERSONAL_FIELDS}
        language = claims.get("preferred_language") or "de"
        document: dict[str, Any] = {
            "subject": subject,
            "preferred_language": language,
            "notification_channel": "email" if claims.get("email") else "none",
            "edited": [],
            "created_at": now, "updated_at": now, "last_sign_in_at": now, "version": 1,
            "personal": self.cipher.encrypt(tenant, subject, personal),
        }
        event = Event(source=SERVICE, type="profile_created", tenant=tenant,
                      data={"subject": subject, "preferred_language": language})
        with transaction(self.database) as session:
            self._collection(tenant).insert_one(document, session=session)
            add_to_outbox(self.database, event, session)
        return self._public(tenant, {**document, "tenant": tenant})

    def update(self, tenant: str, subject: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply the resident's (validated) ``changes``; edited fields survive later sign-ins."""
        def apply(clear: dict[str, Any], personal: dict[str, Any]) -> None:
            for name, value in changes.items():
                if name in PERSONAL_FIELDS:
                    personal[name] = value
                    if name not in clear["edited"]:
                        clear["edited"].append(name)
                else:
                    clear[name] = value

        return self._change(tenant, subject, apply)

    def _change(self, tenant: str, subject: str,
                mutate: Callable[[dict[str, Any], dict[str, Any]], None]) -> dict[str, Any]:
        """Read, decrypt, ``mutate(clear, personal)``, encrypt, write unless changed meanwhile."""
        collection = self._collection(tenant)
        for _attempt in range(WRITE_ATTEMPTS):
            document = collection.find_one({"subject": subject})
            if document is None:
                raise ProfileNotFound("No profile for this resident.")
            personal = self.cipher.decrypt(tenant, document["personal"])
            clear = {**document, "edited": list(document.get("edited", []))}
            mutate(clear, personal)
            clear.update(personal=self.cipher.encrypt(tenant, subject, personal),
                         updated_at=clock.now(), version=document["version"] + 1)
            clear.pop("_id")
            written = collection.replace_one(
                {"subject": subject, "version": document["version"]}, clear)
            if written.matched_count:
                return self._public(tenant, clear)
        raise RuntimeError("profile changed too often meanwhile")  # pragma: no cover

    def erase(self, tenant: str, subject: str, session: ClientSession) -> int:
        """Delete the profile of ``subject`` (inside the erasure transaction); how many."""
        return self._collection(tenant).delete_many({"subject": subject},
                                                    session=session).deleted_count
