# SPDX-License-Identifier: EUPL-1.2
"""A crafted month of Musterstadt for the publication tests: small and large counts."""
from __future__ import annotations

from importlib import resources

import yaml

from loket_statistics.cells import MonthCells, ProcessInfo

TENANT_ID = "musterstadt"
MONTH = "2026-10"
PUBLIC_URL = "https://termine.musterstadt.example"
ID_CARD, PASSPORT = "appointments:id-card", "appointments:passport"
RESIDENCE = "appointments:residence"
PARKING, SPECIAL_USE = "permits:residents-parking", "permits:special-use"
PROCESSES = {
    ID_CARD: ProcessInfo({"de": "Personalausweis", "en": "ID card"}, "99115001001000"),
    PASSPORT: ProcessInfo({"de": "Reisepass", "en": "Passport"}),
    PARKING: ProcessInfo({"de": "Bewohnerparkausweis", "en": "Residents' parking"},
                         "99134003001000"),
}
SETTINGS = {"threshold": 5, "channels": ["phone"], "version": 1,
            "expected_shares": {ID_CARD: 0.5, PARKING: 0.8}}


def tenant() -> dict:
    """Musterstadt's tenant file, with its public URL set."""
    text = resources.files("loket_statistics").joinpath("tenants/musterstadt.yml").read_text()
    return {**yaml.safe_load(text), "public_url": PUBLIC_URL}


def october(lead_days: dict | None = None, **changed: int) -> MonthCells:
    """October: ID card mostly online, a few passports at the counter, parking permits with
    lead times; ``changed`` replaces counts (``appointments_booked__id_card__online=7``),
    ``lead_days`` adds lead times."""
    counts = {
        ("appointments_booked", ID_CARD, "online"): 62,
        ("appointments_booked", ID_CARD, "counter"): 31,
        ("walk_ins", ID_CARD, "counter"): 31,
        ("appointments_checked_in", ID_CARD, "online"): 55,
        ("appointments_no_show", ID_CARD, "online"): 3,
        ("counter_transactions", ID_CARD, "counter"): 14,
        ("appointments_booked", PASSPORT, "online"): 2,
        ("appointments_booked", PASSPORT, "counter"): 12,
        ("walk_ins", PASSPORT, "counter"): 12,
        ("appointments_booked", RESIDENCE, "online"): 9,
        ("appointments_booked", RESIDENCE, "counter"): 7,
        ("walk_ins", RESIDENCE, "counter"): 7,
        ("applications_submitted", PARKING, "online"): 40,
        ("applications_submitted", PARKING, "counter"): 4,
        ("applications_approved", PARKING, "online"): 32,
        ("applications_approved", PARKING, "counter"): 5,
        ("applications_submitted", SPECIAL_USE, "online"): 8,
        ("applications_submitted", SPECIAL_USE, "counter"): 6,
        ("notifications_sent", "notifications:appointment_booked", "email"): 60,
        ("notifications_failed", "notifications:appointment_booked", "email"): 1,
    }
    for name, n in changed.items():
        measure, process, channel = name.split("__")
        area = "permits" if measure.startswith("applications") else "appointments"
        counts[(measure, f"{area}:{process.replace('_', '-')}", channel)] = n
    days = {**(lead_days or {}), (PARKING, "online"): sorted(float(day) for day in range(1, 33)),
                 (PARKING, "counter"): [4.0, 9.0, 12.0, 20.0, 25.0]}
    return MonthCells(TENANT_ID, MONTH, counts, days)
