# SPDX-License-Identifier: EUPL-1.2
"""A correction's changes, the public series read back from tables, and due months."""
from __future__ import annotations

import json

from loket_statistics.publication.changes import changes
from loket_statistics.publication.due_months import due_months, next_month
from loket_statistics.publication.series import published_series
from loket_statistics.publication.tables import month_table, to_json

from .samples import ID_CARD, PARKING, PASSPORT, PROCESSES, SETTINGS, october


def published(cells, settings=SETTINGS):
    return json.loads(to_json(month_table(cells, PROCESSES, settings)))


def test_changes_name_each_changed_cell():
    old = published(october())
    new = published(october(appointments_booked__id_card__online=70))
    lines = changes(old, new)
    assert f"{ID_CARD} online appointments_booked: 62 -> 70" in lines
    assert f"{ID_CARD} total appointments_booked: 93 -> 101" in lines
    assert changes(old, published(october())) == []
    assert changes(old, published(october(), {**SETTINGS, "threshold": 3}))[0] == \
        "threshold: 5 -> 3"


def test_the_series_holds_what_was_published():
    september = {**published(october(appointments_booked__id_card__online=40)),
                 "month": "2026-09"}
    series = {each["process"]: each for each in published_series([published(october()),
                                                                  september])}
    assert set(series) == {ID_CARD, PASSPORT, "appointments:residence", PARKING,
                           "permits:special-use"}
    id_card = series[ID_CARD]
    assert id_card["name"] == {"de": "Personalausweis", "en": "ID card"}
    assert [point["month"] for point in id_card["points"]] == ["2026-09", "2026-10"]
    october_point = id_card["points"][1]
    assert october_point["volume"] == {"online": 62, "counter": 45}
    assert october_point["digital_share"] == round(62 / 107, 4)
    assert october_point["expected_share"] == 0.5
    passport = series[PASSPORT]["points"][0]
    assert passport["volume"] == {} and passport["suppressed"] == ["online", "counter"]
    assert passport["digital_share"] is None
    lead = series[PARKING]["points"][1]["lead_time"]
    assert lead == {"decisions": 37, "median_days": 16.0, "p90_days": lead["p90_days"]}


def test_due_months_run_from_the_first_counted_to_the_last_finished_one():
    assert next_month("2026-12") == "2027-01"
    assert due_months(None, "2026-12", []) == []
    assert due_months("2026-09", "2026-12", ["2026-10"]) == ["2026-09", "2026-11"]
    assert due_months("2026-12", "2026-12", []) == []
