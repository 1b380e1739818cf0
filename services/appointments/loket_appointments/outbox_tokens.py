# SPDX-License-Identifier: EUPL-1.2
"""Seal the tokens of outbox entries written before tokens were sealed; run by the seed command.

Until issue 12, ``appointment_booked`` held ``manage_token`` in plain (and
``appointment_lottery_result`` the same inside ``booking``), ``appointment_lottery_entered``
its ``status_token``. Each such entry, published or not, gets the token sealed to the
notifications service (``sealed_manage_token``, ``sealed_status_token``) and the plain one
removed, so an event still waiting for its relay keeps what its email needs. Running it
again changes nothing.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from loket_common.mongo import TenantCollection
from loket_common.outbox import OUTBOX
from loket_common.sealing import Sealer

# (where the plain token is inside an event's data, the field its sealed form goes to)
PLAIN_TOKENS = (("manage_token", "sealed_manage_token"),
                ("status_token", "sealed_status_token"),
                ("booking.manage_token", "booking.sealed_manage_token"))


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def seal_plain_outbox_tokens(database: Database, sealer: Sealer) -> int:
    """Replace every plain token in the outbox by its sealed form; return how many entries."""
    outbox = database[OUTBOX]
    wanted = [{f"message.data.{plain}": {"$type": "string"}} for plain, _ in PLAIN_TOKENS]
    sealed = 0
    for entry in outbox.find({"$or": wanted}):
        data = entry["message"]["data"]
        found = {plain: _at(data, plain) for plain, _ in PLAIN_TOKENS
                 if isinstance(_at(data, plain), str)}
        changes = {f"message.data.{target}": sealer.seal(found[plain])
                   for plain, target in PLAIN_TOKENS if plain in found}
        sealed += TenantCollection(outbox, entry["tenant"]).update_one(
            {"_id": entry["_id"], **{f"message.data.{plain}": token
                                     for plain, token in found.items()}},
            {"$set": changes, "$unset": {f"message.data.{plain}": "" for plain in found}},
        ).modified_count
    return sealed
