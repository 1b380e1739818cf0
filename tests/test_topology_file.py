"""deploy/topology.yml lists exactly the reliable event handlers the services define."""
import inspect
from pathlib import Path

from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from loket_appointments.service import AppointmentsService
from loket_common.handlers import ReliableEventHandler
from loket_common.topology_cli import load_topology
from loket_notifications.service import NotificationsService
from loket_permits.service import PermitsService
from loket_profile.service import ProfileService
from loket_statistics.service import StatisticsService

TOPOLOGY = Path(__file__).parents[1] / "deploy" / "topology.yml"


def declared_handlers():
    for service in (AppointmentsService, PermitsService, ProfileService,
                    NotificationsService, StatisticsService):
        for name, method in inspect.getmembers(service, inspect.isfunction):
            for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, ReliableEventHandler):
                    yield (entrypoint.source_service, entrypoint.event_type, service.name, name)


def test_topology_file_matches_the_services():
    sources, subscriptions = load_topology(TOPOLOGY)
    listed = {(s.source, s.event_type, s.service, s.method) for s in subscriptions}
    assert listed == set(declared_handlers())
    assert {"appointments", "permits", "profile", "notifications"} <= set(sources)
