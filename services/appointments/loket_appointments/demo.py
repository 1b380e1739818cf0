# SPDX-License-Identifier: EUPL-1.2
"""The demo tenant's catalogue: Musterstadt, a fictional municipality.

``loket-appointments-seed`` writes it (idempotently) into the database named by
``MONGO_URI`` and ``APPOINTMENTS_MONGO_DATABASE``.
"""
from __future__ import annotations

from loket_common.mongo import connect
from loket_common.sealing import Sealer
from loket_common.validation import load
from loket_contracts.appointments.catalogue import OfferedServiceSchema, OfficeSchema

from .dependencies import AppointmentsStore
from .outbox_tokens import seal_plain_outbox_tokens
from .sealing import seal_plaintext_contacts
from .settings import Settings

TENANT = "musterstadt"


def _text(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


ID_DOCS = [
    _text("Biometrisches Passfoto", "Biometric passport photo"),
    _text("Bisheriger Ausweis oder Pass", "Current ID card or passport"),
]

WEEKDAY_HOURS = {day: [["08:00", "12:00"], ["13:00", "16:00"]]
                 for day in ("mon", "tue", "wed", "thu", "fri")}

HOLIDAYS = [
    {"date": day, "reason": _text(de, en)} for day, de, en in [
        ("2026-12-24", "Heiligabend", "Christmas Eve"),
        ("2026-12-25", "1. Weihnachtstag", "Christmas Day"),
        ("2026-12-26", "2. Weihnachtstag", "Boxing Day"),
        ("2026-12-31", "Silvester", "New Year's Eve"),
        ("2027-01-01", "Neujahr", "New Year's Day"),
        ("2027-03-26", "Karfreitag", "Good Friday"),
        ("2027-03-29", "Ostermontag", "Easter Monday"),
        ("2027-05-01", "Tag der Arbeit", "Labour Day"),
    ]
]

# LeiKa keys (they make the statistics comparable across municipalities), only where a
# published list confirms them: "Wohnsitz Anmeldung" is 99115005104000 in Dataport's list
# of the Leistungen a municipality must assign (docs.osi.dataport.de, Landesredaktionssystem).
# The ID card's, the passport's and the certificate of good conduct's keys stay out until
# confirmed likewise.
REGISTRATION_KEY = "99115005104000"

SERVICES = [
    {"id": "id-card", "name": _text("Personalausweis beantragen", "Apply for an ID card"),
     "description": _text("Neuer Personalausweis, gültig 10 Jahre (unter 24: 6 Jahre).",
                          "New ID card, valid for 10 years (under 24: 6 years)."),
     "duration_minutes": 15, "fee_cents": 3780, "required_documents": ID_DOCS,
     "booking_policy": {"release_days_ahead": 28, "release_time": "07:00",
                        "min_lead_minutes": 60, "max_active_bookings_per_person": 1}},
    {"id": "passport", "name": _text("Reisepass beantragen", "Apply for a passport"),
     "description": _text("Neuer Reisepass für Reisen außerhalb der EU.",
                          "New passport for travel outside the EU."),
     "duration_minutes": 20, "fee_cents": 7000, "required_documents": ID_DOCS,
     # Scarce: each newly released day is allocated by lottery after a one-hour window.
     "booking_policy": {"release_days_ahead": 28, "release_time": "07:00",
                        "min_lead_minutes": 60, "max_active_bookings_per_person": 1,
                        "release_mode": "lottery", "lottery_window_minutes": 60}},
    {"id": "registration", "name": _text("Wohnsitz anmelden", "Register your residence"),
     "service_key": REGISTRATION_KEY,
     "description": _text("Anmeldung innerhalb von zwei Wochen nach dem Einzug.",
                          "Register within two weeks of moving in."),
     "duration_minutes": 10, "fee_cents": 0,
     "required_documents": [_text("Wohnungsgeberbestätigung", "Landlord's confirmation"),
                            _text("Personalausweis oder Pass", "ID card or passport")]},
    {"id": "good-conduct", "name": _text("Führungszeugnis beantragen",
                                         "Apply for a certificate of good conduct"),
     "description": _text("Auszug aus dem Bundeszentralregister.",
                          "Extract from the Federal Central Criminal Register."),
     "duration_minutes": 10, "fee_cents": 1300,
     "required_documents": [_text("Personalausweis oder Pass", "ID card or passport")]},
]

OFFICES = [
    {"id": "rathaus", "name": _text("Bürgerbüro im Rathaus", "Citizens' office at the town hall"),
     "address": {"street": "Marktplatz 1", "postal_code": "12345", "city": "Musterstadt"},
     "accessibility": _text("Stufenloser Zugang, Aufzug, barrierefreies WC.",
                            "Step-free entrance, lift, accessible toilet."),
     "service_ids": ["id-card", "passport", "registration", "good-conduct"],
     "counters": [
         {"id": "schalter-1", "name": _text("Schalter 1", "Counter 1"),
          "service_ids": ["id-card", "passport", "registration", "good-conduct"]},
         {"id": "schalter-2", "name": _text("Schalter 2", "Counter 2"),
          "service_ids": ["id-card", "passport"]},
         {"id": "schalter-3", "name": _text("Schalter 3", "Counter 3"),
          "service_ids": ["registration", "good-conduct"]}],
     "opening_hours": WEEKDAY_HOURS | {"thu": [["08:00", "12:00"], ["13:00", "18:00"]],
                                       "sat": [["09:00", "12:00"]]},
     "closures": HOLIDAYS},
    {"id": "nord", "name": _text("Bürgerbüro Nord", "Citizens' office North"),
     "address": {"street": "Lindenweg 12", "postal_code": "12347", "city": "Musterstadt"},
     "accessibility": _text("Zugang über Rampe; Induktionsschleife am Schalter 1.",
                            "Access by ramp; hearing loop at counter 1."),
     "service_ids": ["id-card", "registration"],
     "counters": [
         {"id": "schalter-1", "name": _text("Schalter 1", "Counter 1"),
          "service_ids": ["id-card", "registration"]}],
     "opening_hours": WEEKDAY_HOURS,
     "closures": HOLIDAYS},
]


def seed(store: AppointmentsStore, tenant: str = TENANT) -> None:
    """Write the demo catalogue, validated by the same schemas as the API."""
    store.ensure_indexes()
    first = {"version": 1, "active": True}  # as if created through the admin API
    for service in SERVICES:
        store.put_service(tenant, {**load(OfferedServiceSchema(), service), **first})
    for office in OFFICES:
        store.put_office(tenant, {**load(OfficeSchema(), office), **first})


def main() -> None:
    """Seed the demo tenant into the configured database."""
    settings = Settings()
    client = connect(settings.mongo_uri)
    database = client[settings.mongo_database]
    store = AppointmentsStore(database)
    seed(store)
    sealed = seal_plaintext_contacts(database, store.cipher)
    tokens = seal_plain_outbox_tokens(database, Sealer(settings.notifications_public_key))
    client.close()
    print(f"appointments: seeded tenant {TENANT}; encrypted {sealed} older contacts; "
          f"sealed the tokens of {tokens} older outbox entries")


if __name__ == "__main__":
    main()
