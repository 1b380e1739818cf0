# SPDX-License-Identifier: EUPL-1.2
"""``datapackage.json``: the Frictionless (tabular) Data Package describing ``statistics.csv``.

Frictionless has one ``title`` and ``description`` per field: they are German (the
publishing municipality's language), and ``title_en``/``description_en`` carry the English
ones (extra properties, which Frictionless keeps and ignores). The resource carries the
CSV's size and SHA-256, so ``frictionless validate`` also checks the file is the one
published.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .grid import CHANNEL_ORDER
from .suppression import TOTAL
from .tables import PUBLISHED_MEASURES, MonthTable

LICENCE = {"name": "dl-de-by-2.0", "path": "https://www.govdata.de/dl-de/by-2-0",
           "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0"}
# name, type, (title de, title en), (description de, description en), extra properties
FIELDS: tuple[tuple[str, str, tuple[str, str], tuple[str, str], dict[str, Any]], ...] = (
    ("month", "yearmonth", ("Monat", "Month"),
     ("Kalendermonat (Europe/Berlin), in dem die Vorgänge geschahen.",
      "Calendar month (Europe/Berlin) in which the facts happened."), {}),
    ("process", "string", ("Verfahren", "Process"),
     ("Schlüssel des Verfahrens: appointments:<Dienstleistung>, permits:<Antragsart>, "
      "notifications:<Art>; total: alle Verfahren der Kennzahl.",
      "Process key: appointments:<service>, permits:<permit type>, notifications:<kind>; "
      "total: every process of the measure."), {"constraints": {"required": True}}),
    ("process_name_de", "string", ("Name des Verfahrens (deutsch)", "Process name (German)"),
     ("Name im Katalog der Kommune.", "Name in the municipality's catalogue."), {}),
    ("process_name_en", "string", ("Name des Verfahrens (englisch)", "Process name (English)"),
     ("Englischer Name im Katalog der Kommune.", "English name in the catalogue."), {}),
    ("service_key", "string", ("LeiKa-Schlüssel", "LeiKa key"),
     ("Leistungsschlüssel des LeiKa/FIM (14 Ziffern), falls hinterlegt.",
      "LeiKa/FIM service key (14 digits), if set."),
     {"constraints": {"pattern": r"\d{14}"}}),
    ("channel", "string", ("Zugangsweg", "Channel"),
     ("online (über Loket), counter (am Schalter), phone, post; bei Benachrichtigungen "
      "email, sms; total: alle Zugangswege.",
      "online (through Loket), counter (at the counter), phone, post; for notifications "
      "email, sms; total: every channel."),
     {"constraints": {"required": True, "enum": [*CHANNEL_ORDER, TOTAL]}}),
    ("measure", "string", ("Kennzahl", "Measure"),
     ("Anzahl der Vorgänge (z. B. appointments_booked, applications_submitted); volume: "
      "Termine bzw. Anträge plus Schaltervorgänge; lead_time_decisions: Entscheidungen mit "
      "Bearbeitungsdauer; lead_time_median_days, lead_time_p90_days: Bearbeitungsdauer "
      "Eingang bis Entscheidung in Tagen (Median, 90. Perzentil); digital_share: Anteil "
      "online am volume (0..1, Kanal online); expected_share: erwarteter Online-Anteil der "
      "Kommune (0..1, Kanal online).",
      "Number of facts (e.g. appointments_booked, applications_submitted); volume: "
      "bookings or applications plus counter transactions; lead_time_decisions: decisions "
      "with a lead time; lead_time_median_days, lead_time_p90_days: submitted to decided in "
      "days (median, 90th percentile); digital_share: online share of the volume (0..1, "
      "channel online); expected_share: the share the municipality expects online (0..1, "
      "channel online)."),
     {"constraints": {"required": True, "enum": list(PUBLISHED_MEASURES)}}),
    ("value", "number", ("Wert", "Value"),
     ("Leer, wenn der Wert zum Schutz kleiner Fallzahlen unterdrückt ist.",
      "Empty when the value is suppressed to protect small counts."),
     {"constraints": {"minimum": 0}}),
    ("suppressed", "boolean", ("Unterdrückt", "Suppressed"),
     ("true: Wert unter der Schwelle oder zum Schutz eines solchen unterdrückt.",
      "true: the value is below the threshold, or hidden so such a value cannot be "
      "recovered from totals."),
     {"trueValues": ["true"], "falseValues": ["false"], "constraints": {"required": True}}),
)
PRIMARY_KEY = ["month", "process", "channel", "measure"]


def table_schema() -> dict[str, Any]:
    """The Table Schema of ``statistics.csv``."""
    return {"fields": [{"name": name, "type": kind, "title": titles[0], "title_en": titles[1],
                        "description": texts[0], "description_en": texts[1], **extra}
                       for name, kind, titles, texts, extra in FIELDS],
            "primaryKey": PRIMARY_KEY, "missingValues": [""]}


def datapackage(table: MonthTable, tenant: Mapping[str, Any], csv_file: Mapping[str, Any],
                published_at: str) -> str:
    """``datapackage.json`` for ``table``'s CSV (``csv_file``: its bytes and sha256)."""
    name = tenant["name"]
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"loket-statistik-{table.tenant}-{table.month}",
        "title": f"Digitale Verwaltung in Zahlen: {name['de']}, {table.month}",
        "title_en": f"Digital administration in figures: {name['en']}, {table.month}",
        "description": "Vorgänge je Verfahren und Zugangsweg (online, Schalter, ...) eines "
                       f"Monats; Werte unter {table.threshold} sind unterdrückt.",
        "description_en": "Facts per process and channel (online, counter, ...) of a "
                          f"month; values below {table.threshold} are suppressed.",
        "created": published_at,
        "licenses": [LICENCE],
        "contributors": [_publisher(tenant["publisher"])],
        "resources": [{
            "name": "statistics", "path": "statistics.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": csv_file["bytes"], "hash": f"sha256:{csv_file['sha256']}",
            "schema": table_schema()}],
    }
    return json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n"


def _publisher(publisher: Mapping[str, Any]) -> dict[str, Any]:
    """The publisher as a Frictionless contributor (only the parts the tenant file has)."""
    found = {"title": publisher["name"], "role": "publisher", "email": publisher.get("email"),
             "path": publisher.get("homepage")}
    return {key: value for key, value in found.items() if value}
