"""Fixtures of the profile tests: the service running on the test's vhost and database."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from loket_profile.service import ProfileService


@pytest.fixture
def start_profile(service_config, container_factory):
    """Start profile services with ``service_config`` plus changes; stop them gracefully.

    A graceful stop lets a running handler commit its transaction. Killing it mid-transaction
    and then dropping the test database (the fixtures' teardown order) can leave SecantusDB
    waiting on both, for ever.
    """
    started = []

    def start(**changes):
        container = container_factory(ProfileService, {**service_config, **changes})
        container.start()
        started.append(container)
        return container

    yield start
    for container in started:
        container.stop()


@pytest.fixture
def profile(start_profile, service_config):
    """An RPC proxy to a running profile service."""
    start_profile()
    with ServiceRpcProxy("profile", service_config) as proxy:
        yield proxy
