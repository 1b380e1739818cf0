# SPDX-License-Identifier: EUPL-1.2
"""The statistics store (placeholder of the skeleton: the counting helper fills it in)."""
from __future__ import annotations

from loket_common.mongo import MongoDatabase, Store


class StatisticsStore(Store):
    """The statistics database, one tenant's part at a time."""


class StatisticsDatabase(MongoDatabase):
    """Workers get a :class:`StatisticsStore`."""

    store_class = StatisticsStore
