# SPDX-License-Identifier: EUPL-1.2
"""Each tenant's statistics file, ``tenants/<tenant>.yml``, read and checked once at start.

A file names the municipality, the base of its public URLs (``public_url`` or
``public_url_env``), the publisher, the spatial coverage and licence of its open data, and
the ``defaults`` of its settings (threshold, channels, expected shares) until an admin
changes them. ``STATISTICS_CONFIG_DIR`` may name a directory of such files, used instead of
the built-in ones (a tenant missing there falls back to the built-in file). A bad file
stops the start with one line naming it.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from loket_common.tenant_files import TenantConfigError, TenantFiles
from loket_contracts.statistics.schemas import SettingsSchema

BUILT_IN = Path(__file__).with_name("tenants")
__all__ = ["TenantConfigError", "TenantConfigs"]


class TenantConfigs(TenantFiles):
    """Every tenant's statistics file (``public_url``: None when its variable is not set)."""

    variable = "STATISTICS_CONFIG_DIR"
    required = ("name", "publisher", "spatial", "licence", "defaults")

    def __init__(self, directory: str | Path | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        super().__init__(BUILT_IN, directory, environ)

    def checked(self, path: Path, item: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(item["name"], dict) or not {"de", "en"} <= set(item["name"]):
            raise TenantConfigError(f"{path}: name needs de and en")
        try:
            defaults = SettingsSchema().load(item["defaults"] if isinstance(item["defaults"], dict)
                                             else {})
        except ValidationError as error:
            raise TenantConfigError(f"{path}: defaults: {error.messages}") from None
        return {**item, "defaults": dict(defaults), "public_url": self.public_url_of(item) or None}
