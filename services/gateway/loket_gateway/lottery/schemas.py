# SPDX-License-Identifier: EUPL-1.2
"""The lottery API's own shape: what only HTTP has (the contract is loket_contracts).

Releases, entries and results are defined once in :mod:`loket_contracts.appointments.lottery`;
here is the HTTP-only addition: the status link on an accepted entry.
"""
from marshmallow import fields

from loket_contracts.appointments.lottery import EnteredSchema


class EnteredWithLinkSchema(EnteredSchema):
    """An accepted entry: keep the status link, it is the only key to the result."""

    status_url = fields.String(required=True)
