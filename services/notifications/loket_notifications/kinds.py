# SPDX-License-Identifier: EUPL-1.2
"""The kinds of message, the event each answers, and whether a tenant sends it.

A tenant's file sets the defaults (``kinds: {kind: false}``); a tenant admin's switch is
stored in the collection ``kind_switches`` and wins over the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database

from loket_common.mongo import TenantCollection
from loket_contracts.notifications.schemas import KINDS

from .exceptions import KindNotFound

SWITCHES = "kind_switches"
STATUS_CONSENT = "email_status_updates"


@dataclass(frozen=True)
class Kind:
    """One kind of message: who gets it, what it is about, what it needs."""

    id: str
    audience: str
    about: str
    title: dict[str, str]
    description: dict[str, str]
    consent: str | None = None  # a purpose the resident must have consented to


def _kind(id: str, about: str, de: str, en: str, what_de: str, what_en: str,
          audience: str = "resident", consent: str | None = None) -> Kind:
    return Kind(id, audience, about, {"de": de, "en": en}, {"de": what_de, "en": what_en},
                consent)


TABLE: dict[str, Kind] = {kind.id: kind for kind in (
    _kind("booking_confirmed", "booking", "Terminbestätigung", "Booking confirmation",
          "Nach der Buchung, mit Kalenderdatei und Link zum Verwalten.",
          "After booking, with a calendar file and the link to manage it."),
    _kind("booking_moved", "booking", "Termin verschoben", "Appointment moved",
          "Wenn ein Termin verschoben wurde, mit der neuen Kalenderdatei.",
          "When an appointment was moved, with the new calendar file."),
    _kind("booking_cancelled", "booking", "Termin abgesagt", "Appointment cancelled",
          "Wenn die Person oder das Amt einen Termin abgesagt hat.",
          "When the resident or the office cancelled an appointment."),
    _kind("booking_reminder", "booking", "Terminerinnerung", "Appointment reminder",
          "Vor dem Termin, mit dem Link zum Absagen.",
          "Before the appointment, with the link to cancel it."),
    _kind("lottery_entered", "lottery_entry", "Losverfahren: Teilnahme",
          "Lottery: entry received", "Bestätigt die Teilnahme an einer Terminverlosung.",
          "Confirms the entry into an appointment lottery."),
    _kind("lottery_result", "lottery_entry", "Losverfahren: Ergebnis", "Lottery: result",
          "Das Ergebnis der Verlosung, bei Erfolg mit dem Termin.",
          "The draw's result, with the appointment when allocated."),
    _kind("permit_submitted", "application", "Antrag eingegangen", "Application received",
          "Bestätigt den Eingang eines Antrags.", "Confirms that an application arrived."),
    _kind("permit_information_requested", "application", "Angaben nachgefordert",
          "Information requested", "Was die Sachbearbeitung noch braucht, und bis wann.",
          "What the case worker still needs, and by when."),
    _kind("permit_status_changed", "application", "Bearbeitungsstand",
          "Application status", "Jeder neue Bearbeitungsstand (nur mit Einwilligung).",
          "Every new status of an application (with consent only).",
          consent=STATUS_CONSENT),
    _kind("permit_decided", "application", "Antrag entschieden", "Application decided",
          "Die Entscheidung mit Begründung und dem nächsten Schritt.",
          "The decision with its reasons and the next step."),
    _kind("erasure_completed", "erasure", "Daten gelöscht", "Data erased",
          "Bestätigt, dass alle Daten der Person gelöscht sind.",
          "Confirms that all of the person's data was erased."),
    _kind("case_assigned", "application", "Vorgang zugewiesen", "Case assigned",
          "Sagt Mitarbeitenden, dass ihnen ein Vorgang zugewiesen wurde.",
          "Tells staff that a case was assigned to them.", audience="staff"),
)}
assert tuple(TABLE) == KINDS, "the table lists the contract's kinds, in order"  # noqa: S101


def kind_of(kind_id: str) -> Kind:
    """The kind ``kind_id`` (:class:`KindNotFound` for another id)."""
    try:
        return TABLE[kind_id]
    except KeyError:
        raise KindNotFound("No such kind of message.", kind=str(kind_id)[:60]) from None


class KindSwitches:
    """Which kinds one tenant sends: its file's defaults, then its admins' switches."""

    def __init__(self, database: Database, tenant: str, defaults: dict[str, bool]) -> None:
        self.switches = TenantCollection(database[SWITCHES], tenant)
        self.defaults = defaults

    def enabled(self, kind_id: str, session: Any = None) -> bool:
        """True when the tenant sends ``kind_id``."""
        switch = self.switches.find_one({"kind": kind_id}, session=session)
        if switch is not None:
            return bool(switch["enabled"])
        return bool(self.defaults.get(kind_id, True))

    def list(self) -> list[dict[str, Any]]:
        """Every kind with whether the tenant sends it (``KindSchema``)."""
        stored = {switch["kind"]: switch["enabled"] for switch in self.switches.find()}
        return [self._shown(kind, stored.get(kind.id, self.defaults.get(kind.id, True)))
                for kind in TABLE.values()]

    def set(self, kind_id: str, enabled: bool, role: str | None) -> dict[str, Any]:
        """Switch ``kind_id`` on or off (who: the role only)."""
        kind = kind_of(kind_id)
        self.switches.update_one({"kind": kind.id}, {"$set": {
            "enabled": bool(enabled), "by_role": role, "at": datetime.now(UTC)}}, upsert=True)
        return self._shown(kind, bool(enabled))

    @staticmethod
    def _shown(kind: Kind, enabled: bool) -> dict[str, Any]:
        return {"id": kind.id, "audience": kind.audience, "enabled": bool(enabled),
                "title": kind.title, "description": kind.description}


def ensure_switch_indexes(database: Database) -> None:
    """One switch per tenant and kind."""
    database[SWITCHES].create_index([("tenant", ASCENDING), ("kind", ASCENDING)], unique=True)
