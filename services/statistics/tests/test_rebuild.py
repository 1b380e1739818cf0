# SPDX-License-Identifier: EUPL-1.2
"""The cells rebuilt from the facts equal the live ones, also while events keep coming."""
import uuid

import eventlet
import pytest

from loket_statistics.fact_store import FactStore
from loket_statistics.intake import Fact
from loket_statistics.rebuild import Rebuild, rebuild_tenant
from loket_statistics.rebuild_cli import main

from .helpers import TENANT

pytestmark = pytest.mark.integration

MONTHS = ("2026-01", "2026-02", "2026-03")


def count(store, *facts):
    assert store.record(str(uuid.uuid4()), list(facts))


def history(database):
    """A varied history over three months; the live cells it made, per month."""
    store = FactStore(database, TENANT)
    for number, month in enumerate(MONTHS):
        for index in range(6 + number):
            channel = ("online", "counter", "phone")[index % 3]
            count(store, Fact("appointments_booked", "appointments:id-card", channel, month),
                  *([Fact("walk_ins", "appointments:id-card", channel, month)]
                    if channel == "counter" else []))
            count(store, Fact("applications_approved", "permits:residents-parking", channel,
                              month),
                  Fact("lead_time", "permits:residents-parking", channel, month,
                       float(index * 3 % 7)))
        count(store, Fact("counter_transactions", "permits:residents-parking", "counter", month))
    FactStore(database, "beispielstadt").record(
        str(uuid.uuid4()), [Fact("appointments_booked", "appointments:x", "online", "2026-01")])
    return store, {month: store.month_cells(month).to_plain() for month in MONTHS}


def tamper(database):
    """Change, delete and invent cells of musterstadt's March."""
    cells = database["cells"]
    cells.update_one({"tenant": TENANT, "month": "2026-03", "measure": "appointments_booked"},
                     {"$inc": {"n": 5}})
    cells.delete_one({"tenant": TENANT, "month": "2026-03", "measure": "lead_time"})
    cells.insert_one({"_id": "forged", "tenant": TENANT, "month": "2026-03",
                      "process": "appointments:id-card", "channel": "post",
                      "measure": "walk_ins", "n": 40})


def test_the_rebuild_equals_the_live_figures(database):
    store, live = history(database)
    assert [result.differing for result in rebuild_tenant(database, TENANT, check=True)] == [
        [], [], []]
    tamper(database)
    checked = rebuild_tenant(database, TENANT, ["2026-03"], check=True)
    assert len(checked[0].differing) == 3
    results = rebuild_tenant(database, TENANT)
    assert [result.month for result in results] == list(MONTHS)
    assert [result.facts for result in results] == [21, 24, 28]
    assert {month: store.month_cells(month).to_plain() for month in MONTHS} == live
    assert FactStore(database, "beispielstadt").month_cells("2026-01").counts == {
        ("appointments_booked", "appointments:x", "online"): 1}


def test_events_counted_during_the_rebuild_are_neither_lost_nor_doubled(database):
    store, _ = history(database)
    tamper(database)
    arrived = []

    def keep_counting(total):
        for index in range(total):
            channel = ("online", "counter", "post")[index % 3]
            count(store, Fact("appointments_booked", "appointments:id-card", channel, "2026-03"),
                  Fact("lead_time", "permits:residents-parking", channel, "2026-03", 2.0))
            arrived.append(index)
            eventlet.sleep(0)

    def between_scan_and_write():
        # counted after the scan read the facts, before the cells are written
        keep_counting(5)
        background.append(eventlet.spawn(keep_counting, 40))

    background: list = []
    result = Rebuild(database, TENANT).month("2026-03", after_scan=between_scan_and_write)
    background[0].wait()
    assert len(arrived) == 45 and result.differing
    assert Rebuild(database, TENANT).month("2026-03", check=True).differing == []
    booked = store.month_cells("2026-03").counts
    assert sum(n for (measure, _, _), n in booked.items()
               if measure == "appointments_booked") == 8 + 45
    assert ("walk_ins", "appointments:id-card", "post") not in booked  # the forged cell
    assert len(store.month_cells("2026-03").lead_days[("permits:residents-parking", "post")]) \
        == 1 + 13


def test_the_command_checks_rebuilds_and_reports(database, database_name, mongo_uri,
                                                 monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", mongo_uri)
    monkeypatch.setenv("STATISTICS_MONGO_DATABASE", database_name)
    _, live = history(database)
    tamper(database)
    with pytest.raises(SystemExit) as failed:
        main(["--tenant", TENANT, "--year", "2026", "--check"])
    assert failed.value.code == 1
    out, err = capsys.readouterr()
    assert "musterstadt 2026-03: 28 facts, 3 cells differ (3 months, 73 facts done)" in err
    assert "musterstadt 2026-12: 0 facts, 0 cells differ (12 months, 73 facts done)" in err
    assert out.startswith("checked 12 months, 73 facts in ") and out.endswith(
        ": 3 cells differ\n")
    main([])
    out, err = capsys.readouterr()
    assert "beispielstadt 2026-01: 1 facts" in err and "cells changed" in out
    assert out.startswith("rebuilt 4 months, 74 facts")
    main(["--check"])
    assert capsys.readouterr().out.endswith(": 0 cells differ\n")
    store = FactStore(database, TENANT)
    assert {month: store.month_cells(month).to_plain() for month in MONTHS} == live
    with pytest.raises(SystemExit) as failed:
        main(["--year", "26"])
    assert failed.value.code == 2
