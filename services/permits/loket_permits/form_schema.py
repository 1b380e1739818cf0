# SPDX-License-Identifier: EUPL-1.2
"""Marshmallow schemas generated from a type's field definitions.

``draft`` mode checks what is entered (types and each field's validation) but lets
fields be missing (a draft may be incomplete); ``submit`` mode also enforces required
fields. Errors name the field.
"""
from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from loket_common.validation import load

LICENCE_PLATE = r"^[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2} ?[1-9][0-9]{0,3}[EH]?$"
POSTAL_CODE = r"^[0-9]{5}$"
PHONE = r"^\+?[0-9][0-9 ()/-]{4,29}$"
TEXT_LIMIT = {"text": 200, "long_text": 5000}


def _address(submit: bool) -> type[Schema]:
    return Schema.from_dict({
        "street": fields.String(required=submit, validate=validate.Length(min=1, max=200)),
        "postal_code": fields.String(required=submit, validate=validate.Regexp(POSTAL_CODE)),
        "city": fields.String(required=submit, validate=validate.Length(min=1, max=100)),
    }, name="Address")


def _validators(field: dict[str, Any]) -> list[validate.Validator]:
    kind = field["type"]
    checks: list[validate.Validator] = []
    if kind in TEXT_LIMIT:
        checks.append(validate.Length(min=1, max=field.get("max_length", TEXT_LIMIT[kind])))
    if "pattern" in field:
        checks.append(validate.Regexp(field["pattern"]))
    if kind in ("integer", "decimal") and ("min" in field or "max" in field):
        checks.append(validate.Range(min=field.get("min"), max=field.get("max")))
    if kind == "choice":
        checks.append(validate.OneOf([choice["value"] for choice in field["choices"]]))
    if kind == "licence_plate":
        checks.append(validate.Regexp(LICENCE_PLATE))
    if kind == "postal_code":
        checks.append(validate.Regexp(POSTAL_CODE))
    if kind == "phone":
        checks.append(validate.Regexp(PHONE))
    return checks


def _field(field: dict[str, Any], submit: bool) -> fields.Field:
    """The marshmallow field for one definition; required only when submitting."""
    kind = field["type"]
    options: dict[str, Any] = {"required": submit and field["required"],
                               "allow_none": not (submit and field["required"]),
                               "validate": _validators(field)}
    if kind == "address":
        return fields.Nested(_address(submit), **options)
    if kind == "date":
        return fields.Date(**options)
    if kind == "email":
        return fields.Email(**options)
    if kind == "integer":
        return fields.Integer(strict=True, **options)
    if kind == "decimal":
        return fields.Decimal(places=2, as_string=True, allow_nan=False, **options)
    if kind == "boolean":
        return fields.Boolean(**options)
    return fields.String(**options)


def form_schema(type_definition: dict[str, Any], mode: str) -> Schema:
    """A schema for the form data of ``type_definition``; ``mode`` is draft or submit."""
    submit = mode == "submit"
    generated = Schema.from_dict(
        {field["name"]: _field(field, submit) for field in type_definition["fields"]},
        name=f"Form_{type_definition['id']}_{mode}")
    return generated(unknown=RAISE)


def checked_data(type_definition: dict[str, Any], data: Any, mode: str) -> dict[str, Any]:
    """``data`` validated in ``mode`` and returned as stored (dates and decimals as strings)."""
    schema = form_schema(type_definition, mode)
    return schema.dump(load(schema, data))
