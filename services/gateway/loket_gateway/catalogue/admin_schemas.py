# SPDX-License-Identifier: EUPL-1.2
"""The tenant admins' catalogue API's own shapes (the contract is loket_contracts).

Offices, services, closures and the audit trail are defined once in
:mod:`loket_contracts.appointments.catalogue`; here is what only HTTP has: the audit
trail's query and what a PUT body leaves to the path (the id) or keeps (closures).
"""
from marshmallow import Schema, fields, validate

from loket_contracts.appointments import catalogue as contract
from loket_contracts.common import SLUG

PATH_ID = {"description": "Optional; must equal the path's id."}


class OfferedServiceBodySchema(contract.OfferedServiceSchema):
    """An offered service as a PUT sends it (replaced as a whole; the id is the path's)."""

    id = fields.String(validate=SLUG, metadata=PATH_ID)


class OfficeBodySchema(contract.OfficeSchema):
    """An office as a PUT sends it (replaced as a whole but for omitted closures)."""

    id = fields.String(validate=SLUG, metadata=PATH_ID)
    closures = fields.List(fields.Nested(contract.ClosureSchema), metadata={
        "description": "Omit to keep the office's closures (they have their own resource)."})


class ChangesQuerySchema(Schema):
    """How many changes to list."""

    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
