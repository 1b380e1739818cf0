# SPDX-License-Identifier: EUPL-1.2
"""The demo tenant's catalogue: Musterstadt, a fictional municipality.

``loket-appointments-seed`` writes it (idempotently) into the database named by
``MONGO_URI`` and ``APPOINTMENTS_MONGO_DATABASE``.
"""
from __future__ import annotations

import os

from loket_common.mongo import connect
from loket_common.validation import load

from .dependencies import AppointmentsStore
from .schemas import OfferedServiceSchema, OfficeSchema

TENANT = "musterstadt"


def _text(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


ID_DOCS = [
    _text("Biometrisches Passfoto", "Biometric passport photo"),
    _text("Bisheriger Ausweis oder Pass", "Current ID card or passport"),
]

SERVICES = [
    {"id": "id-card", "name": _text("Personalausweis beantragen", "Apply for an ID card"),
     "description": _text("Neuer Personalausweis, gültig 10 Jahre (unter 24: 6 Jahre).",
                          "New ID card, valid for 10 years (under 24: 6 years)."),
     "duration_minutes": 15, "fee_cents": 3780, "required_documents": ID_DOCS},
    {"id": "passport", "name": _text("Reisepass beantragen", "Apply for a passport"),
     "description": _text("Neuer Reisepass für Reisen außerhalb der EU.",
                          "New passport for travel outside the EU."),
     "duration_minutes": 20, "fee_cents": 7000, "required_documents": ID_DOCS},
    {"id": "registration", "name": _text("Wohnsitz anmelden", "Register your residence"),
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
     "service_ids": ["id-card", "passport", "registration", "good-conduct"]},
    {"id": "nord", "name": _text("Bürgerbüro Nord", "Citizens' office North"),
     "address": {"street": "Lindenweg 12", "postal_code": "12347", "city": "Musterstadt"},
     "accessibility": _text("Zugang über Rampe; Induktionsschleife am Schalter 1.",
                            "Access by ramp; hearing loop at counter 1."),
     "service_ids": ["id-card", "registration"]},
]


def seed(store: AppointmentsStore, tenant: str = TENANT) -> None:
    """Write the demo catalogue, validated by the same schemas as the API."""
    store.ensure_indexes()
    for service in SERVICES:
        store.put_service(tenant, load(OfferedServiceSchema(), service))
    for office in OFFICES:
        store.put_office(tenant, load(OfficeSchema(), office))


def main() -> None:
    """Seed the demo tenant into the configured database."""
    client = connect(os.environ.get("MONGO_URI", "mongodb://127.0.0.1:27017/?retryWrites=false"))
    database = client[os.environ.get("APPOINTMENTS_MONGO_DATABASE", "loket_appointments")]
    seed(AppointmentsStore(database))
    client.close()
    print(f"appointments: seeded tenant {TENANT}")


if __name__ == "__main__":
    main()
