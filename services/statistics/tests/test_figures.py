# SPDX-License-Identifier: EUPL-1.2
"""A month's figures from its cells: volume, shares, gap, lead-time percentiles (no I/O)."""
from loket_statistics.cells import MonthCells, ProcessInfo
from loket_statistics.figures import lead_time_of, month_figures, percentile, series_of

SETTINGS = {"threshold": 5, "channels": ["phone"],
            "expected_shares": {"appointments:id-card": 0.5, "permits:gone": 0.8}}
PROCESSES = {"appointments:id-card": ProcessInfo({"de": "Personalausweis", "en": "ID card"},
                                                 "99102013104000")}


def cells():
    return MonthCells("musterstadt", "2026-03", counts={
        ("appointments_booked", "appointments:id-card", "online"): 30,
        ("appointments_booked", "appointments:id-card", "counter"): 50,
        ("walk_ins", "appointments:id-card", "counter"): 50,
        ("counter_transactions", "appointments:id-card", "counter"): 20,
        ("applications_submitted", "permits:parking", "online"): 9,
        ("applications_approved", "permits:parking", "online"): 4,
        ("notifications_sent", "notifications:booking_confirmed", "email"): 30},
        lead_days={("permits:parking", "online"): [1.0, 2.0, 3.0],
                   ("permits:parking", "counter"): [4.0]})


def test_percentiles_interpolate_between_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([float(day) for day in range(1, 11)], 0.9) == 9.1
    assert percentile([7.0], 0.9) == 7.0
    assert lead_time_of([]) is None
    assert lead_time_of([4.0, 1.0, 3.0, 2.0]) == {"decisions": 4, "median_days": 2.5,
                                                  "p90_days": 3.7}


def test_volume_share_and_gap_per_process():
    figures = month_figures(cells(), SETTINGS, PROCESSES, published=False)
    assert figures["channels"] == ["online", "counter", "phone"]
    rows = {row["process"]: row for row in figures["processes"]}
    card = rows["appointments:id-card"]
    assert card["volume"] == {"online": 30, "counter": 70}
    assert (card["digital_share"], card["expected_share"], card["gap"]) == (0.3, 0.5, -0.2)
    assert card["counts"]["walk_ins"] == {"counter": 50}
    assert card["name"]["en"] == "ID card" and card["service_key"] == "99102013104000"
    assert card["lead_time"] is None
    parking = rows["permits:parking"]
    assert parking["volume"] == {"online": 9} and parking["digital_share"] == 1.0
    assert parking["lead_time"] == {"decisions": 4, "median_days": 2.5, "p90_days": 3.7}
    assert parking["name"] == {"de": "permits:parking", "en": "permits:parking"}


def test_a_process_with_an_expectation_but_no_volume_has_no_share():
    rows = {row["process"]: row for row in
            month_figures(cells(), SETTINGS, PROCESSES, False)["processes"]}
    gone = rows["permits:gone"]
    assert (gone["volume"], gone["digital_share"], gone["expected_share"], gone["gap"]) == (
        {}, None, 0.8, None)
    mails = rows["notifications:booking_confirmed"]
    assert mails["volume"] == {} and mails["counts"] == {"notifications_sent": {"email": 30}}


def test_a_series_has_a_point_per_month_for_every_process():
    march = month_figures(cells(), SETTINGS, PROCESSES, True)
    april = month_figures(MonthCells("musterstadt", "2026-04"), SETTINGS, PROCESSES, False)
    series = {item["process"]: item for item in series_of([march, april], PROCESSES)}
    card = series["appointments:id-card"]
    assert [point["month"] for point in card["points"]] == ["2026-03", "2026-04"]
    assert card["points"][0]["digital_share"] == 0.3
    assert card["points"][1] == {"month": "2026-04", "volume": {}, "digital_share": None,
                                 "expected_share": 0.5, "lead_time": None, "suppressed": []}
    assert series["permits:parking"]["points"][1]["volume"] == {}
