# SPDX-License-Identifier: EUPL-1.2
"""Consents: given and withdrawn per purpose, every change kept with its time.

The purposes and their German and English texts are data (``consent_purposes.yml``).
A consent document holds the subject, the purpose, the current state and its history;
no personal data.
"""
from __future__ import annotations

import builtins
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pymongo import ASCENDING
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.errors import ValidationFailed
from loket_common.mongo import TenantCollection

from . import clock

PURPOSES_FILE = Path(__file__).with_name("consent_purposes.yml")


@cache
def purposes() -> tuple[dict[str, str], ...]:
    """The catalogue: ``{purpose, title_de, title_en, text_de, text_en}`` each."""
    return tuple(yaml.safe_load(PURPOSES_FILE.read_text(encoding="utf-8")))


def checked_purpose(purpose: Any) -> str:
    """``purpose`` if the catalogue has it, else 400 naming the field."""
    known = [entry["purpose"] for entry in purposes()]
    if purpose not in known:
        raise ValidationFailed("Unknown consent purpose.", invalid_params=[
            {"name": "purpose", "reason": "Must be one of: " + ", ".join(known) + "."}])
    return purpose


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class Consents:
    """The ``consents`` collection behind domain verbs."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def ensure_indexes(self) -> None:
        """One consent document per subject and purpose."""
        self.database["consents"].create_index(
            [("tenant", ASCENDING), ("subject", ASCENDING), ("purpose", ASCENDING)], unique=True)

    def _collection(self, tenant: str) -> TenantCollection:
        return TenantCollection(self.database["consents"], tenant)

    def list(self, tenant: str, subject: str, with_history: bool = False) -> list[dict[str, Any]]:
        """Every purpose of the catalogue with the subject's state (never given: not given)."""
        stored = {document["purpose"]: document
                  for document in self._collection(tenant).find({"subject": subject})}
        return [self._public(entry, stored.get(entry["purpose"]), with_history)
                for entry in purposes()]

    def given(self, tenant: str, subject: str) -> builtins.list[str]:
        """The purposes ``subject`` consented to (and has not withdrawn), in catalogue order."""
        stored = {document["purpose"] for document in self._collection(tenant).find(
            {"subject": subject, "given": True}, {"purpose": 1})}
        return [entry["purpose"] for entry in purposes() if entry["purpose"] in stored]

    @staticmethod
    def _public(entry: dict[str, str], document: dict[str, Any] | None,
                with_history: bool) -> dict[str, Any]:
        document = document or {}
        public: dict[str, Any] = {**entry, "given": bool(document.get("given")),
                                  "given_at": _iso(document.get("given_at")),
                                  "withdrawn_at": _iso(document.get("withdrawn_at"))}
        if with_history:
            public["history"] = [{"action": change["action"], "at": _iso(change["at"])}
                                 for change in document.get("history", [])]
        return public

    def give(self, tenant: str, subject: str, purpose: str) -> dict[str, Any]:
        """Record consent to ``purpose`` (no change if already given)."""
        return self._set(tenant, subject, checked_purpose(purpose), True)

    def withdraw(self, tenant: str, subject: str, purpose: str) -> dict[str, Any]:
        """Withdraw consent to ``purpose`` (no change if not given)."""
        return self._set(tenant, subject, checked_purpose(purpose), False)

    def _set(self, tenant: str, subject: str, purpose: str, given: bool) -> dict[str, Any]:
        collection = self._collection(tenant)
        key = {"subject": subject, "purpose": purpose}
        try:
            collection.update_one(key, {"$setOnInsert": {
                "given": False, "given_at": None, "withdrawn_at": None, "history": []}},
                upsert=True)
        except DuplicateKeyError:
            pass  # a parallel first change created it
        now = clock.now()
        stamp = {"given_at": now, "withdrawn_at": None} if given else {"withdrawn_at": now}
        collection.update_one(
            {**key, "given": not given},
            {"$set": {"given": given, **stamp},
             "$push": {"history": {"action": "given" if given else "withdrawn", "at": now}}})
        entry = next(entry for entry in purposes() if entry["purpose"] == purpose)
        return self._public(entry, collection.find_one(key), with_history=False)

    def erase(self, tenant: str, subject: str, session: ClientSession) -> int:
        """Delete the subject's consents and their history (erasure); how many."""
        return self._collection(tenant).delete_many({"subject": subject},
                                                    session=session).deleted_count
