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

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from loket_common.tenant import TENANT_PATTERN
from loket_contracts.statistics.schemas import SettingsSchema

BUILT_IN = Path(__file__).with_name("tenants")
REQUIRED = ("name", "publisher", "spatial", "licence", "defaults")


class TenantConfigError(SystemExit):
    """A tenant file that cannot be used: stops the service with one line naming it."""


class TenantConfigs:
    """Every tenant's statistics file, read once from the built-in and the override directory."""

    def __init__(self, directory: str | Path | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.tenants: dict[str, dict[str, Any]] = {}
        for folder in [BUILT_IN] + ([Path(directory)] if directory else []):
            if not folder.is_dir():
                raise TenantConfigError(f"STATISTICS_CONFIG_DIR: {folder} is no directory")
            for path in sorted(folder.glob("*.yml")):
                self.tenants[path.stem] = self._read(path)

    def get(self, tenant: str) -> dict[str, Any] | None:
        """``tenant``'s file, or None when it has none (it is not counted for)."""
        return self.tenants.get(tenant)

    def ids(self) -> list[str]:
        """Every configured tenant."""
        return sorted(self.tenants)

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            item = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise TenantConfigError(f"{path}: not readable YAML ({error})") from None
        if not isinstance(item, dict):
            raise TenantConfigError(f"{path}: expected a mapping")
        tenant = item.get("id", path.stem)
        if tenant != path.stem or not TENANT_PATTERN.match(str(tenant)):
            raise TenantConfigError(f"{path}: id must be the file's name, a tenant id")
        missing = [key for key in REQUIRED if key not in item]
        if missing:
            raise TenantConfigError(f"{path}: missing {', '.join(missing)}")
        if not isinstance(item["name"], dict) or not {"de", "en"} <= set(item["name"]):
            raise TenantConfigError(f"{path}: name needs de and en")
        if "public_url" in item and "public_url_env" in item:
            raise TenantConfigError(f"{path}: set public_url or public_url_env, not both")
        return {**item, "id": tenant, "defaults": self._defaults(path, item["defaults"]),
                "public_url": self._public_url(item)}

    @staticmethod
    def _defaults(path: Path, defaults: Any) -> dict[str, Any]:
        try:
            loaded = SettingsSchema().load(defaults if isinstance(defaults, dict) else {})
        except ValidationError as error:
            raise TenantConfigError(f"{path}: defaults: {error.messages}") from None
        return dict(loaded)

    def _public_url(self, item: dict[str, Any]) -> str | None:
        """The base of the tenant's public URLs (None when its variable is not set)."""
        value = item.get("public_url") or self.environ.get(item.get("public_url_env", ""), "")
        return str(value).rstrip("/") or None
