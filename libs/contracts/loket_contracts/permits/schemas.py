# SPDX-License-Identifier: EUPL-1.2
"""What the permits service's RPCs take: the applicant, staff, companies, requests, queries.

The service validates these at its edge; an application's form ``data`` is checked by the
service against its type's fields (generated schemas, not part of the contract).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..common import Day
from .file_names import FileName

# Days an applicant has to answer a request for information unless the case worker says.
ANSWER_DAYS = 14

STATES = ("draft", "submitted", "in_review", "information_requested", "approved", "rejected",
          "withdrawn")
STAFF_ROLES = ("case_worker", "tenant_admin")
SUBJECT = validate.Length(min=1, max=200)


class ApplicantSchema(Schema):
    """The person applying: a pseudonymous subject id and a display name."""

    subject = fields.String(required=True, validate=SUBJECT)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    language = fields.String(load_default=None, validate=validate.OneOf(("de", "en")))


class ActorSchema(Schema):
    """A member of staff of the tenant (the gateway checked the role)."""

    subject = fields.String(required=True, validate=SUBJECT)
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    name = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=200))


class OnBehalfOfSchema(Schema):
    """The company a representative applies for."""

    company_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    register_number = fields.String(load_default=None, validate=validate.Length(max=40))
    role = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={
        "description": "The applicant's role in the business, e.g. managing director."})


class InformationRequestSchema(Schema):
    """What a case worker asks the applicant to add."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    fields_ = fields.List(fields.String(validate=validate.Length(max=63)), load_default=list,
                          data_key="fields", attribute="fields",
                          metadata={"description": "Form fields the applicant should change."})
    answer_by = Day(allow_none=True, metadata={
        "description": f"The day by which the applicant should answer (not in the past; "
                       f"default: {ANSWER_DAYS} days after the request). Shown to the "
                       "applicant."})


class ReasonSchema(Schema):
    """A free-text reason or message (optional unless a step needs it)."""

    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class UploadSchema(Schema):
    """The document and file name of an upload."""

    document_id = fields.String(required=True, validate=validate.Length(min=1, max=63),
                                metadata={"description": "Which of the type's documents "
                                                         "this is."})
    filename = FileName(required=True, metadata={
        "description": "Cleaned: no control or bidirectional characters, no path "
                       "(loket_contracts.permits.file_names)."})


class QueueQuerySchema(Schema):
    """Filters and paging of the case workers' queue (``case_queue``)."""

    type_id = fields.String(load_default=None, validate=validate.Length(max=63))
    state = fields.String(load_default=None, validate=validate.OneOf(STATES[1:]))
    assigned_to = fields.String(load_default=None, validate=SUBJECT)
    overdue = fields.Boolean(load_default=None, allow_none=True)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    after = fields.String(load_default=None, allow_none=True,
                          validate=validate.Length(max=500),
                          metadata={"description": "The previous page's next cursor."})
