# SPDX-License-Identifier: EUPL-1.2
"""The demo tenant's permit types (Musterstadt, fictional).

``loket-permits-seed`` writes them (idempotently) into the database named by
``MONGO_URI`` and ``PERMITS_MONGO_DATABASE``.
"""
from __future__ import annotations

import os

from loket_common.mongo import connect
from loket_common.validation import load

from .dependencies import PermitsStore
from .schemas import PermitTypeSchema

TENANT = "musterstadt"


def _text(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


PERMIT_TYPES = [
    {"id": "residents-parking", "name": _text("Bewohnerparkausweis", "Residents' parking permit"),
     "description": _text("Parken im Bewohnerparkgebiet Ihrer Wohnung.",
                          "Parking in the residents' parking zone of your home."),
     "fee_cents": 3060, "processing_days": 14,
     "fields": [
         {"name": "licence-plate", "type": "licence-plate", "required": True,
          "label": _text("Kennzeichen", "Licence plate"),
          "why": _text("Der Ausweis gilt nur für dieses Fahrzeug.",
                       "The permit is valid for this vehicle only.")},
         {"name": "address", "type": "address", "required": True,
          "label": _text("Wohnanschrift", "Home address"),
          "why": _text("Nur Bewohner der Parkzone erhalten einen Ausweis.",
                       "Only residents of the parking zone can get a permit.")},
     ]},
    {"id": "special-use", "name": _text("Sondernutzung öffentlicher Flächen",
                                        "Special use of public space"),
     "description": _text("Z. B. Umzugscontainer, Gerüst, Café-Tische auf dem Gehweg.",
                          "E.g. a skip, scaffolding, café tables on the pavement."),
     "fee_cents": 5000, "processing_days": 21,
     "fields": [
         {"name": "location", "type": "address", "required": True,
          "label": _text("Ort der Nutzung", "Location of use"),
          "why": _text("Um die Fläche und Konflikte mit anderen Nutzungen zu prüfen.",
                       "To check the space and conflicts with other uses.")},
         {"name": "start-date", "type": "date", "required": True,
          "label": _text("Beginn", "Start date"),
          "why": _text("Die Gebühr richtet sich nach der Dauer.",
                       "The fee depends on the duration.")},
     ]},
]


def seed(store: PermitsStore, tenant: str = TENANT) -> None:
    """Write the demo permit types, validated by the same schema as the API."""
    store.ensure_indexes()
    for permit_type in PERMIT_TYPES:
        store.put_permit_type(tenant, load(PermitTypeSchema(), permit_type))


def main() -> None:
    """Seed the demo tenant into the configured database."""
    client = connect(os.environ.get("MONGO_URI", "mongodb://127.0.0.1:27017/?retryWrites=false"))
    database = client[os.environ.get("PERMITS_MONGO_DATABASE", "loket_permits")]
    seed(PermitsStore(database))
    client.close()
    print(f"permits: seeded tenant {TENANT}")


if __name__ == "__main__":
    main()
