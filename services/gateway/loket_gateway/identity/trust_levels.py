# SPDX-License-Identifier: EUPL-1.2
"""eIDAS trust levels: ordering, the ``acr`` values that carry them, and what each action needs."""
from __future__ import annotations

from flask import current_app

from loket_contracts.common import TRUST_LEVELS

EIDAS_ACR_PREFIX = "http://eidas.europa.eu/LoA/"
DEFAULT_ACR_LEVELS = {EIDAS_ACR_PREFIX + level: level for level in TRUST_LEVELS}


def rank(level: str) -> int:
    """The level's place in :data:`TRUST_LEVELS` (unknown levels rank below ``low``)."""
    return TRUST_LEVELS.index(level) if level in TRUST_LEVELS else -1


def reaches(level: str, minimum: str) -> bool:
    """Whether a sign-in at ``level`` is enough for ``minimum``."""
    return rank(level) >= rank(minimum)


def highest(*levels: str) -> str:
    """The highest of ``levels`` (``low`` when none is known)."""
    return max(levels, key=rank, default="low") if any(
        level in TRUST_LEVELS for level in levels) else "low"


def level_of_acr(acr: str | None, acr_levels: dict[str, str] | None = None) -> str:
    """The trust level an ``acr`` claim stands for (``low`` when unknown or missing)."""
    return (acr_levels or DEFAULT_ACR_LEVELS).get(acr or "", "low")


def acr_for(level: str, acr_levels: dict[str, str] | None = None) -> str:
    """The ``acr`` value that asks a provider for ``level``."""
    for acr, known in (acr_levels or DEFAULT_ACR_LEVELS).items():
        if known == level:
            return acr
    return EIDAS_ACR_PREFIX + level


def required_level(tenant: str, action: str = "default") -> str:
    """The trust level ``tenant`` requires for ``action``.

    From ``tenants.yml``, ``minimum_trust_level``; actions without an entry need the
    tenant's ``default``.
    """
    found = current_app.extensions["loket_tenants"].get(tenant)
    levels = found.minimum_trust_level if found else {}
    level = levels.get(action) or levels.get("default") or "low"
    return level if level in TRUST_LEVELS else "low"
