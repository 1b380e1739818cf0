# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the statistics tests: the service on the test's vhost and database, and small
real stand-ins for the catalogue RPCs of appointments and permits."""
from __future__ import annotations

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.sealed_rpc import rpc
from loket_statistics.service import StatisticsService

SERVICES = [{"id": "id-card", "name": {"de": "Personalausweis", "en": "ID card"},
             "service_key": "99102013104000"},
            {"id": "registration", "name": {"de": "Anmeldung", "en": "Registration"}}]
PERMIT_TYPES = [{"id": "residents-parking",
                 "name": {"de": "Bewohnerparkausweis", "en": "Residents' parking"}}]


class FakeAppointments:
    """The appointments service's catalogue RPC."""

    name = "appointments"

    @rpc
    def list_catalogue(self, tenant):
        return {"offices": [], "services": SERVICES if tenant == "musterstadt" else []}


class FakePermits:
    """The permits service's catalogue RPC."""

    name = "permits"

    @rpc
    def list_permit_types(self, tenant):
        return PERMIT_TYPES if tenant == "musterstadt" else []


@pytest.fixture
def owners(container_factory, service_config):
    """The two catalogue owners running."""
    for service in (FakeAppointments, FakePermits):
        container_factory(service, service_config).start()


@pytest.fixture
def start_statistics(owners, container_factory, service_config):
    """Start one more statistics service on the test's vhost and database (per call)."""

    def start():
        container = container_factory(StatisticsService, {
            "STATISTICS_RPC_TIMEOUT_SECONDS": 5, **service_config})
        container.start()
        return container

    return start


@pytest.fixture
def statistics_container(start_statistics):
    """One statistics service running on the test's database."""
    container = start_statistics()
    yield container
    container.stop()


@pytest.fixture
def statistics(statistics_container, service_config):
    """An RPC proxy to the running statistics service."""
    with ServiceRpcProxy("statistics", service_config) as proxy:
        yield proxy
