# SPDX-License-Identifier: EUPL-1.2
"""The contract of the residents' own-data API (``/me``).

Profile, businesses, consents, access log, export and erasure. Every field a resident
sends says why it is asked for.
"""
from marshmallow import Schema, fields, validate

from loket_contracts.common import why

LANGUAGES = ("de", "en")
CHANNELS = ("email", "post", "none")
PURPOSE = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def _text(max_length: int, **metadata) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length), metadata=metadata)


class PostalAddressSchema(Schema):
    """A postal address in a profile or business profile (replaced as a whole)."""

    street = fields.String(required=True, validate=validate.Length(min=1, max=100),
                           metadata=why("Straße der Anschrift.", "The street of the address."))
    house_number = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                 metadata=why("Hausnummer der Anschrift.",
                                              "The house number of the address."))
    postal_code = fields.String(required=True,
                                validate=validate.Regexp(r"^[0-9A-Za-z -]{3,10}$"),
                                metadata=why("Postleitzahl der Anschrift.",
                                             "The postal code of the address."))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata=why("Ort der Anschrift.", "The town of the address."))
    country = fields.String(validate=validate.Regexp(r"^[A-Z]{2}$"), metadata=why(
        "Land als zweistelliger Code (Standard: DE).",
        "Country as a two-letter code (default: DE)."))


class ProfileUpdateSchema(Schema):
    """A change to my profile: only the fields sent change."""

    given_name = _text(100, **why("Um Sie anzusprechen.", "To address you."))
    family_name = _text(100, **why(
        "Gesetzlich nötig, um Sie in Verwaltungsverfahren zu identifizieren.",
        "Required by law to identify you in administrative procedures."))
    address = fields.Nested(PostalAddressSchema, allow_none=True, metadata=why(
        "Für Bescheide, die per Post zugestellt werden müssen.",
        "For decisions that must be delivered by post."))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254), metadata=why(
        "Nur für Bestätigungen und Statusmeldungen.",
        "Only to send you confirmations and status updates."))
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()/-]{5,30}$"),
                          metadata=why("Freiwillig: für Rückfragen zu Ihren Anträgen.",
                                       "Optional: for questions about your applications."))
    preferred_language = fields.String(validate=validate.OneOf(LANGUAGES), metadata=why(
        "Um Ihnen in Ihrer Sprache zu schreiben.", "To write to you in your language."))
    notification_channel = fields.String(validate=validate.OneOf(CHANNELS), metadata=why(
        "Wie Sie Nachrichten erhalten möchten (E-Mail, Post oder keine).",
        "How you want to receive messages (email, post or none)."))


class ProfileSchema(ProfileUpdateSchema):
    """My profile as the profile service holds it."""

    subject = fields.String(required=True, metadata={"description": "Pseudonymous id."})
    trust_level = fields.String(allow_none=True, metadata={
        "description": "The trust level of the last sign-in: low, substantial or high."})
    created_at = fields.String()
    updated_at = fields.String()
    last_sign_in_at = fields.String(allow_none=True)
    version = fields.Integer()


class ProfileFieldSchema(Schema):
    """A profile field, whether it is required, and why it is asked for."""

    name = fields.String(required=True)
    why_de = fields.String(required=True)
    why_en = fields.String(required=True)
    required = fields.Boolean(required=True)


class BusinessRequestSchema(Schema):
    """A business I represent; each field says why it is asked for."""

    company_name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 metadata=why("Um das Unternehmen zu bezeichnen.",
                                              "To name the business."))
    legal_form = fields.String(allow_none=True, validate=validate.Length(max=50), metadata=why(
        "Bestimmt, welche Nachweise ein Antrag braucht.",
        "Decides which proofs an application needs."))
    register_number = fields.String(allow_none=True,
                                    validate=validate.Regexp(r"^[A-Za-z0-9 ./-]{1,40}$"),
                                    metadata=why(
        "Um das Unternehmen im Handelsregister zu finden.",
        "To find the business in the commercial register."))
    address = fields.Nested(PostalAddressSchema, allow_none=True, metadata=why(
        "Sitz des Unternehmens, für Bescheide.", "The registered office, for decisions."))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254), metadata=why(
        "Für Bestätigungen an das Unternehmen.", "For confirmations to the business."))


class BusinessSchema(BusinessRequestSchema):
    """A business profile and its representatives."""

    id = fields.String(required=True)
    representatives = fields.List(fields.String(), metadata={
        "description": "The subjects of the residents who represent it."})
    version = fields.Integer()


class ConsentSchema(Schema):
    """A purpose I may consent to, and whether and when I did."""

    purpose = fields.String(required=True)
    title_de = fields.String()
    title_en = fields.String()
    text_de = fields.String()
    text_en = fields.String()
    given = fields.Boolean(required=True)
    given_at = fields.String(allow_none=True)
    withdrawn_at = fields.String(allow_none=True)


class AccessLogEntrySchema(Schema):
    """One time staff read my data: who, in which role, for what, in which service."""

    at = fields.String(required=True)
    actor_name = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    purpose = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    record = fields.String(allow_none=True)


class OwnBookingSchema(Schema):
    """One of my appointments."""

    reference = fields.String(required=True)
    state = fields.String()
    service_id = fields.String()
    office_id = fields.String()
    start = fields.String()
    end = fields.String()


class ExportSchema(Schema):
    """Everything every service holds about me (GDPR art. 15 and 20)."""

    generated_at = fields.String(required=True)
    tenant = fields.String(required=True)
    subject = fields.String(required=True)
    services = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True,
                           metadata={"description": "profile, appointments and permits, "
                                                    "each as that service exports it."})


class ServiceErasureSchema(Schema):
    """One service's part of an erasure."""

    state = fields.String(required=True, metadata={"description": "pending or done"})
    at = fields.String(allow_none=True)


class ErasureSchema(Schema):
    """My erasure request and each service's progress (GDPR art. 17)."""

    id = fields.String(required=True)
    state = fields.String(required=True, metadata={"description": "in_progress or completed"})
    requested_at = fields.String(required=True)
    completed_at = fields.String(allow_none=True)
    services = fields.Dict(keys=fields.String(), values=fields.Nested(ServiceErasureSchema),
                           required=True)
