# SPDX-License-Identifier: EUPL-1.2
"""The admin page's forms as RPC arguments and back (pure: no Flask, no I/O).

A form is a mapping of field name to the list of its values (``MultiDict.to_dict(flat=False)``).
Settings: ``threshold``, ``channels`` (checkboxes), ``expected-<process>`` (a percent,
empty: none expected) and ``version``; a correction: ``month`` and ``reason``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError

from loket_contracts.statistics.measures import OPTIONAL_CHANNELS
from loket_contracts.statistics.schemas import CorrectionSchema, SettingsSchema

Form = Mapping[str, list[str]]
EXPECTED = "expected-"
MONTH_PATTERN = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class FormInvalid(Exception):
    """Fields of the form that are not valid, by their form names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        super().__init__(", ".join(self.names))


def one(form: Form, name: str) -> str:
    """The first value of ``name``, stripped ("" when absent)."""
    return (form.get(name) or [""])[0].strip()


def form_version(form: Form) -> int:
    """The version the form was loaded with (-1, never a match, when it is not a number)."""
    value = one(form, "version")
    return int(value) if value.isdigit() and len(value) < 10 else -1


def percent_text(share: float | None) -> str:
    """A share 0..1 as the percent a form shows ("50", "12.5"; "" for none)."""
    if share is None:
        return ""
    return f"{Decimal(str(share)) * 100:f}".rstrip("0").rstrip(".") or "0"


def settings_form(settings: Mapping[str, Any], processes: Iterable[str]) -> dict[str, list[str]]:
    """Stored settings as form values (a field for each of ``processes``)."""
    shares = settings.get("expected_shares", {})
    form = {"threshold": [str(settings["threshold"])], "channels": list(settings["channels"]),
            "version": [str(settings.get("version", 0))]}
    for process in processes:
        form[EXPECTED + process] = [percent_text(shares.get(process))]
    return form


def _share(value: str) -> float:
    try:
        number = Decimal(value.replace(",", ".").replace("%", "").strip())
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(value)
    return float(number / 100)


def settings_body(form: Form) -> dict[str, Any]:
    """The form as ``SettingsSchema`` (loaded); :class:`FormInvalid` names bad fields."""
    bad: list[str] = []
    threshold = one(form, "threshold")
    if not re.fullmatch(r"\d{1,3}", threshold):
        bad.append("threshold")
    channels = [channel for channel in form.get("channels", []) if channel]
    if any(channel not in OPTIONAL_CHANNELS for channel in channels):
        bad.append("channels")
    shares: dict[str, float] = {}
    for name, values in form.items():
        if name.startswith(EXPECTED) and values and values[0].strip():
            try:
                shares[name[len(EXPECTED):]] = _share(values[0])
            except ValueError:
                bad.append(name)
    if bad:
        raise FormInvalid(bad)
    try:
        return SettingsSchema().load({"threshold": int(threshold),
                                      "channels": list(dict.fromkeys(channels)),
                                      "expected_shares": shares})
    except ValidationError as invalid:
        raise FormInvalid(field_names(invalid.messages_dict)) from None


def field_names(messages: Mapping[str, Any]) -> list[str]:
    """Schema error names (``expected_shares`` nested by process) as form field names."""
    names = []
    for name, detail in messages.items():
        if name == "expected_shares" and isinstance(detail, Mapping):
            names += [EXPECTED + str(key) for key in detail]
        else:
            names.append(name)
    return names


def api_field(name: str) -> str:
    """A service's ``invalid_params`` name (``expected_shares.<p>``) as the form's field."""
    head, _, rest = name.partition(".")
    return EXPECTED + rest if head == "expected_shares" and rest else head


def correction_body(form: Form) -> dict[str, Any]:
    """The correction form as ``CorrectionSchema``; :class:`FormInvalid` names bad fields."""
    try:
        return CorrectionSchema().load({"month": one(form, "month"),
                                        "reason": one(form, "reason")})
    except ValidationError as invalid:
        raise FormInvalid(invalid.messages_dict) from None
