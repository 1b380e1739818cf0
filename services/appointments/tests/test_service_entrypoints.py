"""The composed AppointmentsService exposes exactly the entrypoints of the one-class service.

Nameko finds entrypoints with ``inspect.getmembers`` on the service class, so methods that
the mixins bring count as the class's own; this pins the list as it was before the split.
"""
from nameko.cli.run import import_service
from nameko.containers import ServiceContainer
from nameko.events import EventHandler
from nameko.rpc import Rpc
from nameko.timer import Timer

from loket_appointments.service import AppointmentsService

RPCS = {
    # catalogue
    "list_offices", "list_catalogue", "get_office", "get_service", "put_office",
    "put_service", "list_closures", "add_closure", "remove_closure", "deactivate",
    "list_catalogue_changes",
    # booking and the manage link
    "search_slots", "hold_slot", "release_hold", "hold_details", "confirm_hold",
    "get_booking", "cancel_booking", "reschedule_booking", "booking_details",
    # counter
    "day_list", "check_in", "mark_no_show", "call_next", "book_walk_in",
    "cancel_booking_by_office",
    # the notifications service
    "booking_for_notification", "lottery_entry_for_notification",
    # fair release
    "release_info", "enter_lottery", "lottery_entry",
    # residents, GDPR, health
    "get_resident", "list_own_bookings", "export_subject", "health",
}
EVENT_HANDLERS = {"record_resident": ("profile", "profile_created"),
                  "erase_subject": ("profile", "erasure_requested")}
TIMERS = {"tick"}
CONFIG = {"AMQP_URI": "memory://"}  # read when extensions bind; nothing connects


def entrypoints() -> list:
    """The entrypoints nameko binds when it runs the service (the container is not started)."""
    return list(ServiceContainer(AppointmentsService, CONFIG).entrypoints)


def test_nameko_run_of_the_module_starts_only_the_service():
    # `loket-service run ... loket_appointments.service` runs every class of the module
    # that has entrypoints: a mixin imported by name would be started as a service too.
    assert import_service("loket_appointments.service") == [AppointmentsService]


def test_the_service_has_its_35_rpcs():
    rpcs = [entrypoint.method_name for entrypoint in entrypoints()
            if isinstance(entrypoint, Rpc)]
    assert sorted(rpcs) == sorted(RPCS)
    assert len(RPCS) == 35  # 34 of appointments and health


def test_event_handlers_and_the_timer_are_found_on_the_mixins():
    found = entrypoints()
    handlers = {entrypoint.method_name: (entrypoint.source_service, entrypoint.event_type)
                for entrypoint in found if isinstance(entrypoint, EventHandler)}
    assert handlers == EVENT_HANDLERS
    assert {entrypoint.method_name for entrypoint in found
            if isinstance(entrypoint, Timer)} == TIMERS
    assert len(found) == len(RPCS) + len(EVENT_HANDLERS) + len(TIMERS)


def test_the_dependencies_are_declared_once_on_the_service():
    container = ServiceContainer(AppointmentsService, CONFIG)
    # request_context comes with HealthMixin (every service has it: request ids in logs)
    assert sorted(dependency.attr_name for dependency in container.dependencies) == [
        "relay", "request_context", "store"]
    assert {"store", "relay"} <= set(vars(AppointmentsService))
