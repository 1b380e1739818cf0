# SPDX-License-Identifier: EUPL-1.2
"""Every RPC method of the statistics service, as the gateway calls it.

Each docstring names the contract schema of the arguments and answer
(``loket_contracts.statistics.schemas``). ``libs/contracts/tests`` checks this Protocol
against the service's ``@rpc`` entrypoints. ``actor`` is ``{"subject", "role"}`` of the
member of staff; nothing of it is stored beyond the settings' and releases' audit fields
(role only).
"""
from __future__ import annotations

from typing import Any, Protocol


class StatisticsRpc(Protocol):
    """``statistics``: counts per tenant, month, process and channel; monthly open data."""

    def health(self) -> dict[str, Any]:
        """``{"service", "database"}``."""

    # -- figures (tenant admins: the running month; operators: every tenant) ----------------
    def month_figures(self, tenant: str, month: str) -> dict[str, Any]:
        """The live figures of ``month`` (``YYYY-MM``): ``MonthFiguresSchema``, unsuppressed.

        For staff only: the public sees releases.
        """

    def all_tenants_figures(self, month: str) -> list[dict[str, Any]]:
        """``MonthFiguresSchema`` (many), one per configured tenant (operators)."""

    def process_series(self, tenant: str, first_month: str,
                       last_month: str) -> list[dict[str, Any]]:
        """Live figures month by month: ``ProcessSeriesSchema`` (many), for staff charts."""

    # -- settings ------------------------------------------------------------------------------
    def get_settings(self, tenant: str) -> dict[str, Any]:
        """``SettingsSchema`` (the tenant file's defaults until an admin changes them)."""

    def put_settings(self, tenant: str, settings: dict[str, Any], expected_version: int,
                     actor: dict[str, Any]) -> dict[str, Any]:
        """Replace the settings (``SettingsSchema``); VersionConflict on a stale version."""

    # -- the counter side ------------------------------------------------------------------
    def record_counter_transaction(self, tenant: str, transaction: dict[str, Any],
                                   actor: dict[str, Any]) -> dict[str, Any]:
        """Count one finished counter transaction: ``CounterTransactionSchema`` in and out."""

    # -- publication -----------------------------------------------------------------------
    def publish_month(self, tenant: str, month: str) -> dict[str, Any]:
        """Freeze and publish ``month`` (a finished one): ``ReleaseSchema``.

        Publishing a month that has a release answers that release (idempotent); a month
        not yet over is ``MonthNotOver`` (409).
        """

    def publish_correction(self, tenant: str, correction: dict[str, Any],
                           actor: dict[str, Any]) -> dict[str, Any]:
        """A new release of a published month (``CorrectionSchema``): ``ReleaseSchema``.

        ``changes`` lists what differs from the release it corrects.
        """

    def list_releases(self, tenant: str) -> list[dict[str, Any]]:
        """Every release of the tenant, newest first: ``ReleaseSchema`` (many)."""

    def get_release(self, tenant: str, number: int) -> dict[str, Any]:
        """One release by its number (``latest``: the gateway asks ``list_releases``)."""

    def release_file(self, tenant: str, number: int, name: str) -> dict[str, Any]:
        """``ReleaseFileContentSchema``; NotFound for an unknown release or file."""

    def published_series(self, tenant: str) -> list[dict[str, Any]]:
        """The public figures: per process the newest release of each month, suppressed.

        ``ProcessSeriesSchema`` (many); a suppressed count is absent from ``volume`` and
        listed in the point's ``suppressed`` (``SeriesPointSchema`` plus that list).
        """

    def verify_chain(self, tenant: str) -> dict[str, Any]:
        """Recompute every file hash and link: ``ChainReportSchema``."""
