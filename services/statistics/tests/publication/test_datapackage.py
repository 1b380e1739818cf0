# SPDX-License-Identifier: EUPL-1.2
"""datapackage.json validates with the frictionless library, the CSV against its schema."""
from __future__ import annotations

import json

import frictionless

from loket_statistics.cells import MonthCells
from loket_statistics.publication.release_files import release_files
from loket_statistics.publication.tables import month_table

from .samples import MONTH, PROCESSES, PUBLIC_URL, SETTINGS, october, tenant


def written(tmp_path, files):
    for each in files:
        (tmp_path / each["name"]).write_bytes(each["content"].encode("utf-8"))
    return {each["name"]: each for each in files}


def test_the_package_and_its_csv_validate(tmp_path):
    files = written(tmp_path, release_files(month_table(october(), PROCESSES, SETTINGS),
                                            tenant(), PUBLIC_URL, 1, "2026-11-01T00:05:00+00:00"))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert report.stats["tasks"] == 1  # the CSV resource was read and checked
    descriptor = json.loads(files["datapackage.json"]["content"])
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["licenses"][0]["name"] == "dl-de-by-2.0"
    assert descriptor["licenses"][0]["path"] and descriptor["licenses"][0]["title"]
    assert MONTH in descriptor["title"] and "Musterstadt" in descriptor["title_en"]
    resource = descriptor["resources"][0]
    assert resource["path"] == "statistics.csv"
    assert resource["hash"] == "sha256:" + files["statistics.csv"]["sha256"]
    schema = resource["schema"]
    assert schema["primaryKey"] == ["month", "process", "channel", "measure"]
    assert schema["missingValues"] == [""]
    for field in schema["fields"]:
        assert field["type"] and field["title"] and field["title_en"]
        assert field["description"] and field["description_en"]


def test_a_changed_csv_fails_validation(tmp_path):
    written(tmp_path, release_files(month_table(october(), PROCESSES, SETTINGS), tenant(),
                                    PUBLIC_URL, 1, "2026-11-01T00:05:00+00:00"))
    csv_path = tmp_path / "statistics.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",62,false", ",63,false"),
                        encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


def test_a_value_of_the_wrong_type_fails_validation(tmp_path):
    files = written(tmp_path, release_files(month_table(october(), PROCESSES, SETTINGS),
                                            tenant(), PUBLIC_URL, 1, "2026-11-01T00:05:00+00:00"))
    descriptor = json.loads(files["datapackage.json"]["content"])
    del descriptor["resources"][0]["hash"], descriptor["resources"][0]["bytes"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    csv_path = tmp_path / "statistics.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",62,false", ",many,false"),
                        encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    # the booking and the volume of 62
    assert [error[0] for error in report.flatten(["type"])] == ["type-error", "type-error"]


def test_a_month_without_counts_publishes_a_valid_empty_table(tmp_path):
    files = written(tmp_path, release_files(
        month_table(MonthCells("musterstadt", "2026-08"), PROCESSES, SETTINGS), tenant(),
        PUBLIC_URL, 1, "2026-09-01T00:05:00+00:00"))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert files["statistics.csv"]["content"].count("\r\n") == 1  # the header alone
