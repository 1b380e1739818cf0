# SPDX-License-Identifier: EUPL-1.2
"""The hash chain: hashes over the canonical header, and what verification finds."""
from __future__ import annotations

import copy

from loket_statistics.publication.chain import file_entry, release_hash, verify


def chain_of(count):
    releases, previous = [], None
    for number in range(1, count + 1):
        release = {"id": f"r{number}", "tenant": "musterstadt", "number": number,
                   "month": f"2026-{number:02d}", "published_at": f"2026-{number + 1:02d}-01",
                   "files": [file_entry("statistics.csv", "text/csv", f"a,b\r\n{number},2\r\n")],
                   "previous_hash": previous, "corrects": None, "reason": None, "changes": []}
        release["release_hash"] = previous = release_hash(release)
        releases.append(release)
    return releases


def test_an_intact_chain_verifies():
    assert verify(chain_of(4)) == []


def test_the_hash_covers_every_header_field_and_file_hash():
    release = chain_of(1)[0]
    for field, value in (("month", "2026-02"), ("published_at", "x"), ("reason", "r"),
                         ("changes", ["x"]), ("corrects", "r0"), ("number", 2)):
        assert release_hash({**release, field: value}) != release["release_hash"], field
    changed = copy.deepcopy(release)
    changed["files"][0]["sha256"] = "0" * 64
    assert release_hash(changed) != release["release_hash"]


def test_an_edited_file_is_named():
    releases = chain_of(3)
    releases[1]["files"][0]["content"] = "a,b\r\n2,3\r\n"
    assert verify(releases) == ["release 2, file statistics.csv: content does not match its "
                                "SHA-256"]


def test_a_rehashed_file_breaks_the_release_hash_and_a_rehashed_release_the_link():
    releases = chain_of(3)
    edited = file_entry("statistics.csv", "text/csv", "a,b\r\n9,9\r\n")
    releases[0]["files"][0] = edited
    assert verify(releases) == ["release 1: release_hash does not match its header"]
    releases[0]["release_hash"] = release_hash(releases[0])
    assert verify(releases) == ["release 2: previous_hash does not match release 1"]


def test_a_missing_release_is_found():
    releases = chain_of(3)
    del releases[1]
    assert verify(releases) == ["release 3: expected number 2 (a release is missing or "
                                "doubled)", "release 3: previous_hash does not match release 2"]


def test_a_correction_must_correct_an_earlier_release_of_its_month():
    releases = chain_of(2)
    releases[1]["corrects"] = "r1"  # another month
    releases[1]["release_hash"] = release_hash(releases[1])
    assert verify(releases) == ["release 2: corrects no earlier release of its month"]
