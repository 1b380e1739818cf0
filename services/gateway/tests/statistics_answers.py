# SPDX-License-Identifier: EUPL-1.2
"""What the statistics service answers, for the gateway's fakes: each checked by the contract.

Each is a function, so every test gets fresh dicts; every answer goes through ``shaped``.
"""
from __future__ import annotations

from typing import Any

from loket_contracts.fakes import shaped
from loket_contracts.statistics import schemas as contract

ID_CARD = {"de": "Personalausweis", "en": "ID card"}
PARKING = {"de": "Bewohnerparkausweis", "en": "Residents' parking permit"}
SHA = {name: format(index, "x") * 64 for index, name in enumerate(contract.RELEASE_FILES, 1)}


def lead_time(median: float = 4.5, p90: float = 9.0) -> dict[str, Any]:
    return {"decisions": 12, "median_days": median, "p90_days": p90}


def published_series() -> list[dict[str, Any]]:
    """``ProcessSeriesSchema`` (many): ID card appointments, two months; parking, one."""
    return shaped(contract.ProcessSeriesSchema(many=True), [
        {"process": "appointments:id-card", "name": ID_CARD, "service_key": "99123456789012",
         "points": [
             {"month": "2026-10", "volume": {"online": 62, "counter": 38},
              "digital_share": 0.62, "expected_share": 0.5, "lead_time": None,
              "suppressed": []},
             {"month": "2026-09", "volume": {"online": 40}, "digital_share": 0.8,
              "expected_share": 0.5, "lead_time": None, "suppressed": ["counter", "phone"]}]},
        {"process": "permits:residents-parking", "name": PARKING, "service_key": None,
         "points": [{"month": "2026-10", "volume": {"online": 20, "counter": 5},
                     "digital_share": 0.8, "expected_share": None,
                     "lead_time": lead_time(), "suppressed": []}]}])


def settings(version: int = 3) -> dict[str, Any]:
    """``SettingsSchema``: threshold 5, phone and post, two expected shares."""
    return shaped(contract.SettingsSchema, {
        "threshold": 5, "channels": ["phone", "post"], "version": version,
        "expected_shares": {"appointments:id-card": 0.5, "permits:residents-parking": 0.8}})


def release(number: int = 1, month: str = "2026-10", corrects: str | None = None,
            previous: str | None = None) -> dict[str, Any]:
    """``ReleaseSchema``: a month's files with their hashes."""
    return shaped(contract.ReleaseSchema, {
        "id": f"rel-{number}", "tenant": "musterstadt", "number": number, "month": month,
        "published_at": "2026-11-01T02:00:00+00:00",
        "files": [{"name": name, "media_type": contract.MEDIA_TYPES[name], "sha256": SHA[name],
                   "bytes": 100 + index} for index, name in enumerate(contract.RELEASE_FILES)],
        "previous_hash": previous, "release_hash": format(number, "x").rjust(64, "a"),
        "corrects": corrects, "reason": "Doppelt gezählte Buchungen" if corrects else None,
        "changes": ["appointments:id-card online 62 -> 60"] if corrects else [],
        "superseded_by": None})


def releases() -> list[dict[str, Any]]:
    """Newest first: a correction of October (3), October (2, superseded), September (1)."""
    first = release(1, "2026-09")
    october = {**release(2, "2026-10", previous=first["release_hash"]),
               "superseded_by": "rel-3"}
    correction = release(3, "2026-10", corrects="rel-2", previous=october["release_hash"])
    return shaped(contract.ReleaseSchema(many=True), [correction, october, first])


def release_file(name: str = "statistics.csv", number: int = 3) -> dict[str, Any]:
    """``ReleaseFileContentSchema``: a CSV."""
    return shaped(contract.ReleaseFileContentSchema, {
        "name": name, "media_type": contract.MEDIA_TYPES[name], "sha256": SHA[name],
        "bytes": 40, "content": "month,process,channel,count\n2026-10,appointments:id-card,"
                                f"online,62\n# release {number}\n"})


def month_figures(tenant: str = "musterstadt", month: str = "2026-12") -> dict[str, Any]:
    """``MonthFiguresSchema``: live, unsuppressed (a count of 2 shows as it is)."""
    return shaped(contract.MonthFiguresSchema, {
        "tenant": tenant, "month": month, "published": False,
        "channels": ["online", "counter", "phone", "post"],
        "processes": [
            {"process": "appointments:id-card", "name": ID_CARD, "service_key": None,
             "counts": {"appointments_booked": {"online": 7, "counter": 2},
                        "walk_ins": {"counter": 2}},
             "volume": {"online": 7, "counter": 2}, "digital_share": 7 / 9,
             "expected_share": 0.5, "gap": 7 / 9 - 0.5, "lead_time": None},
            {"process": "permits:residents-parking", "name": PARKING, "service_key": None,
             "counts": {"applications_submitted": {"online": 3, "phone": 1}},
             "volume": {"online": 3, "phone": 1}, "digital_share": 0.75,
             "expected_share": 0.8, "gap": -0.05, "lead_time": lead_time(3.0, 6.5)}]})


def live_series() -> list[dict[str, Any]]:
    """``ProcessSeriesSchema`` (many) of live figures: no suppression."""
    return shaped(contract.ProcessSeriesSchema(many=True), [
        {"process": "appointments:id-card", "name": ID_CARD, "service_key": None,
         "points": [{"month": "2026-12", "volume": {"online": 7, "counter": 2},
                     "digital_share": 7 / 9, "expected_share": 0.5, "lead_time": None,
                     "suppressed": []}]}])


def chain(tenant: str = "musterstadt", ok: bool = True) -> dict[str, Any]:
    """``ChainReportSchema``."""
    return shaped(contract.ChainReportSchema, {
        "tenant": tenant, "releases": 3, "ok": ok,
        "problems": [] if ok else ["release 2: statistics.csv changed"]})
