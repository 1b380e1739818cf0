# SPDX-License-Identifier: EUPL-1.2
"""Test doubles of the services built from their Protocols, for the gateway's unit tests.

``fake(AppointmentsRpc)`` is an autospec mock: calling a method the Protocol lacks raises
``AttributeError``, calling one with arguments its signature does not take raises
``TypeError``, so a renamed or re-typed RPC fails the tests that use the fake.
``shaped(Schema, answer)`` checks that a fake's answer has the shape the contract's schema
describes, so a test cannot pass on an answer the real service never gives.
"""
from __future__ import annotations

from typing import Any, TypeVar
from unittest import mock

from marshmallow import Schema, fields

from .appointments.protocol import AppointmentsRpc
from .notifications.protocol import NotificationsRpc
from .permits.protocol import PermitsRpc
from .profile.protocol import ProfileRpc
from .statistics.protocol import StatisticsRpc

# The Protocol of each service, by its Nameko name (what ``rpc.<name>`` calls).
PROTOCOLS: dict[str, type] = {"appointments": AppointmentsRpc, "permits": PermitsRpc,
                              "profile": ProfileRpc, "notifications": NotificationsRpc,
                              "statistics": StatisticsRpc}
T = TypeVar("T")


def fake(protocol: type) -> Any:
    """An autospec mock of ``protocol``: set ``fake.method.return_value`` per test."""
    return mock.create_autospec(protocol, instance=True, spec_set=True)


class FakeServices:
    """One fake per service, reachable as ``services.appointments`` like the RPC pool's proxy.

    ``mock_calls`` lists every call to any service in the order made, e.g.
    ``[call.profile.get_profile("musterstadt", "r-1")]``; ``[]`` means no RPC at all.
    ``FakeServices(profile=OtherProfileRpc)`` fakes a service from another Protocol (e.g. a
    changed contract, to show which gateway tests it breaks).
    """

    def __init__(self, **protocols: type) -> None:
        unknown = set(protocols) - set(PROTOCOLS)
        if unknown:
            raise TypeError(f"No service named {', '.join(sorted(unknown))}.")
        self._all = mock.Mock(name="services")
        self._fakes = {name: fake(protocol)
                       for name, protocol in {**PROTOCOLS, **protocols}.items()}
        for name, service in self._fakes.items():
            self._all.attach_mock(service, name)

    @property
    def mock_calls(self) -> list[Any]:
        """Every call to every service, in order (``unittest.mock.call`` objects)."""
        return list(self._all.mock_calls)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fakes[name]
        except KeyError:
            raise AttributeError(f"No service named {name!r}.") from None


def shaped(schema: Schema | type[Schema], answer: T) -> T:
    """``answer`` itself, after checking it is what ``schema`` describes (else ``ValueError``).

    Every key must be a field of the schema, every value of its field's type, every required
    field present. Fields computed when dumping (``Method``, ``Function``) may be present.
    """
    instance = schema() if isinstance(schema, type) else schema
    errors = instance.validate(_without_computed(instance, answer))
    if errors:
        raise ValueError(f"Not the shape of {type(instance).__name__}: {errors}")
    return answer


def _without_computed(schema: Schema, value: Any) -> Any:
    """``value`` without the keys of ``schema``'s dump-only fields, at every depth."""
    if schema.many and isinstance(value, list):
        return [_without_one(schema, item) for item in value]
    return _without_one(schema, value)


def _without_one(schema: Schema, value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    by_key = {field.data_key or name: (name, field) for name, field in schema.fields.items()}
    kept = {}
    for key, item in value.items():
        name, field = by_key.get(key, (None, None))
        if field is not None and name not in schema.load_fields:
            continue
        if isinstance(field, fields.List):
            field = field.inner
            if isinstance(field, fields.Nested) and isinstance(item, list):
                item = [_without_computed(field.schema, element) for element in item]
        elif isinstance(field, fields.Nested) and item is not None:
            item = _without_computed(field.schema, item)
        kept[key] = item
    return kept
