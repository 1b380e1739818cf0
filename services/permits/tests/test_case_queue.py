"""The queue's windowed pages equal the plain query; its counters stay exact."""
import random
from datetime import timedelta

import eventlet
import pytest

from loket_permits import case_queue
from loket_permits.case_queue import SORT, count_cases, queue_filter, queue_filters, windowed
from loket_permits.synthetic import (
    insert_synthetic_cases,
    rebuild_queue_counts,
    sealed,
    synthetic_cases,
)

from .helpers import START, TENANT, WORKER, applicant, submitted_case

pytestmark = pytest.mark.integration
TYPE_IDS = ["residents-parking", "special-use", "id-card"]
QUERIES = [{}, {"type_id": "special-use", "state": "submitted"}, {"state": "in_review"},
           {"assigned_to": "nobody"}, {"assigned_to": "token:00000000000000a1",
                                       "state": "approved"},
           {"overdue": True}, {"overdue": False}, {"type_id": "id-card", "overdue": True},
           {"state": "withdrawn", "overdue": True}, {"type_id": "no-such-type"}]


def plain_page(desk, query, now):
    """The reference: the old single query (filter + cursor, sort, limit), exact count."""
    found = queue_filter(query, now)
    total = desk.cases.count(found)
    if query.get("after"):
        due, last_id = case_queue.decode_cursor(query["after"])
        found = {"$and": [found, {"$or": [{"due_at": {"$gt": due}},
                                          {"due_at": due, "id": {"$gt": last_id}}]}]}
    items = list(desk.cases.find(found, {"_id": 0, "id": 1, "due_at": 1}, sort=SORT,
                                 limit=query["limit"] + 1))
    return [item["id"] for item in items], total


def stored_counts(database, tenant=TENANT):
    return {(doc["type_id"], doc["state"], doc["assigned_to"]): doc["count"]
            for doc in database["queue_counts"].find({"tenant": tenant}) if doc["count"]}


def recomputed_counts(database, tenant=TENANT):
    return {key: entry[0] for key, entry in
            count_cases(database["applications"].find({"tenant": tenant})).items()}


def insert_with_ties(database, tenant, count, seed):
    """Synthetic cases whose due dates repeat (ties broken by id) and spread unevenly."""
    rng = random.Random(seed)
    cases = synthetic_cases(tenant, count, TYPE_IDS, seed=seed, now=START)
    dues = [START + timedelta(days=rng.choice((-400, -30, -1, 0, 0, 1, 2, 3, 90, 800)),
                              hours=rng.randint(0, 3)) for _ in range(count // 4)]
    for case in cases:
        case["due_at"] = rng.choice(dues)
    database["applications"].insert_many(sealed(database, tenant, cases))
    case_queue.add_counts(database, tenant, count_cases(cases))
    return cases


@pytest.mark.parametrize("seed", [3, 4])
def test_windowed_pages_equal_the_plain_query_across_pages(database, desk, seed):
    insert_with_ties(database, TENANT, 200, seed)
    insert_with_ties(database, "beispielstadt", 60, seed + 10)
    rng = random.Random(seed)
    for query in QUERIES:
        limit = rng.choice((4, 9, 50))
        after, seen, pages = None, [], 0
        while True:
            asked = {**query, "limit": limit, "after": after}
            page = desk.queue(asked)
            expected, total = plain_page(desk, asked, START)
            assert [item["id"] for item in page["items"]] == expected[:limit], (query, pages)
            assert (page["next"] is None) == (len(expected) <= limit)
            assert page["total"] == total
            seen += page["items"]
            pages += 1
            if (after := page["next"]) is None:
                break
        assert len(seen) == total and len({item["id"] for item in seen}) == total
        assert all(item["tenant"] == TENANT for item in seen)


def test_windows_are_right_whatever_their_bounds(database, desk):
    cases = insert_with_ties(database, TENANT, 200, 5)
    found = queue_filters({}, START)
    expected = [case["id"] for case in sorted(cases, key=lambda case: (case["due_at"],
                                                                        case["id"]))]
    late = START + timedelta(days=5000)
    for width, least, greatest in [(timedelta(seconds=1), None, None),
                                   (timedelta(days=1), late, START),  # wrong bounds
                                   (timedelta(days=9000), START, START),
                                   (timedelta(minutes=5), START - timedelta(days=400), late)]:
        got = windowed(desk.cases, found, None, 500, {"_id": 0, "id": 1, "due_at": 1}, width, least,
                       greatest)
        assert [item["id"] for item in got] == expected
        middle = cases[[case["id"] for case in cases].index(expected[77])]
        after = windowed(desk.cases, found, (middle["due_at"], middle["id"]), 40,
                         {"_id": 0, "id": 1, "due_at": 1}, width, least, greatest)
        assert [item["id"] for item in after] == expected[78:118]


def test_overdue_total_is_exact_when_cheap_else_none(database, desk, monkeypatch):
    insert_with_ties(database, TENANT, 200, 6)
    exact, total = desk.queue({"overdue": True, "limit": 5}), plain_page(
        desk, {"overdue": True, "limit": 5}, START)[1]
    assert exact["total"] == total > 0
    monkeypatch.setattr(case_queue, "CHEAP_COUNT", 10)
    page = desk.queue({"overdue": True, "limit": 5})
    assert page["total"] is None and len(page["items"]) == 5
    assert desk.queue({"state": "submitted", "limit": 5})["total"] == plain_page(
        desk, {"state": "submitted", "limit": 5}, START)[1]


def test_counters_follow_a_full_flow(database, desk, clock):
    checked = []

    def check():
        assert stored_counts(database) == recomputed_counts(database)
        checked.append(1)

    draft = desk.create(applicant(9), "residents-parking", {}, None)
    desk.withdraw("subject-9", draft["id"], None)  # a draft never counted
    check()
    case = submitted_case(desk)
    other = submitted_case(desk, 2)
    check()
    assert desk.queue({"limit": 5})["total"] == 2
    desk.assign(case["id"], WORKER["subject"], WORKER)
    check()
    assert desk.queue({"assigned_to": WORKER["subject"], "limit": 5})["total"] == 1
    assert desk.queue({"assigned_to": "nobody", "limit": 5})["total"] == 1
    desk.transition(case["id"], "in_review", None, WORKER, None)
    check()
    desk.transition(case["id"], "information_requested", "need more", WORKER,
                    {"fields": ["zone"], "message": "Which zone?"})
    check()
    desk.answer("subject-1", case["id"], {"zone": "B"}, "B")
    check()
    desk.assign(case["id"], None, WORKER)
    check()
    desk.transition(case["id"], "in_review", None, WORKER, None)
    desk.transition(case["id"], "approved", "fine", WORKER, None)
    check()
    desk.withdraw("subject-2", other["id"], "changed my mind")
    check()
    assert stored_counts(database) == {("residents-parking", "approved", None): 1,
                                       ("residents-parking", "withdrawn", None): 1}
    assert desk.queue({"state": "approved", "limit": 5})["total"] == 1
    assert len(checked) == 9


def test_counters_stay_exact_under_concurrent_steps(database, desk):
    cases = [submitted_case(desk, n) for n in range(12)]
    outcomes = []

    def review_and_assign(n):
        case = cases[n]
        try:
            desk.assign(case["id"], f"token:{n % 3:016x}", WORKER)
            desk.transition(case["id"], "in_review", None, WORKER, None)
            outcomes.append("done")
        except Exception as error:  # noqa: BLE001 (reported below)
            outcomes.append(repr(error))

    def race_for_one(n):
        try:  # all for the first case: exactly one of each pair of moves wins
            desk.transition(cases[0]["id"], ("approved", "rejected")[n % 2], "x", WORKER,
                            None)
        except Exception as error:  # noqa: BLE001
            outcomes.append(type(error).__name__)

    pool = eventlet.GreenPool()
    for n in range(1, 12):
        pool.spawn(review_and_assign, n)
    pool.waitall()
    assert outcomes == ["done"] * 11
    desk.transition(cases[0]["id"], "in_review", None, WORKER, None)
    for n in range(6):
        pool.spawn(race_for_one, n)
    pool.waitall()
    assert outcomes.count("TransitionNotAllowed") == 5
    assert stored_counts(database) == recomputed_counts(database)
    assert desk.queue({"state": "in_review", "limit": 50})["total"] == 11


def test_rebuild_equals_incremental(database, desk):
    insert_synthetic_cases(database, TENANT, 300, TYPE_IDS, seed=7)
    insert_synthetic_cases(database, "beispielstadt", 50, ["residents-parking"], seed=8)
    case = submitted_case(desk)
    desk.transition(case["id"], "in_review", None, WORKER, None)
    incremental = stored_counts(database)
    assert incremental == recomputed_counts(database) and sum(incremental.values()) == 301
    other_tenant = stored_counts(database, "beispielstadt")
    database["queue_counts"].update_many({"tenant": TENANT}, {"$inc": {"count": 3}})
    database["queue_counts"].insert_one({"tenant": TENANT, "type_id": "gone", "state": "x",
                                         "assigned_to": None, "count": 5})
    assert rebuild_queue_counts(database, TENANT) == len(incremental)
    assert stored_counts(database) == incremental
    assert stored_counts(database, "beispielstadt") == other_tenant
    page = desk.queue({"limit": 3})
    assert page["total"] == 301 and len(page["items"]) == 3
