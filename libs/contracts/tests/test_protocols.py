"""Each service's Protocol lists exactly its @rpc entrypoints, with the same signatures."""
import inspect
import re
from typing import Any, Protocol

import pytest
from nameko.rpc import Rpc, rpc

from loket_appointments.service import AppointmentsService
from loket_contracts.appointments import catalogue, lottery, notices, schemas
from loket_contracts.appointments.protocol import AppointmentsRpc
from loket_contracts.notifications import schemas as notification_schemas
from loket_contracts.notifications.protocol import NotificationsRpc
from loket_contracts.permits import applications
from loket_contracts.permits import catalogue as permit_catalogue
from loket_contracts.permits import counter as permit_counter
from loket_contracts.permits import schemas as permit_schemas
from loket_contracts.permits.protocol import PermitsRpc
from loket_contracts.profile import rights
from loket_contracts.profile import schemas as profile_schemas
from loket_contracts.profile.protocol import ProfileRpc
from loket_contracts.statistics import schemas as statistics_schemas
from loket_contracts.statistics.protocol import StatisticsRpc
from loket_notifications.service import NotificationsService
from loket_permits.service import PermitsService
from loket_profile.service import ProfileService
from loket_statistics.service import StatisticsService

CONTRACTS = [
    (AppointmentsService, AppointmentsRpc, [catalogue, schemas, lottery, notices]),
    (PermitsService, PermitsRpc, [permit_schemas, permit_catalogue, applications,
                                 permit_counter]),
    (ProfileService, ProfileRpc, [profile_schemas, rights]),
    (NotificationsService, NotificationsRpc, [notification_schemas]),
    (StatisticsService, StatisticsRpc, [statistics_schemas]),
]


def rpc_methods(service: type) -> dict[str, Any]:
    """Every @rpc entrypoint of ``service``, its mixins included (found through the MRO)."""
    members = {name: getattr(service, name) for name in dir(service)}
    return {name: member for name, member in members.items()
            if any(isinstance(entrypoint, Rpc)
                   for entrypoint in getattr(member, "nameko_entrypoints", ()))}


def protocol_methods(protocol_class: type) -> dict[str, Any]:
    """The methods ``protocol_class`` declares, those of Protocols it extends included."""
    found: dict[str, Any] = {}
    for base in reversed(protocol_class.__mro__):
        if base.__module__ not in ("typing", "builtins"):
            found.update({name: member for name, member in vars(base).items()
                          if inspect.isfunction(member) and not name.startswith("_")})
    return found


def shape(method: Any) -> tuple:
    """Names, kinds, defaults and types of the parameters, and the return type."""
    signature = inspect.signature(method, eval_str=True)
    return (tuple((p.name, p.kind, p.default, p.annotation)
                  for p in signature.parameters.values()), signature.return_annotation)


def drift(service: type, protocol_class: type) -> list[str]:
    """What differs between ``service``'s entrypoints and ``protocol_class``; empty if nothing."""
    served, promised = rpc_methods(service), protocol_methods(protocol_class)
    problems = [f"{name}: an RPC the Protocol lacks" for name in sorted(served.keys() - promised)]
    problems += [f"{name}: in the Protocol, not an RPC of the service"
                 for name in sorted(promised.keys() - served)]
    problems += [f"{name}: {shape(served[name])} != {shape(promised[name])}"
                 for name in sorted(served.keys() & promised)
                 if shape(served[name]) != shape(promised[name])]
    return problems


@pytest.mark.parametrize(("service", "protocol_class", "modules"), CONTRACTS,
                         ids=lambda value: getattr(value, "__name__", ""))
def test_the_protocol_is_the_service(service, protocol_class, modules):
    assert rpc_methods(service), "no @rpc entrypoints found"
    assert "health" in rpc_methods(service)
    assert drift(service, protocol_class) == []


@pytest.mark.parametrize(("service", "protocol_class", "modules"), CONTRACTS,
                         ids=lambda value: getattr(value, "__name__", ""))
def test_every_schema_the_protocol_names_exists(service, protocol_class, modules):
    named = {name for method in protocol_methods(protocol_class).values()
             for name in re.findall(r"``(\w+Schema)``", method.__doc__ or "")}
    assert named
    missing = {name for name in named if not any(hasattr(module, name) for module in modules)}
    assert missing == set()


class Booking:
    name = "booking"

    @rpc
    def health(self) -> dict[str, Any]:
        return {}

    @rpc
    def cancel(self, tenant: str, reference: str, token: str | None = None) -> dict[str, Any]:
        return {}

    def helper(self) -> None:
        """Not an entrypoint: no Protocol needs it."""


class Renamed(Booking):
    @rpc
    def cancel_booking(self, tenant: str, reference: str) -> dict[str, Any]:
        return {}


class BookingRpc(Protocol):
    def health(self) -> dict[str, Any]: ...

    def cancel(self, tenant: str, reference: str, token: str | None = None) -> dict[str, Any]: ...


def test_the_check_sees_renamed_added_and_retyped_rpcs():
    assert drift(Booking, BookingRpc) == []
    assert drift(Renamed, BookingRpc) == ["cancel_booking: an RPC the Protocol lacks"]

    class Fewer(Protocol):
        def health(self) -> dict[str, Any]: ...

    assert drift(Booking, Fewer) == ["cancel: an RPC the Protocol lacks"]

    class More(BookingRpc):
        def refund(self, tenant: str) -> None: ...

    assert drift(Booking, More) == ["refund: in the Protocol, not an RPC of the service"]

    class Retyped(Protocol):
        def health(self) -> dict[str, Any]: ...

        def cancel(self, tenant: str, reference: int, token: str | None = None
                   ) -> dict[str, Any]: ...

    class Redefaulted(Protocol):
        def health(self) -> dict[str, Any]: ...

        def cancel(self, tenant: str, reference: str, token: str | None = "x"
                   ) -> dict[str, Any]: ...

    for changed in (Retyped, Redefaulted):
        [problem] = drift(Booking, changed)
        assert problem.startswith("cancel: ")


def test_rpcs_of_mixins_are_found():
    class HealthOnly:
        @rpc
        def health(self) -> dict[str, Any]:
            return {}

    class Service(HealthOnly):
        @rpc
        def ping(self) -> str:
            return "pong"

    assert set(rpc_methods(Service)) == {"health", "ping"}
