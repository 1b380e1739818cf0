# SPDX-License-Identifier: EUPL-1.2
"""The timer catches up every finished month; the publish and verify commands."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from nameko.testing.services import entrypoint_hook

from loket_contracts.statistics.measures import month_of
from loket_statistics.cells import MonthCells
from loket_statistics.publication import publish_cli
from loket_statistics.publication.due_months import months_from, previous_month
from loket_statistics.publication.verify_cli import verify_tenants

from .counting import put_cells
from .samples import ID_CARD, MONTH, TENANT_ID, october

pytestmark = pytest.mark.integration


def current_month() -> str:
    return month_of(datetime.now(UTC).isoformat())


def test_the_timer_publishes_every_finished_month_once(start_statistics, database):
    container = start_statistics()
    put_cells(database, october())
    put_cells(database, MonthCells("beispielstadt", "2026-11",
                                   {("appointments_booked", ID_CARD, "online"): 9}))
    with entrypoint_hook(container, "publish_finished_months") as publish_finished_months:
        publish_finished_months()
    expected = list(months_from(MONTH, current_month()))
    releases = list(database["releases"].find({"tenant": TENANT_ID}, sort=[("number", 1)]))
    assert [release["month"] for release in releases] == expected
    assert [release["number"] for release in releases] == list(range(1, len(expected) + 1))
    other = list(database["releases"].find({"tenant": "beispielstadt"}))
    assert [release["month"] for release in other] == list(months_from("2026-11",
                                                                        current_month()))
    with entrypoint_hook(container, "publish_finished_months") as publish_finished_months:
        publish_finished_months()
    assert database["releases"].count_documents({}) == len(expected) + len(other)


def test_a_tenant_without_public_url_does_not_stop_the_others(start_statistics, database,
                                                              monkeypatch):
    monkeypatch.delenv("LOKET_BEISPIELSTADT_PUBLIC_URL")  # tenant files are read at start
    container = start_statistics()
    put_cells(database, october())
    put_cells(database, MonthCells("beispielstadt", MONTH,
                                   {("appointments_booked", ID_CARD, "online"): 9}))
    with entrypoint_hook(container, "publish_finished_months") as publish_finished_months:
        publish_finished_months()
    assert database["releases"].count_documents({"tenant": "beispielstadt"}) == 0
    assert database["releases"].count_documents({"tenant": TENANT_ID}) == len(
        list(months_from(MONTH, current_month())))


def test_the_publish_command_publishes_and_corrects(statistics, service_config, database,
                                                    monkeypatch, capsys):
    monkeypatch.setenv("AMQP_URI", service_config["AMQP_URI"])
    put_cells(database, october())
    with pytest.raises(SystemExit) as done:
        publish_cli.main(["--tenant", TENANT_ID, "--month", MONTH])
    assert done.value.code == 0
    release = statistics.get_release(TENANT_ID, 1)
    out = capsys.readouterr().out
    assert f"{TENANT_ID} {MONTH}: release 1 published" in out
    assert release["release_hash"] in out
    assert "done: 1 released" in out and "0 failed" in out

    put_cells(database, MonthCells(TENANT_ID, MONTH,
                                   {("appointments_booked", ID_CARD, "counter"): 3}))
    with pytest.raises(SystemExit) as corrected:
        publish_cli.main(["--month", MONTH, "--correct", "--reason", "Nachmeldung"])
    out = capsys.readouterr().out
    assert corrected.value.code == 1  # beispielstadt has no October release to correct
    assert f"{TENANT_ID} {MONTH}: release 2 published" in out
    assert f"changed {ID_CARD} counter appointments_booked: 31 -> 34" in out
    assert f"beispielstadt {MONTH}: failed: month_not_published" in out


def test_the_publish_command_defaults_to_the_previous_month(statistics, service_config,
                                                            monkeypatch, capsys):
    monkeypatch.setenv("AMQP_URI", service_config["AMQP_URI"])
    with pytest.raises(SystemExit) as done:
        publish_cli.main(["--tenant", TENANT_ID])
    assert done.value.code == 0
    assert statistics.list_releases(TENANT_ID)[0]["month"] == previous_month(current_month())
    with pytest.raises(SystemExit):
        publish_cli.main(["--correct"])
    assert "--correct and --reason go together" in capsys.readouterr().err


def test_the_verify_command_names_the_broken_release(statistics, database):
    put_cells(database, october())
    statistics.publish_month(TENANT_ID, MONTH)
    statistics.publish_month("beispielstadt", MONTH)
    lines = []
    assert verify_tenants(database, None, lines.append) is True
    assert lines[-1] == "done: 2 tenants verified, every chain holds"
    database["releases"].update_one({"tenant": TENANT_ID, "number": 1},
                                    {"$set": {"files.1.content": "{}"}})
    lines.clear()
    assert verify_tenants(database, None, lines.append) is False
    assert lines == ["beispielstadt: 1 releases, chain ok, newest "
                     + statistics.get_release("beispielstadt", 1)["release_hash"],
                     f"{TENANT_ID}: 1 releases, 1 problems",
                     f"{TENANT_ID}:   release 1, file statistics.json: content does not match "
                     "its SHA-256",
                     "done: 2 tenants verified, broken: musterstadt"]
