# SPDX-License-Identifier: EUPL-1.2
"""Test doubles of the services built from their Protocols, for the gateway's unit tests.

``fake(AppointmentsRpc)`` is an autospec mock: calling a method the Protocol lacks raises
``AttributeError``, calling one with arguments its signature does not take raises
``TypeError``, so a renamed or re-typed RPC fails the tests that use the fake.
"""
from __future__ import annotations

from typing import Any
from unittest import mock

from .appointments.protocol import AppointmentsRpc
from .permits.protocol import PermitsRpc
from .profile.protocol import ProfileRpc

# The Protocol of each service, by its Nameko name (what ``rpc.<name>`` calls).
PROTOCOLS: dict[str, type] = {"appointments": AppointmentsRpc, "permits": PermitsRpc,
                              "profile": ProfileRpc}


def fake(protocol: type) -> Any:
    """An autospec mock of ``protocol``: set ``fake.method.return_value`` per test."""
    return mock.create_autospec(protocol, instance=True, spec_set=True)


class FakeServices:
    """One fake per service, reachable as ``services.appointments`` like the RPC pool's proxy."""

    def __init__(self) -> None:
        self._fakes = {name: fake(protocol) for name, protocol in PROTOCOLS.items()}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fakes[name]
        except KeyError:
            raise AttributeError(f"No service named {name!r}.") from None
