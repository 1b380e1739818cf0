# SPDX-License-Identifier: EUPL-1.2
"""Publishing through the running service: releases, idempotency, corrections, the chain."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import eventlet
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from loket_common.errors import parse_remote_message
from loket_contracts.statistics.measures import month_of
from loket_contracts.statistics.schemas import RELEASE_FILES
from loket_statistics.cells import MonthCells

from .counting import put_cells
from .samples import ID_CARD, MONTH, TENANT_ID, october

pytestmark = pytest.mark.integration


def code_of(error_info) -> str:
    return parse_remote_message(error_info.value.value)["code"]


def test_a_finished_month_is_published_once(statistics, database):
    put_cells(database, october())
    release = statistics.publish_month(TENANT_ID, MONTH)
    assert (release["number"], release["month"], release["previous_hash"]) == (1, MONTH, None)
    assert [each["name"] for each in release["files"]] == list(RELEASE_FILES)
    assert release["corrects"] is None and release["changes"] == []
    assert statistics.publish_month(TENANT_ID, MONTH) == release
    assert database["releases"].count_documents({"tenant": TENANT_ID}) == 1
    csv_file = statistics.release_file(TENANT_ID, 1, "statistics.csv")
    assert csv_file["media_type"] == "text/csv; charset=utf-8"
    assert hashlib.sha256(csv_file["content"].encode()).hexdigest() == csv_file["sha256"]
    assert ",62,false" in csv_file["content"]
    assert statistics.get_release(TENANT_ID, 1) == release
    assert statistics.list_releases(TENANT_ID) == [release]


def test_what_cannot_be_published_is_refused_with_its_code(statistics, database):
    current = month_of(datetime.now(UTC).isoformat())
    with pytest.raises(RemoteError) as refused:
        statistics.publish_month(TENANT_ID, current)
    assert code_of(refused) == "month_not_over"
    with pytest.raises(RemoteError) as unknown:
        statistics.publish_month("atlantis", MONTH)
    assert code_of(unknown) == "unknown_tenant"
    with pytest.raises(RemoteError) as bad:
        statistics.publish_month(TENANT_ID, "2026-13")
    assert code_of(bad) == "validation_failed"
    with pytest.raises(RemoteError) as nothing:
        statistics.publish_correction(TENANT_ID, {"month": MONTH, "reason": "Nachmeldung"},
                                      {"subject": "staff:erika", "role": "tenant_admin"})
    assert code_of(nothing) == "month_not_published"
    with pytest.raises(RemoteError) as no_release:
        statistics.get_release(TENANT_ID, 7)
    assert code_of(no_release) == "release_not_found"
    put_cells(database, october())
    statistics.publish_month(TENANT_ID, MONTH)
    with pytest.raises(RemoteError) as no_file:
        statistics.release_file(TENANT_ID, 1, "secrets.txt")
    assert code_of(no_file) == "release_file_not_found"


def test_a_correction_is_a_new_release_that_says_what_changed(statistics, database):
    actor = {"subject": "staff:erika", "role": "tenant_admin"}
    put_cells(database, october())
    first = statistics.publish_month(TENANT_ID, MONTH)
    with pytest.raises(RemoteError) as unchanged:
        statistics.publish_correction(TENANT_ID, {"month": MONTH, "reason": "Prüfung"}, actor)
    assert code_of(unchanged) == "nothing_to_correct"
    with pytest.raises(RemoteError) as no_reason:
        statistics.publish_correction(TENANT_ID, {"month": MONTH}, actor)
    assert code_of(no_reason) == "validation_failed"
    put_cells(database, MonthCells(TENANT_ID, MONTH,
                                   {("appointments_booked", ID_CARD, "online"): 8}))
    second = statistics.publish_correction(
        TENANT_ID, {"month": MONTH, "reason": "Nachgemeldete Buchungen"}, actor)
    assert (second["number"], second["previous_hash"]) == (2, first["release_hash"])
    assert (second["corrects"], second["reason"]) == (first["id"], "Nachgemeldete Buchungen")
    assert f"{ID_CARD} online appointments_booked: 62 -> 70" in second["changes"]
    listed = statistics.list_releases(TENANT_ID)
    assert [each["number"] for each in listed] == [2, 1]
    assert listed[1]["superseded_by"] == second["id"]
    assert statistics.get_release(TENANT_ID, 1)["superseded_by"] == second["id"]
    # publishing the month again answers its newest release
    assert statistics.publish_month(TENANT_ID, MONTH)["number"] == 2
    points = {each["process"]: each for each in statistics.published_series(TENANT_ID)}
    assert points[ID_CARD]["points"][0]["volume"]["online"] == 70
    assert statistics.verify_chain(TENANT_ID) == {"tenant": TENANT_ID, "releases": 2,
                                                  "ok": True, "problems": []}


def test_an_edited_figure_in_the_database_fails_verification(statistics, database):
    put_cells(database, october())
    statistics.publish_month(TENANT_ID, MONTH)
    statistics.publish_month(TENANT_ID, "2026-09")
    stored = database["releases"].find_one({"tenant": TENANT_ID, "number": 1})
    csv_file = stored["files"][0]
    edited = csv_file["content"].replace(",62,false", ",52,false")
    assert edited != csv_file["content"]
    database["releases"].update_one({"_id": stored["_id"]},
                                    {"$set": {"files.0.content": edited}})
    report = statistics.verify_chain(TENANT_ID)
    assert report["ok"] is False and report["releases"] == 2
    assert report["problems"] == ["release 1, file statistics.csv: content does not match its "
                                  "SHA-256"]


def test_two_instances_publishing_at_once_make_one_release(start_statistics, service_config,
                                                           database):
    put_cells(database, october())
    start_statistics()
    start_statistics()

    def publish(month):
        with ServiceRpcProxy("statistics", service_config, timeout=30) as proxy:
            return proxy.publish_month(TENANT_ID, month)

    pool = eventlet.GreenPool()
    same = list(pool.imap(publish, [MONTH] * 4))
    assert len({release["id"] for release in same}) == 1
    others = list(pool.imap(publish, ["2026-07", "2026-08", "2026-09"]))
    assert sorted(release["number"] for release in [same[0], *others]) == [1, 2, 3, 4]
    with ServiceRpcProxy("statistics", service_config, timeout=30) as proxy:
        assert proxy.verify_chain(TENANT_ID)["ok"] is True
