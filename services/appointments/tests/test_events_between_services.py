"""A real event between two services: profile_created reaches appointments' projection."""
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from loket_appointments.service import AppointmentsService
from loket_common.testing import wait_for
from loket_profile.service import ProfileService

pytestmark = pytest.mark.integration


def test_profile_created_reaches_appointments(container_factory, service_config, database):
    # Two services, each its own database in production; here they share the test database.
    for service in (ProfileService, AppointmentsService):
        container_factory(service, service_config).start()
    with ClusterRpcProxy(service_config) as rpc:
        subject = "r-" + "0" * 31 + "1"
        rpc.profile.sign_in("musterstadt", subject, {
            "given_name": "Erika", "family_name": "Mustermann", "preferred_language": "en",
            "trust_level": "substantial"})

        def known():
            try:
                return rpc.appointments.get_resident("musterstadt", subject)
            except RemoteError:
                return None

        resident = wait_for(known)
    assert resident == {"subject": subject, "preferred_language": "en"}
    # The projection holds no personal data: no names.
    stored = database["residents"].find_one({"id": subject})
    assert "given_name" not in stored and "family_name" not in stored
