# SPDX-License-Identifier: EUPL-1.2
"""Profiles and businesses over RPC: what residents send (each field says why), what they get.

Every field a resident fills in says why we ask (``metadata['why']`` in German and English);
the profile service's ``profile_fields()`` and the gateway's pages and OpenAPI document show
these same texts.
"""
from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, fields, validate

from ..common import LANGUAGES, Instant, why

CHANNELS = ("email", "sms", "post", "none")
TRUST_LEVELS = ("low", "substantial", "high")
STAFF_SUBJECT = re.compile(r"^staff:[A-Za-z0-9._-]{1,100}$")
NAME = validate.Length(min=1, max=100)
PURPOSE = validate.Length(min=1, max=500)
# The profile fields a resident must fill in (the others are optional).
REQUIRED_FIELDS = ("given_name", "family_name")


class AddressSchema(Schema):
    """A postal address in a profile or business profile (replaced as a whole)."""

    street = fields.String(required=True, validate=validate.Length(min=1, max=100),
                           metadata=why("Straße Ihrer Anschrift.", "The street of your address."))
    house_number = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                 metadata=why("Hausnummer Ihrer Anschrift.",
                                              "The house number of your address."))
    postal_code = fields.String(required=True, validate=validate.Regexp(r"^[0-9A-Za-z -]{3,10}$"),
                                metadata=why("Postleitzahl Ihrer Anschrift.",
                                             "The postal code of your address."))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata=why("Ort Ihrer Anschrift.", "The town of your address."))
    country = fields.String(load_default="DE", validate=validate.Regexp(r"^[A-Z]{2}$"),
                            metadata=why("Land als zweistelliger Code (DE).",
                                         "Country as a two-letter code (DE)."))


class ProfileUpdateSchema(Schema):
    """What a resident may change in their profile; any subset of the fields."""

    given_name = fields.String(validate=NAME, metadata=why(
        "Damit wir Sie ansprechen und Ihre Anträge am Schalter zuordnen können.",
        "To address you and to match your applications to you at the counter."))
    family_name = fields.String(validate=NAME, metadata=why(
        "Gesetzlich vorgeschrieben, um Sie in Verwaltungsverfahren zu identifizieren.",
        "Required by law to identify you in administrative procedures."))
    address = fields.Nested(AddressSchema, allow_none=True, metadata=why(
        "Für Bescheide per Post und für Anträge, die Ihre Anschrift brauchen (z. B. "
        "Bewohnerparken). Freiwillig.",
        "For decisions sent by post and for applications that need your address (e.g. a "
        "residents' parking permit). Optional."))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254), metadata=why(
        "Nur für Bestätigungen und, wenn Sie zustimmen, Statusmeldungen. Freiwillig.",
        "Only for confirmations and, if you agree, status updates. Optional."))
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()/-]{5,30}$"),
                          metadata=why("Für Rückfragen zu Ihren Anträgen und für "
                                       "Nachrichten per SMS, wenn Sie SMS wählen. Freiwillig.",
                                       "For questions about your applications and for text "
                                       "messages if you choose SMS. Optional."))
    preferred_language = fields.String(validate=validate.OneOf(LANGUAGES), metadata=why(
        "In dieser Sprache schreiben wir Ihnen.", "We write to you in this language."))
    notification_channel = fields.String(validate=validate.OneOf(CHANNELS), metadata=why(
        "Wie wir Sie benachrichtigen: per E-Mail, per SMS (an Ihre Telefonnummer), per Post "
        "oder gar nicht.",
        "How we notify you: by email, by text message (SMS, to your phone number), by post or "
        "not at all."))


class SignInClaimsSchema(Schema):
    """What the identity provider says about a resident at sign-in (other claims ignored)."""

    class Meta:
        """Fields we do not know are left out."""

        unknown = EXCLUDE

    given_name = fields.String(load_default=None, allow_none=True, validate=NAME)
    family_name = fields.String(load_default=None, allow_none=True, validate=NAME)
    email = fields.Email(load_default=None, allow_none=True)
    trust_level = fields.String(required=True, validate=validate.OneOf(TRUST_LEVELS))
    preferred_language = fields.String(load_default=None, allow_none=True,
                                       validate=validate.OneOf(LANGUAGES))


class ProfileSchema(Schema):
    """A profile as returned to its owner (and to staff, after the access is logged)."""

    subject = fields.String(required=True, metadata={"description": "Pseudonymous id."})
    given_name = fields.String(allow_none=True)
    family_name = fields.String(allow_none=True)
    address = fields.Nested(AddressSchema, allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    preferred_language = fields.String(required=True)
    notification_channel = fields.String(required=True)
    trust_level = fields.String(allow_none=True, metadata={
        "description": "The trust level of the last sign-in: low, substantial or high."})
    created_at = Instant(required=True)
    updated_at = Instant(required=True)
    last_sign_in_at = Instant(allow_none=True)
    version = fields.Integer(required=True)


class BusinessPayloadSchema(Schema):
    """A business profile as its representative saves it (replaced as a whole)."""

    company_name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 metadata=why("Name des Unternehmens, für das Sie handeln.",
                                              "The name of the business you act for."))
    legal_form = fields.String(load_default=None, allow_none=True,
                               validate=validate.Length(max=50),
                               metadata=why("Rechtsform (z. B. GmbH), für Bescheide.",
                                            "Legal form (e.g. GmbH), for decisions."))
    register_number = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Regexp(r"^[A-Za-z0-9 ./-]{1,40}$"),
                                    metadata=why("Handelsregisternummer, um das Unternehmen "
                                                 "eindeutig zu erkennen. Freiwillig.",
                                                 "Commercial register number, to identify the "
                                                 "business. Optional."))
    address = fields.Nested(AddressSchema, load_default=None, allow_none=True,
                            metadata=why("Geschäftsanschrift für Bescheide per Post.",
                                         "Business address for decisions sent by post."))
    email = fields.Email(load_default=None, allow_none=True,
                         metadata=why("Für Bestätigungen an das Unternehmen. Freiwillig.",
                                      "For confirmations to the business. Optional."))


class BusinessSchema(BusinessPayloadSchema):
    """A business profile as returned to its representatives."""

    id = fields.String(required=True)
    representatives = fields.List(fields.String(), required=True, metadata={
        "description": "The subjects of the residents who represent it."})
    created_at = Instant(required=True)
    updated_at = Instant(required=True)
    version = fields.Integer(required=True)


class ActorSchema(Schema):
    """A staff member who reads personal data."""

    subject = fields.String(required=True, validate=validate.Regexp(STAFF_SUBJECT))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.Length(min=1, max=50))


class StaffAccessSchema(Schema):
    """Who reads a person's data and why (``staff_view_profile``)."""

    actor = fields.Nested(ActorSchema, required=True)
    purpose = fields.String(required=True, validate=PURPOSE)


class StaffClaimsSchema(Schema):
    """What the staff identity provider says at a staff sign-in (``record_staff_contact``).

    Other claims are ignored; a language the service does not speak is dropped (German).
    """

    class Meta:
        """Fields we do not know are left out."""

        unknown = EXCLUDE

    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    given_name = fields.String(load_default=None, allow_none=True, validate=NAME)
    family_name = fields.String(load_default=None, allow_none=True, validate=NAME)
    preferred_language = fields.String(load_default=None, allow_none=True,
                                       validate=validate.Length(max=35))


class StaffContactSchema(Schema):
    """A member of staff's contact for notifications (``staff_contact``)."""

    email = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    language = fields.String(required=True, metadata={"description": "de or en."})


class NotificationContactSchema(StaffContactSchema):
    """A resident's contact for notifications (``contact_for_notification``)."""

    notification_channel = fields.String(required=True, validate=validate.OneOf(CHANNELS),
                                         metadata={"description": "email, sms, post or none."})
    phone = fields.String(allow_none=True, metadata={
        "description": "The phone number as the resident entered it (for sms)."})
    consents = fields.List(fields.String(), required=True, metadata={
        "description": "The purposes the resident consented to (e.g. email_status_updates)."})
