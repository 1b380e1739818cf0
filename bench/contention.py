# SPDX-License-Identifier: EUPL-1.2
"""Release morning: many clients at once, through the gateway, for a few scarce slots."""
from __future__ import annotations

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pymongo import MongoClient

from deploy.local.system import System
from loket_gateway.appointments.anti_bot.proof_of_work import solve

API = "/api/v1/tenants/musterstadt"


def _post(url: str, body: dict, client: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "X-Forwarded-For": client})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {}


def contend(system: System, contenders: int, scarce: int) -> dict:
    """``contenders`` clients each try to hold and book one of ``scarce`` slots (one counter)."""
    with urllib.request.urlopen(system.url + API + "/slots?service_id=id-card&office_id=nord",  # noqa: S310
                                timeout=30) as response:
        slots = json.load(response)[:scarce]

    # Each client has its own address in its own network (the gateway trusts one proxy
    # here): a stampede of residents, not of one bot, whom the limits per address and per
    # network would stop. Each solves its proof of work before the release, as a prepared
    # bot would: outside the clock.
    clients = [f"10.{n // 256}.{n % 256}.1" for n in range(contenders)]
    proofs = [solve(_post(system.url + API + "/challenges", {}, client)[1]["challenge"])
              for client in clients]

    def book(n: int) -> int:
        slot = slots[n % len(slots)]
        status, held = _post(system.url + API + "/holds", {
            **{key: slot[key] for key in ("service_id", "office_id", "start")},
            "pow_solution": proofs[n]}, clients[n])
        if status != 201:
            return status
        status, _ = _post(system.url + API + f"/holds/{held['hold_id']}/confirmation",
                          {"name": f"Person {n}", "email": f"p{n}@example.org",
                           "language": "de"}, clients[n])
        return status

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=contenders) as pool:
        statuses = list(pool.map(book, range(contenders)))
    seconds = time.monotonic() - started
    client: MongoClient[dict[str, Any]] = MongoClient(system.mongo_uri)
    bookings = client["loket_appointments"]["bookings"]
    booked = list(bookings.find({"tenant": "musterstadt", "state": "booked"},
                                {"office_id": 1, "counter_id": 1, "start": 1}))
    per_slot: dict[tuple[str, str, Any], int] = {}
    for booking in booked:
        key = (booking["office_id"], booking["counter_id"], booking["start"])
        per_slot[key] = per_slot.get(key, 0) + 1
    client.close()
    return {"contenders": contenders, "scarce_slots": len(slots), "seconds": round(seconds, 2),
            "booked": statuses.count(201), "bookings_per_second": round(
                statuses.count(201) / seconds, 1),
            "rejected_409": statuses.count(409),
            "other_statuses": sorted({s for s in statuses if s not in (201, 409)}),
            "overbooked_slots": sum(1 for count in per_slot.values() if count > 1)}
