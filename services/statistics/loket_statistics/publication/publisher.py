# SPDX-License-Identifier: EUPL-1.2
"""Publishing a tenant's month, correcting it, and reading releases back.

A month is published once (a second call answers its release); a correction is a new
release of the same month, built from the figures as they are now, that says what changed
and why. Either is appended to the tenant's chain by :class:`.release_store.ReleaseStore`.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.database import Database

from loket_common.mongo import TenantCollection
from loket_contracts.statistics.measures import month_of

from ..cells import MonthCells, ProcessInfo
from . import chain
from .changes import changes
from .due_months import due_months
from .exceptions import MonthNotOver, MonthNotPublished, NothingToCorrect, PublicUrlNotSet
from .release_files import release_files
from .release_store import ReleaseStore
from .series import published_series
from .tables import MonthTable, month_table, to_json

# The counting side's live counts, ``{tenant, month, process, channel, measure, n}``: their
# first month is where the timer's catch-up starts.
CELLS = "cells"


class MonthSource(Protocol):
    """Where a tenant's figures come from (the counting side of the service)."""

    def cells(self, month: str) -> MonthCells:
        """The month's unsuppressed counts and lead times."""

    def processes(self) -> Mapping[str, ProcessInfo]:
        """Names and LeiKa keys of the tenant's processes."""

    def settings(self) -> Mapping[str, Any]:
        """The tenant's statistics settings (``SettingsSchema``)."""


def utc_now() -> datetime:
    """The current time (UTC)."""
    return datetime.now(UTC)


def public_url_of(tenant: Mapping[str, Any]) -> str:
    """The tenant's public URL: ``public_url``, or the variable ``public_url_env`` names."""
    url = tenant.get("public_url") or os.environ.get(str(tenant.get("public_url_env") or ""))
    if not url:
        raise PublicUrlNotSet(f"Set {tenant.get('public_url_env') or 'public_url'} for "
                              f"{tenant['id']}: the release's record names its URLs.")
    return str(url)


def statistics_json(release: Mapping[str, Any]) -> dict[str, Any]:
    """The published table of a release read with its content."""
    content = next(each["content"] for each in release["files"]
                   if each["name"] == "statistics.json")
    return json.loads(content)


@dataclass
class Publisher:
    """One tenant's publication."""

    database: Database
    tenant: Mapping[str, Any]
    source: MonthSource
    clock: Callable[[], datetime] = utc_now

    @property
    def releases(self) -> ReleaseStore:
        return ReleaseStore(self.database, self.tenant["id"])

    def is_over(self, month: str) -> bool:
        """True when ``month`` lies before the current month (Europe/Berlin)."""
        return month < month_of(self.clock().isoformat())

    def publish(self, month: str) -> dict[str, Any]:
        """Freeze and publish ``month``, or answer the release it already has."""
        if not self.is_over(month):
            raise MonthNotOver(f"{month} is not over yet: it can be published from the "
                               "first day of the next month.")
        existing = self.releases.of_month(month)
        if existing:
            return existing
        table = self._table(month)
        published_at = self._now()

        def attempt(_previous: dict[str, Any] | None, number: int) -> dict[str, Any] | None:
            if self.releases.of_month(month):  # another instance won the race with it
                return None
            return self._fields(table, number, published_at)

        return self.releases.append(attempt) or self.releases.of_month(month) or {}

    def correct(self, month: str, reason: str) -> dict[str, Any]:
        """A new release of published ``month`` with what changed and ``reason``."""
        if self.releases.of_month(month) is None:
            raise MonthNotPublished(f"{month} has no release to correct.")
        table = self._table(month)
        published_at = self._now()

        def attempt(_previous: dict[str, Any] | None, number: int) -> dict[str, Any] | None:
            newest = self.releases.of_month(month, with_content=True) or {}
            lines = changes(statistics_json(newest), json.loads(to_json(table)))
            if not lines:
                raise NothingToCorrect(f"The figures of {month} are those release "
                                       f"{newest['number']} published.")
            return {**self._fields(table, number, published_at), "corrects": newest["id"],
                    "reason": reason, "changes": lines}

        return self.releases.append(attempt) or {}

    def due_months(self) -> list[str]:
        """The months since the first with counts that are over and have no release yet."""
        first = TenantCollection(self.database[CELLS], self.tenant["id"]).find_one(
            {}, {"month": 1}, sort=[("month", ASCENDING)])
        current = month_of(self.clock().isoformat())
        return due_months(first["month"] if first else None, current, self.releases.months())

    def series(self) -> list[dict[str, Any]]:
        """The published figures per process, each month from its newest release."""
        releases = self.releases
        newest = (releases.of_month(month, with_content=True) for month in releases.months())
        return published_series(statistics_json(release) for release in newest if release)

    def verify(self) -> tuple[int, list[str]]:
        """How many releases there are, and every problem of their chain."""
        releases = self.releases.all(with_content=True)
        return len(releases), chain.verify(releases)

    def _now(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def _table(self, month: str) -> MonthTable:
        return month_table(self.source.cells(month), self.source.processes(),
                           self.source.settings())

    def _fields(self, table: MonthTable, number: int, published_at: str) -> dict[str, Any]:
        return {"month": table.month, "published_at": published_at,
                "files": release_files(table, self.tenant, public_url_of(self.tenant), number,
                                       published_at),
                "corrects": None, "reason": None, "changes": []}


def with_superseded(releases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each release (newest first) with ``superseded_by``: its month's newest, if another."""
    newest: dict[str, str] = {}
    for release in releases:
        newest.setdefault(release["month"], release["id"])
    return [{**release, "superseded_by": None if newest[release["month"]] == release["id"]
             else newest[release["month"]]} for release in releases]
