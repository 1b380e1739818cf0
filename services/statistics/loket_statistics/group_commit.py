# SPDX-License-Identifier: EUPL-1.2
"""Group commit: the events an instance's workers hand in together share one transaction.

A transaction per event caps the ingest at what the database commits one by one (measured
on SecantusDB: ~270 events/s, a sixth of what the broker delivers). Here each worker hands
its event's facts to the container's one committer and waits for the answer; the committer
takes everything handed in meanwhile (up to ``MAX_BATCH``) and counts it with
:func:`~.fact_store.count_once`: one transaction, one ``$inc`` per cell. A worker returns
(and its message is acknowledged) only after its batch committed; if the batch fails, every
worker of it raises and its event is retried, so nothing is lost, and the facts' ids keep a
retried event from counting twice.
"""
from __future__ import annotations

from typing import Any

from eventlet.event import Event as Done
from eventlet.queue import LightQueue
from pymongo.database import Database

from loket_common.logs import get_logger

from .fact_store import Counted, count_once

log = get_logger(__name__)

MAX_BATCH = 500


class GroupCommit:
    """The container's committer: :meth:`count` from workers, :meth:`run` in its own thread."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.queue: LightQueue = LightQueue()

    def count(self, item: Counted) -> bool:
        """Count ``item`` once, with whatever arrives with it; False if it was counted before."""
        done: Done = Done()
        self.queue.put((item, done))
        return bool(done.wait())

    def close(self) -> None:
        """Let :meth:`run` end once what was handed in is counted."""
        self.queue.put(None)

    def run(self) -> None:
        """Commit batches until :meth:`close`."""
        while True:
            batch: list[tuple[Counted, Any]] = []
            entry = self.queue.get()
            while entry is not None:
                batch.append(entry)
                if len(batch) >= MAX_BATCH or self.queue.empty():
                    break
                entry = self.queue.get_nowait()
            if batch:
                self._commit(batch)
            if entry is None:
                return

    def _commit(self, batch: list[tuple[Counted, Any]]) -> None:
        try:
            fresh = count_once(self.database, [item for item, _ in batch])
        except Exception as error:  # noqa: BLE001 (each waiting worker raises it: retried)
            log.warning("batch not counted", events=len(batch), error_type=type(error).__name__)
            for _, done in batch:
                done.send_exception(error)
            return
        for (_, done), new in zip(batch, fresh, strict=True):
            done.send(new)
