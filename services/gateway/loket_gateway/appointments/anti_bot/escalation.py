# SPDX-License-Identifier: EUPL-1.2
"""How hard a client's check is: its network, and a difficulty that rises with activity (pure).

A client's recent activity (challenges, holds and bookings in the last hour) is counted per
address and per network (IPv4 /24, IPv6 /64: one household, office or mobile cell often
shares one, and a bot renting addresses usually gets neighbours). Beyond a free allowance
each further action doubles the proof of work and the no-JavaScript wait, up to a cap.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPV4_PREFIX, IPV6_PREFIX = 24, 64
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def network_of(address: str) -> str:
    """The client's network in CIDR form: ``198.51.100.0/24``, ``2001:db8:1:2::/64``.

    An IPv4-mapped IPv6 address counts as its IPv4 address; text that is no address is its
    own network (a client is never merged with others by a parse failure).
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def parse_networks(text: str) -> tuple[Network, ...]:
    """``"10.1.2.0/24, 2001:db8::/64"`` as networks (ValueError on a bad one)."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False)
                 for item in text.split(",") if item.strip())


def in_networks(address: str, networks: Iterable[Network]) -> bool:
    """Whether ``address`` lies in one of ``networks`` (False for text that is no address)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)


@dataclass(frozen=True)
class Escalation:
    """Free actions per address and network in an hour, and the cap on doublings."""

    free_per_address: int = 10
    free_per_network: int = 40
    max_doublings: int = 5

    def doublings(self, address_count: int, network_count: int) -> int:
        """How often the check doubles for a client with these counts (this action included)."""
        excess = max(address_count - self.free_per_address,
                     network_count - self.free_per_network, 0)
        return min(excess, self.max_doublings)

    def difficulty(self, base: int, address_count: int, network_count: int) -> int:
        """The proof of work's search range: ``base`` × 2^doublings."""
        return base * 2 ** self.doublings(address_count, network_count)

    def wait_seconds(self, base_wait: int, address_count: int, network_count: int) -> int:
        """The no-JavaScript path's wait, rising the same way."""
        return base_wait * 2 ** self.doublings(address_count, network_count)
