# SPDX-License-Identifier: EUPL-1.2
"""The own-data API's own shapes: what only HTTP has (the contract is loket_contracts).

What the profile service takes and answers (profile, businesses, consents, access log,
erasure, and why each field is asked for) is defined once in :mod:`loket_contracts.profile`;
a resident's appointments are :class:`loket_contracts.appointments.schemas.BookingSchema`.
Here are the gateway's alone: the export file, which the gateway assembles from every
service's part, and the consent purpose in a path.
"""
import re

from marshmallow import Schema, fields

# A consent purpose in a path (a slug): anything else is refused before any call.
CONSENT_PURPOSE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class ExportSchema(Schema):
    """Everything every service holds about me (GDPR art. 15 and 20)."""

    generated_at = fields.String(required=True)
    tenant = fields.String(required=True)
    subject = fields.String(required=True)
    services = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True,
                           metadata={"description": "profile, appointments, permits and "
                                                    "notifications, "
                                                    "each as that service exports it."})
