# SPDX-License-Identifier: EUPL-1.2
"""The publication's RPC entrypoints (``StatisticsRpc``): releases, their files, the chain."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from loket_common.errors import UnknownTenant, ValidationFailed, invalid_params
from loket_common.sealed_rpc import rpc
from loket_common.validation import load
from loket_contracts.statistics.measures import MONTH
from loket_contracts.statistics.schemas import (
    ChainReportSchema,
    CorrectionSchema,
    ProcessSeriesSchema,
    ReleaseFileContentSchema,
    ReleaseSchema,
)

from .exceptions import ReleaseFileNotFound, ReleaseNotFound
from .publisher import MonthSource, Publisher, with_superseded
from .service_source import ServiceSource


def checked_month(month: Any) -> str:
    """``month`` if it is ``YYYY-MM``; else ValidationFailed naming it."""
    try:
        return MONTH(month if isinstance(month, str) else "")
    except ValidationError as error:
        raise ValidationFailed("The month is not valid.",
                               invalid_params=invalid_params({"month": error.messages})) from None


class PublicationRpc:
    """Publish months, correct them, and read releases and the published figures."""

    store: Any
    runtime: Any

    def publication_source(self, tenant: str) -> MonthSource:
        """Where ``tenant``'s figures come from: the counting side of this service."""
        return ServiceSource(self, tenant)

    def publication_of(self, tenant: str) -> Publisher:
        """``tenant``'s publication; UnknownTenant for a tenant not configured here."""
        config: Mapping[str, Any] | None = self.runtime.tenants.get(tenant)
        if config is None:
            raise UnknownTenant(f"No statistics are kept for {tenant!r}.")
        return Publisher(self.store.database, config, self.publication_source(tenant))

    @rpc
    def publish_month(self, tenant: str, month: str) -> dict[str, Any]:
        """Freeze and publish a finished month (its release, if it has one)."""
        publisher = self.publication_of(tenant)
        return ReleaseSchema().dump(self._with_superseded(
            publisher, publisher.publish(checked_month(month))))

    @rpc
    def publish_correction(self, tenant: str, correction: dict[str, Any],
                           actor: dict[str, Any]) -> dict[str, Any]:
        """A new release of a published month, with what changed and why."""
        publisher = self.publication_of(tenant)
        request = load(CorrectionSchema(), correction)
        return ReleaseSchema().dump(publisher.correct(request["month"], request["reason"]))

    @rpc
    def list_releases(self, tenant: str) -> list[dict[str, Any]]:
        """Every release, newest first."""
        releases = self.publication_of(tenant).releases.all()
        return ReleaseSchema(many=True).dump(with_superseded(releases))

    @rpc
    def get_release(self, tenant: str, number: int) -> dict[str, Any]:
        """Release ``number``."""
        publisher = self.publication_of(tenant)
        return ReleaseSchema().dump(self._with_superseded(publisher,
                                                          self._release(publisher, number)))

    @rpc
    def release_file(self, tenant: str, number: int, name: str) -> dict[str, Any]:
        """A file of release ``number`` with its content."""
        release = self._release(self.publication_of(tenant), number, with_content=True)
        found = next((each for each in release["files"] if each["name"] == name), None)
        if found is None:
            raise ReleaseFileNotFound(f"Release {number} has no file {name!r}.")
        return ReleaseFileContentSchema().dump(found)

    @rpc
    def published_series(self, tenant: str) -> list[dict[str, Any]]:
        """The published figures per process, month by month (suppressed as published)."""
        return ProcessSeriesSchema(many=True).dump(self.publication_of(tenant).series())

    @rpc
    def verify_chain(self, tenant: str) -> dict[str, Any]:
        """Every file hash and link of the tenant's chain, recomputed."""
        count, problems = self.publication_of(tenant).verify()
        return ChainReportSchema().dump({"tenant": tenant, "releases": count,
                                         "ok": not problems, "problems": problems})

    @staticmethod
    def _release(publisher: Publisher, number: Any,
                 with_content: bool = False) -> dict[str, Any]:
        release = publisher.releases.get(number, with_content) if isinstance(number, int) \
            and not isinstance(number, bool) else None
        if release is None:
            raise ReleaseNotFound(f"There is no release {number!r}.")
        return release

    @staticmethod
    def _with_superseded(publisher: Publisher, release: dict[str, Any]) -> dict[str, Any]:
        newest = publisher.releases.of_month(release["month"]) or release
        return {**release,
                "superseded_by": None if newest["id"] == release["id"] else newest["id"]}
