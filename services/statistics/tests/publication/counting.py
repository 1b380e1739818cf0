# SPDX-License-Identifier: EUPL-1.2
"""Counts put in through the service's real counting path: a :class:`MonthCells` as facts.

Every count becomes one fact of its own event, every lead time one ``lead_time`` fact, and
all of them are counted once in one transaction (:func:`count_once`, as the group commit
counts the events that arrive together).
"""
from __future__ import annotations

import uuid

from pymongo.database import Database

from loket_contracts.statistics.measures import LEAD_TIME
from loket_statistics.cells import MonthCells
from loket_statistics.fact_store import Counted, count_once
from loket_statistics.intake import Fact


def facts_of_cells(cells: MonthCells) -> list[Fact]:
    """One fact per count of ``cells`` and one ``lead_time`` fact per lead time."""
    facts = [Fact(measure, process, channel, cells.month)
             for (measure, process, channel), n in cells.counts.items() for _ in range(n)]
    facts += [Fact(LEAD_TIME, process, channel, cells.month, days)
              for (process, channel), lead in cells.lead_days.items() for days in lead]
    return facts


def put_cells(database: Database, cells: MonthCells) -> None:
    """Count ``cells``' counts and lead times, each fact as its own event."""
    assert all(count_once(database, [Counted(cells.tenant, str(uuid.uuid4()), [fact])
                                     for fact in facts_of_cells(cells)]))
