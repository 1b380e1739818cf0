"""handle_once against the real database: a repeat is skipped, a handler's own clash is not."""
import pytest
from pymongo.errors import DuplicateKeyError

from loket_common.events import Event
from loket_common.handlers import HANDLED_EVENTS, ensure_handled_index, handle_once

pytestmark = pytest.mark.integration


def thing_added(name: str) -> Event:
    return Event(source="publisher", type="thing_added", tenant="musterstadt",
                 data={"name": name})


def record(database, event):
    """An effect that clashes on a unique index of its own when the name was seen before."""
    return lambda session: database["seen"].insert_one(
        {"tenant": event.tenant, "name": event.data["name"]}, session=session)


@pytest.fixture
def seen(database):
    ensure_handled_index(database)
    database["seen"].create_index([("tenant", 1), ("name", 1)], unique=True)
    return database["seen"]


def test_a_repeated_event_is_applied_once(database, seen):
    event = thing_added("bench")
    assert handle_once(database, event, "record", record(database, event)) is True
    assert handle_once(database, event, "record", record(database, event)) is False
    assert seen.count_documents({"name": "bench"}) == 1
    assert database[HANDLED_EVENTS].count_documents({}) == 1


def test_another_handler_of_the_same_event_applies_it_too(database, seen):
    event = thing_added("lamp")
    assert handle_once(database, event, "record", record(database, event)) is True
    assert handle_once(database, event, "count", lambda session: None) is True
    assert database[HANDLED_EVENTS].count_documents({}) == 2


def test_a_clash_in_the_handlers_own_work_propagates_and_leaves_no_marker(database, seen):
    first, second = thing_added("tree"), thing_added("tree")  # two events, one unique name
    assert handle_once(database, first, "record", record(database, first)) is True
    with pytest.raises(DuplicateKeyError):  # not "already handled": retried, then dead-lettered
        handle_once(database, second, "record", record(database, second))
    assert database[HANDLED_EVENTS].find_one({"_id": f"record:{second.id}"}) is None
    assert seen.count_documents({"name": "tree"}) == 1
