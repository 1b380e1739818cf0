# SPDX-License-Identifier: EUPL-1.2
"""The profile service's own edge: subject ids, field descriptions, other services' events.

What crosses RPC (profiles, businesses, staff access) is in ``loket_contracts.profile``.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from loket_common.errors import ValidationFailed
from loket_contracts.profile.schemas import PURPOSE, STAFF_SUBJECT

SUBJECT = re.compile(r"^r-[0-9a-f]{32}$")


def checked_subject(subject: Any, name: str = "subject") -> str:
    """``subject`` if it is a resident's pseudonymous id (``r-`` + 32 hex), else 400."""
    if not isinstance(subject, str) or not SUBJECT.match(subject):
        raise ValidationFailed("Not a resident's subject id.", invalid_params=[
            {"name": name, "reason": "Expected 'r-' followed by 32 hexadecimal characters."}])
    return subject


def checked_staff_subject(subject: Any, name: str = "subject") -> str:
    """``subject`` if it is a staff member's pseudonymous id (``staff:`` + id), else 400."""
    if not isinstance(subject, str) or not STAFF_SUBJECT.match(subject):
        raise ValidationFailed("Not a staff subject id.", invalid_params=[
            {"name": name, "reason": "Expected 'staff:' followed by an id."}])
    return subject


def field_descriptions(schema: Schema, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """``[{name, why_de, why_en, required}]`` of ``schema``'s fields; nested ones add ``fields``."""
    described = []
    for name, field in schema.fields.items():
        entry = {"name": name, "why_de": field.metadata["why"]["de"],
                 "why_en": field.metadata["why"]["en"], "required": name in required}
        if isinstance(field, fields.Nested):
            inner = field.schema
            entry["fields"] = field_descriptions(
                inner, tuple(n for n, f in inner.fields.items() if f.required))
        described.append(entry)
    return described


class ReportedActorSchema(Schema):
    """The staff member in another service's report: the name may be unknown there.

    Lenient on purpose: a report we refused would be a staff read the resident never sees.
    """

    class Meta:
        """Fields we do not know are left out."""

        unknown = EXCLUDE

    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    role = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))


class AccessEventSchema(Schema):
    """The data of a ``personal_data_accessed`` event from another service."""

    class Meta:
        """Fields we do not know are left out."""

        unknown = EXCLUDE

    subject = fields.String(required=True, validate=validate.Regexp(SUBJECT))
    actor = fields.Nested(ReportedActorSchema, required=True)
    purpose = fields.String(required=True, validate=PURPOSE)
    service = fields.String(required=True, validate=validate.Length(min=1, max=50))
    record = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    at = fields.AwareDateTime(required=True)


class ErasureConfirmationSchema(Schema):
    """The data of an ``erasure_completed`` event."""

    class Meta:
        """Fields we do not know are left out."""

        unknown = EXCLUDE

    request_id = fields.String(required=True)
    service = fields.String(required=True)
    deleted = fields.Raw(load_default=None)
    anonymised = fields.Raw(load_default=None)
