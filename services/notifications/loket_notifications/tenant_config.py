# SPDX-License-Identifier: EUPL-1.2
"""Each tenant's notifications settings: a YAML file per tenant, ``tenants/<tenant>.yml``.

A file names the municipality (``name``, ``contact``: what every message shows), the base of
its links (``public_url`` or ``public_url_env``, as the gateway's tenants.yml), the sender and
bounce address, the relay ids in failover order and the kinds it does not send. A partner
municipality points ``NOTIFICATIONS_CONFIG_DIR`` at a directory of its own files, used
instead of the built-in ones (a tenant missing there falls back to the built-in file).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from loket_common.tenant_files import TenantConfigError, TenantFiles

BUILT_IN = Path(__file__).with_name("tenants")
__all__ = ["TenantConfigError", "TenantConfigs", "language_of"]


class TenantConfigs(TenantFiles):
    """Every tenant's notifications settings, from the built-in and the override directory."""

    variable = "NOTIFICATIONS_CONFIG_DIR"
    required = ("name", "contact", "sender", "bounce_address", "relays")

    def __init__(self, directory: str | Path | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        super().__init__(BUILT_IN, directory, environ)

    def get(self, tenant: str) -> dict[str, Any] | None:
        """``tenant``'s settings, or None when it has no file (nothing is sent for it)."""
        return self.tenants.get(tenant)

    def checked(self, path: Path, item: dict[str, Any]) -> dict[str, Any]:
        kinds = item.get("kinds") or {}
        if not isinstance(kinds, dict) or not all(isinstance(v, bool) for v in kinds.values()):
            raise TenantConfigError(f"{path}: kinds maps a kind to true or false")
        return {**item, "kinds": kinds,
                "languages": list(item.get("languages") or ["de", "en"]),
                "default_language": item.get("default_language", "de"),
                "public_url": self._public_url(path, item)}

    def _public_url(self, path: Path, item: dict[str, Any]) -> str:
        value = self.public_url_of(item)
        if not value:
            raise TenantConfigError(f"{path}: no public URL; set "
                                    f"{item.get('public_url_env') or 'public_url'}")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TenantConfigError(f"{path}: the public URL needs http:// or https:// and a "
                                    "host name")
        return value


def language_of(tenant: dict[str, Any], wanted: str | None) -> str:
    """``wanted`` if the tenant writes in it, else its default language."""
    if wanted and wanted in tenant["languages"]:
        return wanted
    return str(tenant["default_language"])
