# SPDX-License-Identifier: EUPL-1.2
"""Each tenant's notifications settings: a YAML file per tenant, ``tenants/<tenant>.yml``.

A file names the municipality (``name``, ``contact``: what every message shows), the base of
its links (``public_url`` or ``public_url_env``, as the gateway's tenants.yml), the sender and
bounce address, the relay ids in failover order and the kinds it does not send. A partner
municipality points ``NOTIFICATIONS_CONFIG_DIR`` at a directory of its own files, used
instead of the built-in ones (a tenant missing there falls back to the built-in file).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from loket_common.tenant import TENANT_PATTERN

BUILT_IN = Path(__file__).with_name("tenants")
REQUIRED = ("name", "contact", "sender", "bounce_address", "relays")


class TenantConfigError(SystemExit):
    """A tenant file that cannot be used: stops the service with one line naming it."""


class TenantConfigs:
    """Every tenant's settings, read once from the built-in and the override directory."""

    def __init__(self, directory: str | Path | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.tenants: dict[str, dict[str, Any]] = {}
        directories = [BUILT_IN] + ([Path(directory)] if directory else [])
        for folder in directories:
            if not folder.is_dir():
                raise TenantConfigError(f"NOTIFICATIONS_CONFIG_DIR: {folder} is no directory")
            for path in sorted(folder.glob("*.yml")):
                self.tenants[path.stem] = self._read(path)

    def get(self, tenant: str) -> dict[str, Any] | None:
        """``tenant``'s settings, or None when it has no file (nothing is sent for it)."""
        return self.tenants.get(tenant)

    def ids(self) -> list[str]:
        """Every configured tenant."""
        return sorted(self.tenants)

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            item = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise TenantConfigError(f"{path}: not readable YAML ({error})") from None
        tenant = item.get("id", path.stem)
        if tenant != path.stem or not TENANT_PATTERN.match(str(tenant)):
            raise TenantConfigError(f"{path}: id must be the file's name, a tenant id")
        missing = [key for key in REQUIRED if key not in item]
        if missing:
            raise TenantConfigError(f"{path}: missing {', '.join(missing)}")
        kinds = item.get("kinds") or {}
        if not isinstance(kinds, dict) or not all(isinstance(v, bool) for v in kinds.values()):
            raise TenantConfigError(f"{path}: kinds maps a kind to true or false")
        return {**item, "id": tenant, "kinds": kinds,
                "languages": list(item.get("languages") or ["de", "en"]),
                "default_language": item.get("default_language", "de"),
                "public_url": self._public_url(path, item)}

    def _public_url(self, path: Path, item: dict[str, Any]) -> str:
        if "public_url" in item and "public_url_env" in item:
            raise TenantConfigError(f"{path}: set public_url or public_url_env, not both")
        value = item.get("public_url") or self.environ.get(item.get("public_url_env", ""), "")
        if not value:
            raise TenantConfigError(f"{path}: no public URL; set "
                                    f"{item.get('public_url_env') or 'public_url'}")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TenantConfigError(f"{path}: the public URL needs http:// or https:// and a "
                                    "host name")
        return str(value).rstrip("/")


def language_of(tenant: dict[str, Any], wanted: str | None) -> str:
    """``wanted`` if the tenant writes in it, else its default language."""
    if wanted and wanted in tenant["languages"]:
        return wanted
    return str(tenant["default_language"])
