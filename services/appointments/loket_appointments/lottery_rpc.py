# SPDX-License-Identifier: EUPL-1.2
"""Fair-release (lottery) entrypoints: a release's state, entering it, an entry's outcome."""
from __future__ import annotations

from typing import Any

from loket_common.errors import NotFound
from loket_common.outbox import OutboxRelay
from loket_common.sealed_rpc import rpc
from loket_common.tenant import checked_tenant
from loket_common.validation import load
from loket_contracts.appointments.lottery import EntryRequestSchema, EntrySchema, ReleaseSchema

from .availability import ReleasePolicy
from .booking_desk import utcnow
from .dependencies import AppointmentsStore
from .release_lottery import release_of


class LotteryRpc:
    """Residents enter a lottery service's open release; the timer draws it (``tick``)."""

    store: AppointmentsStore
    relay: OutboxRelay

    @rpc
    def release_info(self, tenant: str, service_id: str) -> dict[str, Any]:
        """The service's latest release: mode, state, day, when it opened and is drawn."""
        tenant = checked_tenant(tenant)
        service = self.store.service(tenant, str(service_id))
        release = release_of(service, self._offering_office(tenant, service, None), utcnow())
        state = self.store.lottery(tenant).state_of(service, release)
        return ReleaseSchema().dump({"service_id": service["id"], "state": state,
                                     "mode": ReleasePolicy.of(service).mode,
                                     "day": release.day, "opened_at": release.opened_at,
                                     "draw_at": release.draw_at})

    @rpc
    def enter_lottery(self, tenant: str, request: dict[str, Any]) -> dict[str, Any]:
        """Enter the open release of a lottery service; answer with the status token."""
        tenant = checked_tenant(tenant)
        wanted = load(EntryRequestSchema(), request)
        service = self.store.service(tenant, wanted.pop("service_id"))
        office_id = wanted.pop("office_id")
        office = self._offering_office(tenant, service, office_id)
        entry, token = self.store.lottery(tenant).enter(service, office, office_id, wanted)
        self.relay.nudge()
        return {"entry": EntrySchema().dump(entry), "status_token": token}

    @rpc
    def lottery_entry(self, tenant: str, reference: str, token: str) -> dict[str, Any]:
        """The entry its status token opens: pending, allocated (with booking) or not."""
        return EntrySchema().dump(self.store.lottery(checked_tenant(tenant))
                                  .by_status_token(reference, token))

    def _offering_office(self, tenant: str, service: dict[str, Any],
                         office_id: str | None) -> dict[str, Any]:
        """The office ``office_id`` (or the first one) that offers ``service``."""
        offices = ([self.store.office(tenant, office_id)] if office_id
                   else self.store.offices(tenant))
        office = next((office for office in offices
                       if service["id"] in office["service_ids"]), None)
        if office is None:
            raise NotFound("No office offers this service.")
        return office
