# SPDX-License-Identifier: EUPL-1.2
"""The chain with the real appointments service and the real templates: a booking's
confirmation names its real manage link, the office's cancellation is told."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.dependencies import AppointmentsStore
from loket_appointments.service import AppointmentsService
from loket_common.testing import wait_for

from .helpers import TENANT

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = {day: [["08:00", "09:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
OFFICE = {"id": "rathaus", "name": {"de": "Bürgerbüro Mitte", "en": "Citizens' office"},
          "address": {"street": "Marktplatz 1", "postal_code": "12345", "city": "Musterstadt"},
          "timezone": "Europe/Berlin", "service_ids": ["id-card"],
          "counters": [{"id": "c1", "service_ids": ["id-card"]}], "opening_hours": HOURS}
ID_CARD = {"id": "id-card", "name": {"de": "Personalausweis", "en": "ID card"},
           "duration_minutes": 20, "fee_cents": 3700, "required_documents": [],
           "booking_policy": {"release_days_ahead": 14, "release_time": "00:00",
                              "min_lead_minutes": 0, "max_active_bookings_per_person": 5}}
ERIKA = {"name": "Erika Mustermann", "email": "erika.m@example.org", "language": "en"}
COUNTER = {"subject": "staff:c1", "name": "Max Schalter", "role": "counter_staff"}


def test_confirmation_and_office_cancellation_from_the_real_appointments_service(
        container_factory, start_notifications, service_config, database, own_database,
        channel):
    store = AppointmentsStore(database)
    store.ensure_indexes()
    store.put_service(TENANT, ID_CARD)
    store.put_office(TENANT, OFFICE)
    container_factory(AppointmentsService, service_config).start()
    start_notifications(real_renderer=True, MONGO_DATABASE=own_database.name)
    day = datetime.now(BERLIN).date() + timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=BERLIN)
    desk = store.desk(TENANT)
    held = desk.hold(OFFICE, ID_CARD, start, "client", None)
    booking, token = desk.confirm(held["id"], ERIKA, lambda service_id: 5, None)

    def sent(kind):
        return wait_for(lambda: own_database["messages"].find_one(
            {"kind": kind, "state": {"$in": ["accepted", "not_sent"]}}), timeout=20)

    assert sent("booking_confirmed")["state"] == "accepted"
    confirmation = channel.sent[-1]
    assert confirmation.recipient == "erika.m@example.org" and confirmation.language == "en"
    assert (f"/en/appointments/bookings/{booking['reference']}?token={token}"
            in confirmation.text)
    ics = next(item for item in confirmation.attachments if item.filename.endswith(".ics"))
    assert icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    with ClusterRpcProxy(service_config, timeout=10) as rpc:
        rpc.appointments.cancel_booking_by_office(TENANT, booking["reference"],
                                                  {**COUNTER, "role": "tenant_admin"},
                                                  "Wasserschaden")
    cancelled = sent("booking_cancelled")
    assert cancelled["state"] == "accepted" and cancelled["facts"]["cancelled_by"] == "office"
    assert own_database["links"].count_documents({}) == 0
