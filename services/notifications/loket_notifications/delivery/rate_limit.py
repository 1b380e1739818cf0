# SPDX-License-Identifier: EUPL-1.2
"""Per-relay send rates shared by every instance of the service, counted in its database.

One document per relay and second (``relay_rate``), its counter taken by a conditional
``$inc`` (only while it is below the rate), so two instances together never send more than
the rate in one second. A relay's limit spans tenants (the relay is shared), so these
writes go through :class:`~loket_common.mongo.AllTenants`, the named way around the
tenant guard; the documents hold a relay id, a second and a count, nothing of a tenant.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from loket_common.mongo import AllTenants

COLLECTION = "relay_rate"
KEEP_SECONDS = 120  # counters of past seconds are removed by the TTL monitor after this


class RelayRateLimit:
    """Takes one send of a relay's per-second budget; ``clock`` gives epoch seconds."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.counters = AllTenants(database[COLLECTION])
        self.clock = clock
        self.sleep = sleep
        self._indexed = False

    def ensure_indexes(self) -> None:
        """The TTL index that removes old counters (the ``_id`` is relay and second).

        Made on the first :meth:`take` too, so a caller that forgets it leaves no heap.
        """
        self.counters.create_index("expires_at", expireAfterSeconds=0)
        self._indexed = True

    def take(self, relay: str, rate: int) -> bool:
        """True when ``relay`` may send one more message this second (``rate`` 0: always)."""
        if rate <= 0:
            return True
        if not self._indexed:
            self.ensure_indexes()
        second = int(self.clock())
        key = f"{relay}:{second}"
        try:
            result = self.counters.update_one(
                {"_id": key, "count": {"$lt": rate}},
                {"$inc": {"count": 1}, "$setOnInsert": {
                    "relay": relay, "second": second,
                    "expires_at": datetime.fromtimestamp(second + KEEP_SECONDS, UTC)}},
                upsert=True)
        except DuplicateKeyError:
            # Either the second's budget is spent (the filter missed, the insert collided)
            # or another instance created the counter at the same moment: ask once more
            # without creating it.
            result = self.counters.update_one({"_id": key, "count": {"$lt": rate}},
                                              {"$inc": {"count": 1}})
            return result.modified_count == 1
        return result.upserted_id is not None or result.modified_count == 1

    def take_waiting(self, relay: str, rate: int, max_wait: float = 1.0) -> bool:
        """As :meth:`take`, waiting for the next seconds' budget up to ``max_wait`` seconds."""
        deadline = self.clock() + max_wait
        for _second in range(math.ceil(max_wait) + 1):  # a new budget comes each second
            if self.take(relay, rate):
                return True
            now = self.clock()
            if now >= deadline:
                break
            self.sleep(max(0.001, min(math.floor(now) + 1 - now, deadline - now)))
        return False

