# SPDX-License-Identifier: EUPL-1.2
"""The appointments store: catalogue and resident projection behind domain verbs."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING

from loket_common.data_protection import erase_once
from loket_common.errors import NotFound
from loket_common.events import Event
from loket_common.handlers import ensure_handled_index, handle_once
from loket_common.mongo import MongoDatabase, Store, TenantCollection

from .booking_desk import BookingDesk, DeskSettings, ensure_desk_indexes
from .catalogue_admin import CatalogueAdmin, ensure_catalogue_indexes
from .counter_desk import CounterDesk
from .ledger import ensure_ledger_indexes
from .release_lottery import ReleaseLottery, ensure_lottery_indexes
from .resident_data import ResidentData

NO_ID = {"_id": 0, "tenant": 0}
ACTIVE_ONLY = {"active": {"$ne": False}}  # deactivated entries stay for their past bookings


class AppointmentsStore(Store):
    """Offices, offered services, bookings, and what appointments knows about residents."""

    settings = DeskSettings()

    def ensure_indexes(self) -> None:
        """Every index starts with the tenant."""
        for name in ("offices", "services", "residents"):
            self.database[name].create_index([("tenant", ASCENDING), ("id", ASCENDING)],
                                             unique=True)
        ensure_handled_index(self.database)
        ensure_ledger_indexes(self.database)
        ensure_desk_indexes(self.database)
        ensure_lottery_indexes(self.database)
        ensure_catalogue_indexes(self.database)

    def desk(self, tenant: str) -> BookingDesk:
        """The booking desk of ``tenant``."""
        return BookingDesk(self.database, tenant, self.settings, cipher=self.cipher)

    def counter(self, tenant: str) -> CounterDesk:
        """The counter staff's desk of ``tenant``."""
        return CounterDesk(self.desk(tenant))

    def lottery(self, tenant: str) -> ReleaseLottery:
        """The fair-release lottery of ``tenant``."""
        return ReleaseLottery(self.desk(tenant), self)

    def catalogue(self, tenant: str, actor: dict[str, Any]) -> CatalogueAdmin:
        """Catalogue changes in ``tenant`` by ``actor`` (a tenant administrator)."""
        return CatalogueAdmin(self.database, tenant, actor)

    def office(self, tenant: str, office_id: str) -> dict[str, Any]:
        """One office (NotFound if the tenant has none by that id)."""
        office = self._collection("offices", tenant).find_one({"id": office_id}, NO_ID)
        if office is None:
            raise NotFound("No such office.")
        return office

    def offices(self, tenant: str) -> list[dict[str, Any]]:
        """All active offices of ``tenant``."""
        return list(self._collection("offices", tenant).find(ACTIVE_ONLY, NO_ID,
                                                             sort=[("id", 1)]))

    def all_entries(self, tenant: str, collection: str) -> list[dict[str, Any]]:
        """Every office or service (``collection``) of ``tenant``, deactivated ones too."""
        return list(self._collection(collection, tenant).find({}, NO_ID, sort=[("id", 1)]))

    def service(self, tenant: str, service_id: str) -> dict[str, Any]:
        """One offered service (NotFound if unknown)."""
        service = self._collection("services", tenant).find_one({"id": service_id}, NO_ID)
        if service is None:
            raise NotFound("No such service.")
        return service

    def tenants(self) -> list[str]:
        """Tenants with a catalogue (for the timers)."""
        return sorted(self.database["offices"].distinct("tenant"))

    def _collection(self, name: str, tenant: str) -> TenantCollection:
        return TenantCollection(self.database[name], tenant)

    def offices_with_services(self, tenant: str) -> list[dict[str, Any]]:
        """All active offices of ``tenant``, each with the active services it offers."""
        services = {
            service["id"]: service
            for service in self._collection("services", tenant).find(ACTIVE_ONLY, NO_ID)
        }
        offices = self.offices(tenant)
        for office in offices:
            office["services"] = [services[sid] for sid in office["service_ids"] if sid in services]
        return offices

    def put_service(self, tenant: str, service: dict[str, Any]) -> None:
        """Create or replace an offered service."""
        self._collection("services", tenant).replace_one({"id": service["id"]}, service,
                                                         upsert=True)

    def put_office(self, tenant: str, office: dict[str, Any]) -> None:
        """Create or replace an office."""
        self._collection("offices", tenant).replace_one({"id": office["id"]}, office,
                                                        upsert=True)

    def record_resident(self, event: Event) -> bool:
        """Project ``profile_created``: remember the resident's language for reminders."""
        def apply(session) -> None:
            self._collection("residents", event.tenant).replace_one(
                {"id": event.data["subject"]},
                {"id": event.data["subject"],
                 "preferred_language": event.data["preferred_language"],
                 "known_since": datetime.now(UTC)},
                upsert=True,
                session=session,
            )
        return handle_once(self.database, event, "record_resident", apply)

    def resident_data(self, tenant: str) -> ResidentData:
        """Residents' own bookings, export and erasure in ``tenant``."""
        return ResidentData(self.desk(tenant))

    def export_subject(self, tenant: str, subject: str) -> dict[str, Any]:
        """Everything appointments holds about the resident, as plain JSON."""
        return self.resident_data(tenant).export(subject)

    def erase_subject(self, event: Event) -> bool:
        """Handle ``profile.erasure_requested`` once: erase, then ``erasure_completed``."""
        return erase_once(self.database, event, "appointments",
                          self.resident_data(event.tenant).erase)

    def resident(self, tenant: str, subject: str) -> dict[str, Any] | None:
        """What appointments knows about a resident (pseudonymous), or None."""
        return self._collection("residents", tenant).find_one({"id": subject}, NO_ID)


class AppointmentsDatabase(MongoDatabase):
    """Workers get an :class:`AppointmentsStore`."""

    store_class = AppointmentsStore

    def get_dependency(self, worker_ctx: Any) -> AppointmentsStore:
        store = AppointmentsStore(self.database, vault=self.vault)
        config = self.container.config
        store.settings = DeskSettings(
            hold_seconds=int(config.get("HOLD_SECONDS", DeskSettings.hold_seconds)),
            holds_per_client=int(config.get("HOLDS_PER_CLIENT", DeskSettings.holds_per_client)),
            reminder_hours=int(config.get("REMINDER_HOURS", DeskSettings.reminder_hours)))
        return store
