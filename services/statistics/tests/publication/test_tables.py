# SPDX-License-Identifier: EUPL-1.2
"""The published table: rows with totals, suppression applied, shares and lead times."""
from __future__ import annotations

import csv
import io
import json

from loket_statistics.publication.tables import lead_time, month_table, to_csv, to_json

from .samples import ID_CARD, PARKING, PASSPORT, PROCESSES, SETTINGS, SPECIAL_USE, october


def rows_by_key(table):
    return {(row["process"], row["channel"], row["measure"]): row for row in table.rows}


def test_counts_totals_and_names_are_published():
    rows = rows_by_key(month_table(october(), PROCESSES, SETTINGS))
    booked = rows[(ID_CARD, "online", "appointments_booked")]
    assert booked["value"] == 62 and not booked["suppressed"]
    assert booked["process_name_de"] == "Personalausweis"
    assert booked["service_key"] == "99115001001000"
    assert rows[(ID_CARD, "total", "appointments_booked")]["value"] == 93
    assert rows[("total", "total", "appointments_booked")]["value"] == 123
    assert rows[("total", "online", "appointments_booked")]["process_name_en"] == "All processes"
    # the tenant's extra channel is a column, with nothing counted in it
    assert rows[(ID_CARD, "phone", "appointments_booked")]["value"] == 0


def test_no_published_count_is_below_the_threshold():
    table = month_table(october(), PROCESSES, SETTINGS)
    for row in table.rows:
        if row["suppressed"]:
            assert row["value"] is None
        elif not row["measure"].endswith(("_days", "_share")):
            assert row["value"] == 0 or row["value"] >= SETTINGS["threshold"], row
    rows = rows_by_key(table)
    assert rows[(PASSPORT, "online", "appointments_booked")]["suppressed"]
    assert rows[(PARKING, "counter", "applications_submitted")]["suppressed"]


def test_the_digital_share_and_the_expected_share_are_rows():
    rows = rows_by_key(month_table(october(), PROCESSES, SETTINGS))
    # volume: bookings plus counter transactions
    assert rows[(ID_CARD, "total", "volume")]["value"] == 62 + 31 + 14
    assert rows[(ID_CARD, "online", "digital_share")]["value"] == round(62 / 107, 4)
    assert rows[(ID_CARD, "online", "expected_share")]["value"] == 0.5
    assert rows[(PARKING, "online", "expected_share")]["value"] == 0.8
    # the passport's online volume (2) is suppressed, and so is its share
    assert rows[(PASSPORT, "online", "digital_share")]["suppressed"]
    assert (PASSPORT, "online", "expected_share") not in rows


def test_lead_times_are_published_per_channel_and_in_all():
    rows = rows_by_key(month_table(october(), PROCESSES, SETTINGS))
    assert rows[(PARKING, "online", "lead_time_decisions")]["value"] == 32
    assert rows[(PARKING, "online", "lead_time_median_days")]["value"] == 16.5
    # 90th percentile of 1 .. 32: rank 27.9 (0-based), between 28 and 29
    assert rows[(PARKING, "online", "lead_time_p90_days")]["value"] == 28.9
    assert rows[(PARKING, "counter", "lead_time_median_days")]["value"] == 12.0
    # 1 .. 32 and 4, 9, 12, 20, 25: the 19th of 37
    assert rows[(PARKING, "total", "lead_time_median_days")]["value"] == 16.0


def test_lead_times_of_fewer_decisions_than_the_threshold_are_suppressed():
    cells = october({(SPECIAL_USE, "online"): [2.0, 3.0]},
                    applications_approved__special_use__online=2)
    rows = rows_by_key(month_table(cells, PROCESSES, SETTINGS))
    for measure in ("lead_time_decisions", "lead_time_median_days", "lead_time_p90_days"):
        assert rows[(SPECIAL_USE, "online", measure)]["suppressed"]
        assert rows[(SPECIAL_USE, "online", measure)]["value"] is None


def test_lead_time_percentiles():
    assert lead_time([3.0]) == (3.0, 3.0)
    assert lead_time([1.0, 2.0, 3.0, 4.0, 10.0]) == (3.0, 7.6)


def test_csv_and_json_hold_the_same_rows():
    table = month_table(october(), PROCESSES, SETTINGS)
    text = to_csv(table)
    assert text.startswith("month,process,process_name_de,process_name_en,service_key,"
                           "channel,measure,value,suppressed\r\n")
    parsed = list(csv.DictReader(io.StringIO(text)))
    document = json.loads(to_json(table))
    assert document["threshold"] == 5 and document["month"] == "2026-10"
    assert len(parsed) == len(document["rows"]) == len(table.rows)
    suppressed = [row for row in parsed if row["suppressed"] == "true"]
    assert suppressed and all(row["value"] == "" for row in suppressed)
    assert "Bewohnerparkausweis" in text  # UTF-8, names in both languages
