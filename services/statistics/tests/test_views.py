# SPDX-License-Identifier: EUPL-1.2
"""What staff read and set: settings with versions, counter transactions, every tenant's figures."""
import pytest
from nameko.exceptions import RemoteError

from loket_contracts.statistics.measures import month_of

from .helpers import STAFF, TENANT, error_code

pytestmark = pytest.mark.integration


def test_settings_start_as_the_tenant_files_defaults(statistics):
    assert statistics.get_settings(TENANT) == {
        "threshold": 5, "channels": ["phone", "post"], "version": 0,
        "expected_shares": {"appointments:id-card": 0.5, "permits:id-card": 0.5,
                            "permits:residents-parking": 0.8}}


def test_settings_change_with_the_version_read(statistics):
    wanted = {"threshold": 7, "channels": ["post"],
              "expected_shares": {"appointments:registration": 0.9}}
    assert statistics.put_settings(TENANT, wanted, 0, STAFF) == {**wanted, "version": 1}
    assert statistics.get_settings(TENANT) == {**wanted, "version": 1}
    for stale in (0, 5):
        with pytest.raises(RemoteError) as failed:
            statistics.put_settings(TENANT, {**wanted, "threshold": 9}, stale, STAFF)
        assert error_code(failed.value) == (409, "version_conflict")
    assert statistics.put_settings(TENANT, wanted, 1, STAFF)["version"] == 2
    month = statistics.month_figures(TENANT, "2026-03")
    assert month["channels"] == ["online", "counter", "post"]
    assert [row["process"] for row in month["processes"]] == ["appointments:registration"]


@pytest.mark.parametrize(("settings", "version", "actor"), [
    ({"threshold": 5, "channels": [], "expected_shares": {"id-card": 0.5}}, 0, STAFF),
    ({"threshold": 5, "channels": [], "expected_shares": {"permits:x": 2}}, 0, STAFF),
    ({"threshold": 0, "channels": [], "expected_shares": {}}, 0, STAFF),
    ({"threshold": 5, "channels": ["fax"], "expected_shares": {}}, 0, STAFF),
    ({"threshold": 5, "channels": [], "expected_shares": {}}, "0", STAFF),
    ({"threshold": 5, "channels": [], "expected_shares": {}}, 0, {"subject": "x"}),
    ("all of it", 0, STAFF),
])
def test_bad_settings_are_refused(statistics, settings, version, actor):
    with pytest.raises(RemoteError) as failed:
        statistics.put_settings(TENANT, settings, version, actor)
    assert error_code(failed.value) == (400, "validation_failed")
    assert statistics.get_settings(TENANT)["version"] == 0


def test_an_unknown_tenant_is_not_found(statistics):
    for call in (lambda: statistics.get_settings("nowhere"),
                 lambda: statistics.month_figures("nowhere", "2026-03")):
        with pytest.raises(RemoteError) as failed:
            call()
        assert error_code(failed.value)[0] == 404
    with pytest.raises(RemoteError) as failed:
        statistics.month_figures(TENANT, "March")
    assert error_code(failed.value) == (400, "validation_failed")
    with pytest.raises(RemoteError) as failed:
        statistics.process_series(TENANT, "2026-04", "2026-03")
    assert error_code(failed.value) == (400, "validation_failed")


def test_a_counter_transaction_counts_as_volume_of_its_channel(statistics):
    recorded = statistics.record_counter_transaction(
        TENANT, {"process": "appointments:id-card"}, STAFF)
    assert recorded["process"] == "appointments:id-card" and recorded["channel"] == "counter"
    assert recorded["id"] and recorded["recorded_at"]
    statistics.record_counter_transaction(TENANT, {"process": "permits:residents-parking",
                                                   "channel": "phone"}, STAFF)
    month = month_of(recorded["recorded_at"])
    rows = {row["process"]: row for row in statistics.month_figures(TENANT, month)["processes"]}
    assert rows["appointments:id-card"]["counts"] == {"counter_transactions": {"counter": 1}}
    assert rows["appointments:id-card"]["volume"] == {"counter": 1}
    assert rows["appointments:id-card"]["digital_share"] == 0.0
    assert rows["permits:residents-parking"]["volume"] == {"phone": 1}


@pytest.mark.parametrize(("transaction", "status", "code"), [
    ({"process": "appointments:passport"}, 400, "unknown_process"),
    ({"process": "permits:id-card"}, 400, "unknown_process"),
    ({"process": "appointments:id-card", "channel": "email"}, 400, "channel_not_offered"),
    ({"process": "appointments:id-card", "channel": "online"}, 400, "channel_not_offered"),
    ({"process": "appointments:id-card", "channel": "fax"}, 400, "validation_failed"),
    ({"process": "ID card"}, 400, "validation_failed"),
    ({}, 400, "validation_failed"),
])
def test_a_bad_counter_transaction_is_refused(statistics, database, transaction, status, code):
    with pytest.raises(RemoteError) as failed:
        statistics.record_counter_transaction(TENANT, transaction, STAFF)
    assert error_code(failed.value) == (status, code)
    assert database["facts"].count_documents({}) == 0


def test_operators_see_every_tenant_side_by_side(statistics):
    statistics.record_counter_transaction(TENANT, {"process": "appointments:id-card"}, STAFF)
    month = month_of(statistics.record_counter_transaction(
        TENANT, {"process": "appointments:id-card"}, STAFF)["recorded_at"])
    figures = {item["tenant"]: item for item in statistics.all_tenants_figures(month)}
    assert {"musterstadt", "beispielstadt"} <= set(figures)
    card = next(row for row in figures["musterstadt"]["processes"]
                if row["process"] == "appointments:id-card")
    assert card["volume"] == {"counter": 2}
    assert all(row["volume"] == {} for row in figures["beispielstadt"]["processes"])
