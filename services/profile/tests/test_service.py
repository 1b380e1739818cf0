import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import worker_factory

from loket_common.errors import ValidationFailed
from loket_profile.exceptions import NotAuthenticated
from loket_profile.service import ProfileService


def test_invalid_profile_never_reaches_the_store():
    service = worker_factory(ProfileService)
    with pytest.raises(ValidationFailed) as caught:
        service.create_profile("musterstadt", {"given_name": "", "email": "x"})
    names = {param["name"] for param in caught.value.extra["invalid_params"]}
    assert names == {"given_name", "family_name", "email"}
    service.store.create.assert_not_called()


def test_unknown_token_is_not_authenticated():
    service = worker_factory(ProfileService)
    service.store.by_token.return_value = None
    with pytest.raises(NotAuthenticated):
        service.get_own_profile("musterstadt", "guess")


@pytest.mark.integration
def test_create_then_read_own_profile(container_factory, service_config, database):
    container_factory(ProfileService, service_config).start()
    with ServiceRpcProxy("profile", service_config) as profile:
        created = profile.create_profile("musterstadt", {"given_name": "Erika",
                                                         "family_name": "Mustermann"})
        token = created["token"]
        assert profile.get_own_profile("musterstadt", token)["given_name"] == "Erika"
        with pytest.raises(RemoteError) as caught:  # another tenant's token opens nothing
            profile.get_own_profile("other-town", token)
        assert caught.value.exc_type == "NotAuthenticated"
    stored = database["profiles"].find_one({"subject": created["profile"]["subject"]})
    assert token not in str(stored)  # only a hash of the token is kept
    outbox = list(database["outbox"].find())
    assert [entry["message"]["type"] for entry in outbox] == ["profile_created"]
    assert "Erika" not in str(outbox)  # events carry no names


@pytest.mark.integration
def test_profile_and_event_commit_together_or_not_at_all(database):
    from pymongo.errors import DuplicateKeyError

    from loket_profile.dependencies import ProfileStore

    store = ProfileStore(database)
    store.ensure_indexes()
    # Make the second outbox write of this tenant fail inside the database.
    database["outbox"].create_index("tenant", unique=True)
    person = {"given_name": "A", "family_name": "B", "email": None, "preferred_language": "de"}
    store.create("musterstadt", person)
    with pytest.raises(DuplicateKeyError):
        store.create("musterstadt", {**person, "given_name": "C"})
    # The failed outbox write rolled the profile write back with it.
    assert [doc["given_name"] for doc in database["profiles"].find()] == ["A"]
    assert database["outbox"].count_documents({}) == 1
