# SPDX-License-Identifier: EUPL-1.2
"""Profile and business forms (pure): posted fields -> API bodies, stored data -> inputs.

Input names are the API's field names, with ``address.<part>`` for the address parts, so an
``invalid_params`` name is also the input's name.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError

from loket_common.errors import invalid_params
from loket_contracts.profile.schemas import BusinessPayloadSchema, ProfileUpdateSchema

ADDRESS_PARTS = ("street", "house_number", "postal_code", "city", "country")
PROFILE_FIELDS = ("given_name", "family_name", "address", "email", "phone",
                  "preferred_language", "notification_channel")
BUSINESS_FIELDS = ("company_name", "legal_form", "register_number", "address", "email")
NULLABLE = frozenset({"address", "email", "phone"})


class FormInvalid(Exception):
    """Some inputs are missing or invalid; ``names`` are the inputs' names."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def form_values(form: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """The posted inputs of ``names`` (address parts included), stripped."""
    values: dict[str, str] = {}
    for name in names:
        keys = [f"address.{part}" for part in ADDRESS_PARTS] if name == "address" else [name]
        values.update({key: (form.get(key) or "").strip() for key in keys})
    return values


def stored_values(stored: Mapping[str, Any] | None, names: tuple[str, ...]) -> dict[str, str]:
    """A stored profile or business as input values."""
    values: dict[str, str] = {}
    for name in names:
        value = (stored or {}).get(name)
        if name == "address":
            values.update({f"address.{part}": str((value or {}).get(part) or "")
                           for part in ADDRESS_PARTS})
        else:
            values[name] = "" if value is None else str(value)
    return values


def _body(values: dict[str, str], names: tuple[str, ...], required: set[str],
          schema: Schema) -> dict[str, Any]:
    """``values`` as a request body for ``schema``; :class:`FormInvalid` naming bad inputs."""
    body: dict[str, Any] = {}
    missing = []
    for name in names:
        if name == "address":
            parts = {part: values.get(f"address.{part}", "") for part in ADDRESS_PARTS}
            filled = {part: value for part, value in parts.items() if value}
            body[name] = filled or None
        else:
            body[name] = values.get(name, "") or None
        if body[name] is None:
            if name in required:
                missing.append(name)
            if name not in NULLABLE:
                del body[name]
    try:
        schema.load(body)
    except ValidationError as invalid:
        missing += [item["name"] for item in invalid_params(invalid.messages)
                    if item["name"] not in missing]
    if missing:
        raise FormInvalid(missing)
    return body


def profile_body(values: dict[str, str], required: set[str]) -> dict[str, Any]:
    """A profile change (every field of the form; cleared optional fields become null)."""
    return _body(values, PROFILE_FIELDS, required, ProfileUpdateSchema())


def business_body(values: dict[str, str]) -> dict[str, Any]:
    """A business profile."""
    return _body(values, BUSINESS_FIELDS, {"company_name"}, BusinessPayloadSchema())


def input_name(param: str) -> str:
    """The input an ``invalid_params`` name belongs to (``address`` -> ``address.street``)."""
    return "address.street" if param == "address" else param
