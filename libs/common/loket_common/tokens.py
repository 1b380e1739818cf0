# SPDX-License-Identifier: EUPL-1.2
"""Secrets that open something are stored and compared only as hashes.

Today: a booking's manage token and a lottery entry's status token (appointments). Where
such a token must reach another service it travels sealed (:mod:`loket_common.sealing`),
never in plain. A plain SHA-256 is enough here, unlike for personal values (blind
indexes): the tokens are 192 random bits, so no guess can be hashed to find one.
"""
import hashlib


def token_hash(token: str) -> str:
    """The SHA-256 hex digest kept in place of ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()
