# SPDX-License-Identifier: EUPL-1.2
"""A client's recent booking activity, counted in the rate-limit storage (shared by workers).

Each challenge issued, hold tried and booking confirmed counts once for the client's address
and once for its network, in a one-hour window, under keyed pseudonyms (never the address).
A storage failure counts nothing rather than failing the request.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import request
from limits import RateLimitItemPerHour

from loket_common.logs import get_logger

from ...core.rate_limits import limiter
from ...identity.subjects import keyed_pseudonym
from .escalation import network_of

log = get_logger(__name__)

# A counter, not a limit: the amount is only an upper bound of what is counted.
WINDOW = RateLimitItemPerHour(1_000_000, namespace="activity")


@dataclass(frozen=True)
class ClientKeys:
    """The pseudonyms of a client's address and network in one tenant."""

    address: str
    network: str


def client_keys(tenant_id: str) -> ClientKeys:
    """The keys of this request's client (``request.remote_addr``, as the proxy fix set it)."""
    address = str(request.remote_addr)
    return ClientKeys(address=keyed_pseudonym(tenant_id, "address", address),
                      network=keyed_pseudonym(tenant_id, "network", network_of(address)))


def recent(keys: ClientKeys) -> tuple[int, int]:
    """How many actions the address and the network took in the current hour."""
    return _count(keys.address), _count(keys.network)


def record(keys: ClientKeys) -> None:
    """Count one action for the address and for the network."""
    for key in (keys.address, keys.network):
        try:
            limiter.limiter.hit(WINDOW, "loket", "activity", key)
        except Exception:  # noqa: BLE001 (counting must never fail the booking)
            log.warning("activity not counted")


def _count(key: str) -> int:
    try:
        stats = limiter.limiter.get_window_stats(WINDOW, "loket", "activity", key)
    except Exception:  # noqa: BLE001
        log.warning("activity not read")
        return 0
    return WINDOW.amount - stats.remaining
