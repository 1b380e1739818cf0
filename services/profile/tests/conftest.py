"""Fixtures of the profile tests: the service running on the test's vhost and database."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from loket_profile.service import ProfileService


@pytest.fixture
def profile(container_factory, service_config):
    """An RPC proxy to a running profile service."""
    container_factory(ProfileService, service_config).start()
    with ServiceRpcProxy("profile", service_config) as proxy:
        yield proxy
