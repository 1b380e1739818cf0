# SPDX-License-Identifier: EUPL-1.2
"""The tenant registry: which municipalities this gateway serves, and how to find them."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

# About 0.1-0.5 s in a browser, ~25,000 SHA-256 on average; see anti_bot/proof_of_work.py.
DEFAULT_POW_DIFFICULTY = 50_000


@dataclass(frozen=True)
class Tenant:
    """A municipality: its id, names, languages and host names."""

    id: str
    name: dict[str, str]
    contact: dict[str, str]
    languages: tuple[str, ...]
    default_language: str
    hosts: tuple[str, ...]
    # Proof of work before a hold: the challenge's search range (0 switches it off).
    pow_difficulty: int = DEFAULT_POW_DIFFICULTY
    # Sign-in: the tenant's OpenID Connect providers and trust levels per action, as written
    # in tenants.yml (read by identity/providers.py and identity/trust_levels.py).
    identity_providers: tuple[dict, ...] = field(default=(), hash=False, compare=False)
    minimum_trust_level: dict = field(default_factory=dict, hash=False, compare=False)


class TenantRegistry:
    """Tenants by id and by host name."""

    def __init__(self, tenants: list[Tenant], default: str | None) -> None:
        self.by_id = {tenant.id: tenant for tenant in tenants}
        self.by_host = {host: tenant for tenant in tenants for host in tenant.hosts}
        self.default = self.by_id.get(default) if default else None

    @classmethod
    def from_file(cls, path: Path) -> TenantRegistry:
        """Load ``tenants.yml``."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        tenants = [
            Tenant(
                id=item["id"],
                name=dict(item["name"]),
                contact=dict(item.get("contact", {})),
                languages=tuple(item.get("languages", ("de", "en"))),
                default_language=item.get("default_language", "de"),
                hosts=tuple(item.get("hosts", ())),
                pow_difficulty=int(item.get("proof_of_work_difficulty",
                                            DEFAULT_POW_DIFFICULTY)),
                identity_providers=tuple(item.get("identity_providers", ())),
                minimum_trust_level=dict(item.get("minimum_trust_level", {})),
            )
            for item in raw["tenants"]
        ]
        return cls(tenants, raw.get("default"))

    def get(self, tenant_id: str) -> Tenant | None:
        """The tenant with ``tenant_id``, or None."""
        return self.by_id.get(tenant_id)

    def for_host(self, host: str) -> Tenant | None:
        """The tenant serving ``host`` (port ignored), else the default tenant."""
        return self.by_host.get(host.rsplit(":", 1)[0].strip("[]"), self.default)
