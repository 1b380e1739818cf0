# SPDX-License-Identifier: EUPL-1.2
"""A year's rebuild: 1,000,000 facts of one tenant seeded into ``facts``, then the command.

:func:`seed_facts` writes synthetic facts straight into the statistics service's ``facts``
collection in the format the service writes them (``{tenant, _id: "<event id>:<measure>",
month, process, channel, measure, lead_days (lead times only), at}``; nothing personal),
spread over the twelve months of one year, in big ``insert_many`` batches.
:func:`time_rebuild` runs ``loket-statistics-rebuild --tenant T --year Y`` as an operator
would and times it (wall clock, its CPU, the database's CPU); :func:`rebuilt_counts` reads
the cells back (counts, and the lead times kept), so a run whose rebuild counted other
figures than were seeded fails.
"""
from __future__ import annotations

import os
import random
import resource
import subprocess
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database

from deploy.local.system import BIN
from loket_contracts.notifications.schemas import KINDS
from loket_contracts.statistics.measures import LEAD_TIME, MONTH_ZONE, month_of

from .cpu import CpuProbe
from .statistics_ingest import SERVICE_IDS

PERMIT_TYPES = ("id-card", "residents-parking", "registration-of-move", "special-use",
                "business-registration")
# measure -> its share of the facts (of 100): roughly a citizens' office's month.
MIX = {"appointments_booked": 30, "walk_ins": 5, "appointments_cancelled": 4,
       "appointments_checked_in": 20, "appointments_no_show": 2, "applications_started": 8,
       "applications_submitted": 7, "applications_approved": 5, "applications_rejected": 1,
       "applications_withdrawn": 1, LEAD_TIME: 6, "counter_transactions": 6,
       "notifications_sent": 5}
BATCH = 20_000
LEAD_DAYS = "lead_time days"  # how many lead times a month's lead-time cells keep


def _process_and_channel(measure: str, pick: random.Random) -> tuple[str, str]:
    """A plausible process and channel for a fact of ``measure``."""
    if measure.startswith("notifications_"):
        return f"notifications:{pick.choice(KINDS)}", pick.choice(("email", "email", "sms"))
    if measure in ("walk_ins", "counter_transactions"):
        area = "appointments" if pick.random() < 0.5 else "permits"
        key = pick.choice(SERVICE_IDS if area == "appointments" else PERMIT_TYPES)
        return f"{area}:{key}", "counter"
    channel = pick.choice(("online", "online", "online", "counter", "phone"))
    if measure.startswith("appointments_"):
        return f"appointments:{pick.choice(SERVICE_IDS)}", channel
    return f"permits:{pick.choice(PERMIT_TYPES)}", channel


def synthetic_fact(tenant: str, year: int, pick: random.Random) -> dict[str, Any]:
    """One fact of ``tenant`` at a random moment of ``year``, as the service stores it."""
    measure = pick.choices(tuple(MIX), weights=tuple(MIX.values()))[0]
    process, channel = _process_and_channel(measure, pick)
    first = datetime(year, 1, 1, tzinfo=MONTH_ZONE)  # the tenant's year, not UTC's
    at = (first + timedelta(seconds=pick.randrange(int((first.replace(year=year + 1) - first)
                                                       .total_seconds())))).astimezone(UTC)
    fact = {"_id": f"{uuid.UUID(int=pick.getrandbits(128), version=4)}:{measure}",
            "tenant": tenant, "month": month_of(at.isoformat()), "process": process,
            "channel": channel, "measure": measure, "at": at}
    if measure == LEAD_TIME:
        fact["lead_days"] = round(pick.lognormvariate(2.3, 0.6), 2)  # median ~10 days
    return fact


def seed_facts(database: Database, tenant: str, year: int, count: int,
               seed: int = 14) -> dict[str, Any]:
    """Insert ``count`` facts; the seconds it took and the facts per month and measure."""
    pick = random.Random(seed)
    facts = database["facts"]
    seeded: Counter[tuple[str, str]] = Counter()
    began = time.perf_counter()
    for first in range(0, count, BATCH):
        batch = [synthetic_fact(tenant, year, pick) for _ in range(min(BATCH, count - first))]
        seeded.update((fact["month"], fact["measure"]) for fact in batch)
        seeded.update((fact["month"], LEAD_DAYS) for fact in batch if "lead_days" in fact)
        facts.insert_many(batch, ordered=False)
    return {"seed_seconds": round(time.perf_counter() - began, 1),
            "facts_per_second": round(count / (time.perf_counter() - began)),
            "expected": seeded}


def time_rebuild(env: dict[str, str], tenant: str, year: int,
                 secantusdb_pid: int) -> dict[str, Any]:
    """Run the rebuild command once; its wall clock, CPU and the database's CPU."""
    probe = CpuProbe({"secantusdb": [secantusdb_pid]})
    database_before = probe()["secantusdb"]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run([str(BIN / "loket-statistics-rebuild"), "--tenant", tenant,
                           "--year", str(year)], env={**os.environ, **env},
                          capture_output=True, text=True,
                          check=False, timeout=1800)
    seconds = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"loket-statistics-rebuild exited {done.returncode}: "
                           f"{done.stderr[-2000:]}")
    summary = [line for line in (done.stdout or done.stderr).splitlines() if line.strip()]
    return {"rebuild_seconds": round(seconds, 2),
            "cpu_seconds": {"rebuild command": round(
                children.ru_utime + children.ru_stime
                - children_before.ru_utime - children_before.ru_stime, 2),
                "secantusdb": round(probe()["secantusdb"] - database_before, 2)},
            "summary": summary[-1] if summary else ""}


def rebuilt_counts(database: Database, tenant: str, year: int) -> Counter[tuple[str, str]]:
    """(month, measure) -> the count the cells hold; lead-time cells also their kept days."""
    found: Counter[tuple[str, str]] = Counter()
    for cell in database["cells"].find(
            {"tenant": tenant, "month": {"$gte": f"{year}-01", "$lte": f"{year}-12"}},
            {"month": 1, "measure": 1, "n": 1, "days": 1}):
        found[(cell["month"], cell["measure"])] += int(cell.get("n", 0))
        if cell["measure"] == LEAD_TIME:
            found[(cell["month"], LEAD_DAYS)] += len(cell.get("days") or [])
    return found
