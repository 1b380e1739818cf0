"""Every verb of TenantCollection touches its own tenant's documents only, never another's."""
import pytest
from pymongo import (
    DeleteMany,
    DeleteOne,
    InsertOne,
    ReplaceOne,
    ReturnDocument,
    UpdateMany,
    UpdateOne,
)

from loket_common.mongo import AllTenants, TenantCollection

pytestmark = pytest.mark.integration

OURS, THEIRS = "musterstadt", "beispielstadt"


@pytest.fixture
def things(database):
    raw = database["things"]
    raw.insert_many([{"tenant": tenant, "name": name, "n": 1}
                     for tenant in (OURS, THEIRS) for name in ("a", "b", "c")])
    return TenantCollection(raw, OURS)


def theirs_untouched(things):
    """The other tenant's documents as they were inserted."""
    found = sorted((document["name"], document["n"])
                   for document in things.collection.find({"tenant": THEIRS}, {"_id": 0}))
    return found == [("a", 1), ("b", 1), ("c", 1)]


def test_reads_see_one_tenant(things):
    assert things.count() == things.count_documents({}) == 3
    assert sorted(things.distinct("name")) == ["a", "b", "c"]
    assert [row["total"] for row in things.aggregate(
        [{"$group": {"_id": None, "total": {"$sum": "$n"}}}])] == [3]
    assert {document["tenant"] for document in things.find()} == {OURS}


def test_many_and_one_verbs_stay_in_the_tenant(things):
    things.insert_many([{"name": "d", "n": 1}, {"name": "e", "n": 1, "tenant": THEIRS}])
    assert things.count({"name": {"$in": ["d", "e"]}}) == 2  # stamped, even over a wrong one
    assert things.update_many({}, {"$inc": {"n": 1}}).modified_count == 5
    assert things.delete_one({"name": "a"}).deleted_count == 1
    assert things.find_one_and_delete({"name": "b"})["tenant"] == OURS
    replaced = things.find_one_and_replace({"name": "c"}, {"name": "c2", "tenant": THEIRS},
                                           return_document=ReturnDocument.AFTER)
    assert replaced["tenant"] == OURS
    assert things.replace_one({"name": "d"}, {"name": "d2"}).modified_count == 1
    assert things.find_one_and_update({"name": "e"}, {"$set": {"n": 9}})["tenant"] == OURS
    assert things.update_one({"name": "a"}, {"$set": {"n": 9}}).matched_count == 0  # gone
    assert things.delete_many({}).deleted_count == 3
    assert theirs_untouched(things)


def test_bulk_write_scopes_every_filter_and_stamps_every_document(things):
    requests = [InsertOne({"name": "d", "n": 1, "tenant": THEIRS}),
                UpdateOne({"name": "a"}, {"$inc": {"n": 1}}),
                UpdateOne({"name": "z"}, {"$set": {"n": 5}}, upsert=True),
                UpdateMany({}, {"$inc": {"n": 10}}),
                ReplaceOne({"name": "b"}, {"name": "b2", "n": 0, "tenant": THEIRS}),
                DeleteOne({"name": "c"}),
                DeleteMany({"name": "d2"})]
    result = things.bulk_write(requests)
    assert result.inserted_count == 1 and result.upserted_count == 1
    assert sorted((document["name"], document["n"]) for document in things.find()) == [
        ("a", 12), ("b2", 0), ("d", 11), ("z", 15)]
    assert {document["tenant"] for document in things.find()} == {OURS}
    assert theirs_untouched(things)
    assert requests[1]._filter == {"name": "a"}  # the caller's operations are left as given


def test_bulk_write_refuses_what_it_cannot_scope(things):
    with pytest.raises(TypeError):
        things.bulk_write([{"insertOne": {"document": {"name": "x"}}}])


def test_all_tenants_is_the_raw_collection_under_a_name(things):
    everyone = AllTenants(things.collection)
    assert everyone.update_many({}, {"$set": {"seen": True}}).modified_count == 6
