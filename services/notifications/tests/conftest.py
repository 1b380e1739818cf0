# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the notifications tests: the service on the test's vhost and database, with a
recording channel and a naming renderer, and small real owner services answering its RPCs."""

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import replace_dependencies

from loket_common.errors import NotFound
from loket_common.mongo import connect
from loket_common.sealed_rpc import rpc
from loket_notifications.service import NotificationsService

from .helpers import NamingRenderer, Owners, RecordingChannel

PUBLIC_URLS = {"LOKET_MUSTERSTADT_PUBLIC_URL": "https://termine.musterstadt.example",
               "LOKET_BEISPIELSTADT_PUBLIC_URL": "http://beispielstadt.localhost"}


@pytest.fixture(autouse=True)
def tenants_public_urls(monkeypatch):
    """The demo tenants' public URLs, for these tests only (the gateway's tests, run in the
    same session by ``make test``, read the same variables for their Host check)."""
    for name, value in PUBLIC_URLS.items():
        monkeypatch.setenv(name, value)

OWNERS = Owners()


def _found(table, key):
    if key not in table:
        raise NotFound("Not known here.")
    return table[key]


class FakeAppointments:
    """The appointments service's notification RPCs, answered from ``OWNERS``."""

    name = "appointments"

    @rpc
    def booking_for_notification(self, tenant, reference):
        return _found(OWNERS.bookings, reference)

    @rpc
    def lottery_entry_for_notification(self, tenant, entry_reference):
        return _found(OWNERS.entries, entry_reference)


class FakePermits:
    """The permits service's notification RPC."""

    name = "permits"

    @rpc
    def application_for_notification(self, tenant, application_id):
        return _found(OWNERS.applications, application_id)


class FakeProfile:
    """The profile service's contact RPCs."""

    name = "profile"

    @rpc
    def contact_for_notification(self, tenant, subject):
        return OWNERS.contacts.get(subject)

    @rpc
    def staff_contact(self, tenant, subject):
        return OWNERS.staff.get(subject)


@pytest.fixture
def owners(container_factory, service_config):
    """The three owners running, answering what the test puts into the returned ``Owners``."""
    fresh = Owners()
    for name, value in vars(fresh).items():
        setattr(OWNERS, name, value)
    for service in (FakeAppointments, FakePermits, FakeProfile):
        container_factory(service, service_config).start()
    return OWNERS


@pytest.fixture
def channel():
    """The recording channel every started notifications service sends through."""
    return RecordingChannel()


@pytest.fixture
def renderer():
    """The naming renderer every started notifications service renders with."""
    return NamingRenderer()


@pytest.fixture
def start_notifications(service_config, container_factory, channel, renderer):
    """Start notifications services with ``service_config`` plus changes; stop them gracefully.

    ``real_renderer``: the templates of ``loket_notifications.rendering`` instead of the
    naming renderer.
    """
    started = []

    def start(real_renderer=False, **changes):
        config = {"NOTIFICATIONS_POLL_SECONDS": 0.2, "NOTIFICATIONS_RPC_TIMEOUT_SECONDS": 5,
                  **service_config, **changes}
        container = container_factory(NotificationsService, config)
        replace_dependencies(container, channels=channel,
                             **({} if real_renderer else {"renderer": renderer}))
        container.start()
        started.append(container)
        return container

    yield start
    for container in started:
        container.stop()


@pytest.fixture
def notifications(start_notifications, service_config):
    """An RPC proxy to one running notifications service."""
    start_notifications()
    with ServiceRpcProxy("notifications", service_config) as proxy:
        yield proxy


@pytest.fixture
def own_database(mongo_uri, database_name):
    """The notifications service's database, apart from the real owner services' (the test's
    ``database``), dropped after the test."""
    name = database_name + "_n"
    client = connect(mongo_uri)
    yield client[name]
    client.drop_database(name)
    client.close()
