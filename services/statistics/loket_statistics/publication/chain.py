# SPDX-License-Identifier: EUPL-1.2
"""The hash chain of a tenant's releases (pure): file hashes, release hashes, verification.

A release's ``release_hash`` is the SHA-256 of its canonical header (JSON, keys sorted, no
spaces, UTF-8): tenant, number, month, published_at, the files' names and SHA-256, the
previous release's hash, and what it corrects (``corrects``, ``reason``, ``changes``).
Changing a file, a header field or the order of releases breaks a hash or a link.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

HEADER_FIELDS = ("tenant", "number", "month", "published_at", "previous_hash", "corrects",
                 "reason", "changes")


def sha256_of(content: str) -> str:
    """The SHA-256 (hex) of a text file's UTF-8 bytes."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def file_entry(name: str, media_type: str, content: str) -> dict[str, Any]:
    """A release file with its size and hash, as stored."""
    return {"name": name, "media_type": media_type, "bytes": len(content.encode("utf-8")),
            "sha256": sha256_of(content), "content": content}


def header(release: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a release its hash covers."""
    return {**{name: release.get(name) for name in HEADER_FIELDS},
            "files": [{"name": each["name"], "sha256": each["sha256"]}
                      for each in release["files"]]}


def release_hash(release: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the release's header."""
    canonical = json.dumps(header(release), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _file_problems(release: Mapping[str, Any]) -> list[str]:
    problems = []
    for each in release["files"]:
        content = each.get("content")
        where = f"release {release['number']}, file {each['name']}"
        if content is None:
            problems.append(f"{where}: content missing")
        elif sha256_of(content) != each["sha256"]:
            problems.append(f"{where}: content does not match its SHA-256")
        elif len(content.encode("utf-8")) != each["bytes"]:
            problems.append(f"{where}: size does not match")
    return problems


def verify(releases: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every problem of a tenant's chain, one line each (empty: the chain holds)."""
    problems: list[str] = []
    previous: Mapping[str, Any] | None = None
    by_id: dict[str, Mapping[str, Any]] = {}
    for expected, release in enumerate(sorted(releases, key=lambda each: each["number"]), 1):
        number = release["number"]
        if number != expected:
            problems.append(f"release {number}: expected number {expected} (a release is "
                            "missing or doubled)")
        problems.extend(_file_problems(release))
        if release_hash(release) != release.get("release_hash"):
            problems.append(f"release {number}: release_hash does not match its header")
        wanted = previous["release_hash"] if previous else None
        if release.get("previous_hash") != wanted:
            problems.append(f"release {number}: previous_hash does not match release "
                            f"{number - 1}")
        corrected = by_id.get(release.get("corrects") or "")
        if release.get("corrects") and (corrected is None
                                        or corrected["month"] != release["month"]):
            problems.append(f"release {number}: corrects no earlier release of its month")
        by_id[release["id"]] = release
        previous = release
    return problems
