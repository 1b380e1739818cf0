# SPDX-License-Identifier: EUPL-1.2
"""A service's tenant files, ``tenants/<tenant>.yml``: read once at start, a bad one stops it.

The built-in directory holds the demo tenants; a directory named by the service's
``<SERVICE>_CONFIG_DIR`` adds files and overrides built-in ones. A subclass checks and
completes each file (:meth:`TenantFiles.checked`).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .tenant import TENANT_PATTERN


class TenantConfigError(SystemExit):
    """A tenant file that cannot be used: stops the service with one line naming it."""


class TenantFiles:
    """Every tenant's file, from the built-in directory and the override directory."""

    variable: ClassVar[str] = "CONFIG_DIR"  # the override directory's variable
    required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, built_in: Path, directory: str | Path | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.tenants: dict[str, dict[str, Any]] = {}
        for folder in [built_in] + ([Path(directory)] if directory else []):
            if not folder.is_dir():
                raise TenantConfigError(f"{self.variable}: {folder} is no directory")
            for path in sorted(folder.glob("*.yml")):
                self.tenants[path.stem] = self._read(path)

    def get(self, tenant: str) -> dict[str, Any] | None:
        """``tenant``'s file, or None when it has none."""
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
        missing = [key for key in self.required if key not in item]
        if missing:
            raise TenantConfigError(f"{path}: missing {', '.join(missing)}")
        if "public_url" in item and "public_url_env" in item:
            raise TenantConfigError(f"{path}: set public_url or public_url_env, not both")
        return self.checked(path, {**item, "id": tenant})

    def checked(self, path: Path, item: dict[str, Any]) -> dict[str, Any]:
        """The file checked and completed by the service (a bad one: TenantConfigError)."""
        return item

    def public_url_of(self, item: dict[str, Any]) -> str:
        """``public_url``, or the value of the variable ``public_url_env`` names ('' if unset)."""
        value = item.get("public_url") or self.environ.get(item.get("public_url_env", ""), "")
        return str(value).rstrip("/")
