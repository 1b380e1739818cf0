# SPDX-License-Identifier: EUPL-1.2
"""The tenant registry: which municipalities this gateway serves, and how to find them.

Each tenant has a configured public URL (``public_url`` or ``public_url_env`` in
``tenants.yml``): every absolute URL the gateway hands out is built on it
(:func:`tenant_url`), never on the request's ``Host``. Its host name and the tenant's
``hosts`` are the names the gateway answers to (``core/hosts.py`` refuses every other).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from flask import current_app, url_for

from loket_common.errors import UnknownTenant

# About 0.1-0.5 s in a browser, ~25,000 SHA-256 on average; see anti_bot/proof_of_work.py.
DEFAULT_POW_DIFFICULTY = 50_000


@dataclass(frozen=True)
class Tenant:
    """A municipality: its id, names, languages, public URL and host names."""

    id: str
    name: dict[str, str]
    contact: dict[str, str]
    languages: tuple[str, ...]
    default_language: str
    # ``scheme://host[:port]``, no path: the base of every absolute URL for this tenant.
    public_url: str
    # Every host name this tenant answers to, lower case; the public URL's first.
    hosts: tuple[str, ...]
    # Proof of work before a hold: the challenge's search range (0 switches it off).
    pow_difficulty: int = DEFAULT_POW_DIFFICULTY
    # Sign-in: the tenant's OpenID Connect providers and trust levels per action, as written
    # in tenants.yml (read by identity/providers.py and identity/trust_levels.py).
    identity_providers: tuple[dict, ...] = field(default=(), hash=False, compare=False)
    minimum_trust_level: dict = field(default_factory=dict, hash=False, compare=False)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def checked_public_url(tenant_id: str, value: str) -> str:
    """``value`` as ``scheme://host[:port]`` (host lower-cased); SystemExit if it is not one."""
    problem = f"tenant {tenant_id}: public URL {value!r} "
    try:
        parts = urlsplit(value.strip())
        port = parts.port  # ValueError when it is not a number in range
    except ValueError:
        raise SystemExit(problem + "is not a URL (see README, Configuration).") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SystemExit(problem + "needs http:// or https:// and a host name.")
    if parts.username is not None or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SystemExit(problem + "must be scheme://host[:port] only (no user, path or query).")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def public_url_of(item: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The tenant's public URL: ``public_url``, or the variable ``public_url_env`` names."""
    if "public_url" in item and "public_url_env" in item:
        raise SystemExit(f"tenant {item['id']}: set public_url or public_url_env, not both.")
    value = item.get("public_url") or environ.get(item.get("public_url_env", ""), "")
    if not value:
        raise SystemExit(f"tenant {item['id']}: no public URL; set "
                         f"{item.get('public_url_env') or 'public_url'} (see README, "
                         "Configuration).")
    return checked_public_url(item["id"], value)


def host_name(host: str) -> str:
    """A ``Host`` header's name: lower case, without port or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _tenant(item: Mapping[str, Any], environ: Mapping[str, str]) -> Tenant:
    public_url = public_url_of(item, environ)
    names = [host_name(urlsplit(public_url).netloc),
             *(str(host).strip().lower() for host in item.get("hosts", ()))]
    return Tenant(
        id=item["id"], name=dict(item["name"]), contact=dict(item.get("contact", {})),
        languages=tuple(item.get("languages", ("de", "en"))),
        default_language=item.get("default_language", "de"),
        public_url=public_url, hosts=tuple(dict.fromkeys(names)),
        pow_difficulty=int(item.get("proof_of_work_difficulty", DEFAULT_POW_DIFFICULTY)),
        identity_providers=tuple(item.get("identity_providers", ())),
        minimum_trust_level=dict(item.get("minimum_trust_level", {})),
    )


class TenantRegistry:
    """Tenants by id and by host name."""

    def __init__(self, tenants: list[Tenant]) -> None:
        self.by_id = {tenant.id: tenant for tenant in tenants}
        self.by_host: dict[str, Tenant] = {}
        for tenant in tenants:
            for host in tenant.hosts:
                other = self.by_host.setdefault(host, tenant)
                if other is not tenant:
                    raise SystemExit(f"host {host} is configured for both {other.id} and "
                                     f"{tenant.id}; a host name belongs to one tenant.")

    @classmethod
    def from_file(cls, path: Path, environ: Mapping[str, str] = os.environ) -> TenantRegistry:
        """Load ``tenants.yml`` (``*_env`` names are read from ``environ``)."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "default" in raw:
            raise SystemExit(f"{path}: 'default' is gone: a host no tenant names is refused "
                             "(add the host to the tenant's hosts instead).")
        return cls([_tenant(item, environ) for item in raw["tenants"]])

    def get(self, tenant_id: str) -> Tenant | None:
        """The tenant with ``tenant_id``, or None."""
        return self.by_id.get(tenant_id)

    def for_host(self, host: str) -> Tenant | None:
        """The tenant serving ``host`` (a ``Host`` header; port ignored), or None."""
        return self.by_host.get(host_name(host))

    def check_environment(self, environment: str) -> None:
        """Production serves over https: refuse (SystemExit) a plain-http public URL there.

        Loopback hosts (``127.0.0.1``, ``localhost``, ``*.localhost``, ``::1``) are the
        exception, for a gateway tried out on its own machine.
        """
        for tenant in self.by_id.values():
            parts = urlsplit(tenant.public_url)
            loopback = parts.hostname in LOOPBACK_HOSTS or str(parts.hostname).endswith(
                ".localhost")
            if environment == "production" and parts.scheme != "https" and not loopback:
                raise SystemExit(f"tenant {tenant.id}: public URL {tenant.public_url} must be "
                                 "https in production (see README, Configuration).")


def tenant_url(tenant: Tenant | str, endpoint: str, /, **values: Any) -> str:
    """The absolute URL of ``endpoint`` for ``tenant`` (or its id).

    The tenant's configured public URL, then the path Flask builds: the only way the gateway
    makes an absolute URL, never from the request's ``Host``.
    """
    found = (current_app.extensions["loket_tenants"].get(tenant) if isinstance(tenant, str)
             else tenant)
    if found is None:
        raise UnknownTenant(f"No municipality '{str(tenant)[:40]}' is served here.")
    return found.public_url + url_for(endpoint, **values)
