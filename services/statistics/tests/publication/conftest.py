# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the publication's integration tests: the service on the test's vhost and
database (the counting side stood in by :mod:`.standin`)."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from .standin import PublicationStandIn

PUBLIC_URLS = {"LOKET_MUSTERSTADT_PUBLIC_URL": "https://termine.musterstadt.example",
               "LOKET_BEISPIELSTADT_PUBLIC_URL": "http://beispielstadt.localhost"}


@pytest.fixture
def public_urls(monkeypatch):
    """The demo tenants' public URLs, for these tests only."""
    for name, value in PUBLIC_URLS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def start_statistics(service_config, container_factory, public_urls):
    """Start publication services on the test's vhost and database."""

    def start():
        container = container_factory(PublicationStandIn, service_config)
        container.start()
        return container

    return start


@pytest.fixture
def statistics(start_statistics, service_config):
    """An RPC proxy to one running service."""
    start_statistics()
    with ServiceRpcProxy("statistics", service_config, timeout=30) as proxy:
        yield proxy
