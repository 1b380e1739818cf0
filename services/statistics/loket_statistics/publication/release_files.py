# SPDX-License-Identifier: EUPL-1.2
"""The five files of a release, built from its month's table (pure)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loket_contracts.statistics.schemas import MEDIA_TYPES, RELEASE_FILES

from .chain import file_entry
from .datapackage import datapackage
from .dcat import dcat_graph, rdf_xml, turtle
from .tables import MonthTable, to_csv, to_json


def release_files(table: MonthTable, tenant: Mapping[str, Any], public_url: str,
                  number: int, published_at: str) -> list[dict[str, Any]]:
    """The release's files in ``RELEASE_FILES``' order, each with its size and SHA-256."""
    files = {name: file_entry(name, MEDIA_TYPES[name], content) for name, content in
             (("statistics.csv", to_csv(table)), ("statistics.json", to_json(table)))}
    files["datapackage.json"] = file_entry(
        "datapackage.json", MEDIA_TYPES["datapackage.json"],
        datapackage(table, tenant, files["statistics.csv"], published_at))
    graph = dcat_graph(tenant, public_url, {"month": table.month, "number": number,
                                            "published_at": published_at}, files)
    files["dcat.ttl"] = file_entry("dcat.ttl", MEDIA_TYPES["dcat.ttl"], turtle(graph))
    files["dcat.rdf"] = file_entry("dcat.rdf", MEDIA_TYPES["dcat.rdf"], rdf_xml(graph))
    return [files[name] for name in RELEASE_FILES]
