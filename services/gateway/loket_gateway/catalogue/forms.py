# SPDX-License-Identifier: EUPL-1.2
"""The admin pages' forms as API bodies and back (pure: no Flask, no I/O).

A form is a mapping of field name to the list of its values (``MultiDict.to_dict(flat=False)``).
Field names follow the API's with ``-`` for ``.`` (``name-de``, ``counters-0-id``), so an
``invalid_params`` name from the service finds its field with :func:`form_field`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

Form = Mapping[str, list[str]]
LANGUAGES = ("de", "en")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INTERVALS_PER_DAY = 2
EMPTY_COUNTER_ROWS = 2
POLICY_INTEGERS = ("release_days_ahead", "min_lead_minutes", "max_active_bookings_per_person",
                   "lottery_window_minutes")
POLICY_TEXTS = ("release_time", "release_mode")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
NEW_SERVICE = {"duration_minutes": ["15"], "fee": ["0.00"], "release_days_ahead": ["28"],
               "release_time": ["07:00"], "min_lead_minutes": ["60"],
               "max_active_bookings_per_person": ["1"], "release_mode": ["first_come"],
               "lottery_window_minutes": ["60"]}
NEW_OFFICE = {"timezone": ["Europe/Berlin"]}


class FormInvalid(Exception):
    """Fields that could not even be read; names as the API's ``invalid_params``."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def one(form: Form, name: str) -> str:
    """The first value of ``name``, stripped ("" when absent)."""
    values = form.get(name) or [""]
    return values[0].strip()


def form_version(value: str | None) -> int:
    """The version a form was loaded with (0, never a match, when it is not a number)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else 0


def new_entry_id(form: Form) -> str:
    """The id a new entry's form names (lower-case letters, digits, hyphens)."""
    entry_id = one(form, "id")
    if not SLUG.fullmatch(entry_id):
        raise FormInvalid(["id"])
    return entry_id


def _text(form: Form, prefix: str) -> dict[str, str]:
    return {lang: one(form, f"{prefix}-{lang}") for lang in LANGUAGES}


def _integer(form: Form, name: str, api_name: str, bad: list[str]) -> int | None:
    value = one(form, name)
    if re.fullmatch(r"-?\d{1,9}", value):
        return int(value)
    bad.append(api_name)
    return None


def euro_to_cents(value: str) -> int:
    """``"12,50"`` or ``"12.50"`` euro as 1250 cents (ValueError unless whole cents)."""
    try:
        amount = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None
    cents = amount * 100
    if not amount.is_finite() or cents != cents.to_integral_value():
        raise ValueError(value)
    return int(cents)


def cents_to_euro(cents: int) -> str:
    """1250 cents as ``"12.50"``."""
    return f"{cents // 100}.{cents % 100:02d}"


def _documents(form: Form, bad: list[str]) -> list[dict[str, str]]:
    """One document per line and language; both languages need the same number of lines."""
    lines = {lang: [line.strip() for line in one(form, f"documents-{lang}").splitlines()
                    if line.strip()] for lang in LANGUAGES}
    if len({len(found) for found in lines.values()}) > 1:
        bad.append("required_documents")
        return []
    return [dict(zip(LANGUAGES, texts, strict=True))
            for texts in zip(*(lines[lang] for lang in LANGUAGES), strict=True)]


def service_body(form: Form) -> dict[str, Any]:
    """The API body (``ServiceRequestSchema``) for a submitted service form."""
    bad: list[str] = []
    body: dict[str, Any] = {"name": _text(form, "name"),
                            "description": _text(form, "description"),
                            "duration_minutes": _integer(form, "duration_minutes",
                                                         "duration_minutes", bad),
                            "required_documents": _documents(form, bad)}
    try:
        body["fee_cents"] = euro_to_cents(one(form, "fee"))
    except ValueError:
        bad.append("fee_cents")
    policy: dict[str, Any] = {name: one(form, name) for name in POLICY_TEXTS if name in form}
    for name in POLICY_INTEGERS:
        if name in form:
            policy[name] = _integer(form, name, f"booking_policy.{name}", bad)
    body["booking_policy"] = policy
    body["identity_required"] = one(form, "identity_required") or None
    body["service_key"] = one(form, "service_key").replace(" ", "") or None
    if bad:
        raise FormInvalid(bad)
    return body


def service_form(service: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """A stored service as form values (None: a new one's defaults)."""
    if service is None:
        return dict(NEW_SERVICE)
    form = {f"{field}-{lang}": [service[field][lang]] for field in ("name", "description")
            for lang in LANGUAGES}
    for lang in LANGUAGES:
        form[f"documents-{lang}"] = ["\n".join(document[lang]
                                               for document in service["required_documents"])]
    form["duration_minutes"] = [str(service["duration_minutes"])]
    form["fee"] = [cents_to_euro(service["fee_cents"])]
    for name, value in service.get("booking_policy", {}).items():
        form[name] = [str(value)]
    form["identity_required"] = [service.get("identity_required") or ""]
    form["service_key"] = [service.get("service_key") or ""]
    return form


def _counters(form: Form, bad: list[str]) -> list[dict[str, Any]]:
    """Counter rows ``counters-<n>-…``; rows left wholly empty are skipped."""
    counters = []
    rows = sorted({int(match.group(1)) for name in form
                   if (match := re.fullmatch(r"counters-(\d+)-id", name))})
    for row in rows:
        prefix = f"counters-{row}"
        counter: dict[str, Any] = {
            "id": one(form, f"{prefix}-id"), "name": _text(form, f"{prefix}-name"),
            "service_ids": [value for value in form.get(f"{prefix}-service_ids", []) if value]}
        if counter["id"] or any(counter["name"].values()):
            counters.append(counter)
    return counters


def _opening_hours(form: Form, bad: list[str]) -> dict[str, list[list[str]]]:
    """Up to :data:`INTERVALS_PER_DAY` ``HH:MM`` intervals a weekday; half-filled is invalid."""
    hours: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        for index in range(INTERVALS_PER_DAY):
            opens = one(form, f"opening_hours-{day}-{index}-opens")
            closes = one(form, f"opening_hours-{day}-{index}-closes")
            if opens and closes:
                hours.setdefault(day, []).append([opens, closes])
            elif opens or closes:
                bad.append(f"opening_hours.{day}")
    return hours


def office_body(form: Form) -> dict[str, Any]:
    """The API body (``OfficeRequestSchema``, closures left out) for an office form."""
    bad: list[str] = []
    body = {"name": _text(form, "name"),
            "address": {name: one(form, name) for name in ("street", "postal_code", "city")},
            "accessibility": _text(form, "accessibility"),
            "timezone": one(form, "timezone") or "Europe/Berlin",
            "service_ids": [value for value in form.get("service_ids", []) if value],
            "counters": _counters(form, bad),
            "opening_hours": _opening_hours(form, bad)}
    if bad:
        raise FormInvalid(bad)
    return body


def office_form(office: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """A stored office as form values (None: a new one's defaults)."""
    if office is None:
        return dict(NEW_OFFICE)
    form = {f"{field}-{lang}": [office[field][lang]] for field in ("name", "accessibility")
            for lang in LANGUAGES}
    form.update({name: [office["address"][name]] for name in ("street", "postal_code", "city")})
    form["timezone"] = [office["timezone"]]
    form["service_ids"] = list(office["service_ids"])
    for row, counter in enumerate(office.get("counters", [])):
        form[f"counters-{row}-id"] = [counter["id"]]
        form.update({f"counters-{row}-name-{lang}": [counter["name"][lang]]
                     for lang in LANGUAGES})
        form[f"counters-{row}-service_ids"] = list(counter["service_ids"])
    for day, intervals in office.get("opening_hours", {}).items():
        for index, (opens, closes) in enumerate(intervals[:INTERVALS_PER_DAY]):
            form[f"opening_hours-{day}-{index}-opens"] = [opens]
            form[f"opening_hours-{day}-{index}-closes"] = [closes]
    return form


def counter_rows(form: Form) -> int:
    """How many counter rows the form shows: those filled plus a few empty ones."""
    filled = [int(match.group(1)) for name in form
              if (match := re.fullmatch(r"counters-(\d+)-id", name))]
    return (max(filled) + 1 if filled else 0) + EMPTY_COUNTER_ROWS


def closure_body(form: Form) -> dict[str, Any]:
    """The API body (``ClosureSchema``) for the add-a-closure form."""
    return {"date": one(form, "date"), "reason": _text(form, "reason")}


def form_field(api_name: str, counter_ids: Iterable[str] = ()) -> str:
    """The form field an ``invalid_params`` name points at (``address.city`` -> ``city``)."""
    parts = api_name.split(".")
    head = parts[0]
    if head == "fee_cents":
        return "fee"
    if head == "required_documents":
        return "documents-de"
    if head in ("booking_policy", "address") and len(parts) > 1:
        return parts[1]
    if head == "opening_hours":
        return "-".join(parts[:2])
    if head == "counters" and len(parts) > 1:
        ids = list(counter_ids)
        row = str(ids.index(parts[1])) if parts[1] in ids else parts[1]
        return "-".join([head, row, *parts[2:4]])
    return "-".join(parts[:2])
