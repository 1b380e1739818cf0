# SPDX-License-Identifier: EUPL-1.2
"""Marshmallow schemas of the definition files: base types, tenant overlays, workflows."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from loket_contracts.statistics.measures import SERVICE_KEY

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,62}$")
FIELD_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,62}$")
FIELD_TYPES = ("text", "long_text", "date", "email", "phone", "integer", "decimal", "boolean",
               "choice", "licence_plate", "postal_code", "address")
CHANGEABLE = ("fee", "processing_days", "contact", "texts", "fields")
ROLES = ("applicant", "case_worker")



class NumberAsWritten(fields.Field):
    """A bound of a number field, kept as written (1 stays an int, 1.5 a float)."""

    def _deserialize(self, value: object, attr: str | None, data: object,
                     **kwargs: object) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("Not a number.")
        return value

class Strict(Schema):
    """Unknown keys in a definition file are mistakes."""

    class Meta:  # noqa: D106
        unknown = RAISE


class TextSchema(Strict):
    """A text in German and English."""

    de = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    en = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ChoiceSchema(Strict):
    """One option of a choice field."""

    value = fields.String(required=True, validate=validate.Length(min=1, max=60))
    label = fields.Nested(TextSchema, required=True)


class FieldSchema(Strict):
    """One form field: its type, validation, and why we need it."""

    name = fields.String(required=True, validate=FIELD_NAME)
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    required = fields.Boolean(required=True)
    label = fields.Nested(TextSchema, required=True)
    why = fields.Nested(TextSchema, required=True)
    help = fields.Nested(TextSchema)
    choices = fields.List(fields.Nested(ChoiceSchema), validate=validate.Length(min=1))
    min = NumberAsWritten()
    max = NumberAsWritten()
    max_length = fields.Integer(validate=validate.Range(min=1, max=10000))
    pattern = fields.String()

    @validates_schema
    def _choices_for_choice(self, data: dict, **kwargs: object) -> None:
        if (data["type"] == "choice") != bool(data.get("choices")):
            raise ValidationError("A choice field needs choices; other types have none.",
                                  "choices")


class DocumentSchema(Strict):
    """A document the applicant uploads."""

    id = fields.String(required=True, validate=FIELD_NAME)
    label = fields.Nested(TextSchema, required=True)
    why = fields.Nested(TextSchema, required=True)
    required = fields.Boolean(required=True)
    max_bytes = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000_000))
    content_types = fields.List(fields.String(), required=True, validate=validate.Length(min=1))


class ConditionSchema(Strict):
    """A condition on a form field's value."""

    field = fields.String(required=True, validate=FIELD_NAME)
    equals = fields.Raw(required=True)


class FeeRuleSchema(Strict):
    """``fixed`` cents, or ``per_unit``: cents x the field's value (x days between two dates)."""

    kind = fields.String(required=True, validate=validate.OneOf(("fixed", "per_unit")))
    cents = fields.Integer(required=True)
    field = fields.String(validate=FIELD_NAME)
    per_day_from = fields.String(validate=FIELD_NAME)
    per_day_to = fields.String(validate=FIELD_NAME)
    when = fields.Nested(ConditionSchema)

    @validates_schema
    def _unit_field(self, data: dict, **kwargs: object) -> None:
        if (data["kind"] == "per_unit") != ("field" in data):
            raise ValidationError("per_unit rules (only) name a field.", "field")


class FeeSchema(Strict):
    """Fee rules with optional minimum, maximum and exemptions."""

    description = fields.Nested(TextSchema)
    rules = fields.List(fields.Nested(FeeRuleSchema), required=True)
    minimum_cents = fields.Integer(validate=validate.Range(min=0))
    maximum_cents = fields.Integer(validate=validate.Range(min=0))
    exemptions = fields.List(fields.Nested(ConditionSchema))


class TransitionSchema(Strict):
    """One allowed step and who may take it."""

    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    by = fields.String(required=True, validate=validate.OneOf(ROLES))


class WorkflowSchema(Strict):
    """A workflow: states, final states, transitions."""

    states = fields.List(fields.String(), required=True)
    final = fields.List(fields.String(), required=True)
    transitions = fields.List(fields.Nested(TransitionSchema), required=True)


class BaseTypeSchema(Strict):
    """A base definition: what federal and state law fix."""

    id = fields.String(required=True, validate=SLUG)
    name = fields.Nested(TextSchema, required=True)
    description = fields.Nested(TextSchema, required=True)
    processing_days = fields.Integer(required=True, validate=validate.Range(min=1, max=365))
    overlay_may_change = fields.List(fields.String(validate=validate.OneOf(CHANGEABLE)),
                                     load_default=list)
    fee = fields.Nested(FeeSchema, required=True)
    fields_ = fields.List(fields.Nested(FieldSchema), required=True, data_key="fields",
                          attribute="fields")
    documents = fields.List(fields.Nested(DocumentSchema), load_default=list)
    workflow = fields.String(required=True, validate=SLUG)
    appointment_service = fields.String(load_default=None, validate=SLUG)
    for_businesses = fields.Boolean(load_default=False)
    # The eID trust level a resident must have signed in with to apply (issue 5).
    minimum_trust_level = fields.String(load_default="low", validate=validate.OneOf(
        ("low", "substantial", "high")))
    # The LeiKa/FIM key of the service (14 digits): figures compare across municipalities.
    service_key = fields.String(load_default=None, validate=SERVICE_KEY)


class TextsSchema(Strict):
    """Text overrides: the type's name and description, fields' label/why/help."""

    name = fields.Nested(TextSchema)
    description = fields.Nested(TextSchema)
    fields_ = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(validate=validate.OneOf(("label", "why", "help"))),
        values=fields.Nested(TextSchema)), data_key="fields", attribute="fields")


class OverlaySchema(Strict):
    """A tenant's overlay of one base type."""

    fee = fields.Nested(FeeSchema)
    processing_days = fields.Integer(validate=validate.Range(min=1, max=365))
    contact = fields.Nested(TextSchema)
    texts = fields.Nested(TextsSchema)
    fields_ = fields.List(fields.Nested(FieldSchema), data_key="fields", attribute="fields")
