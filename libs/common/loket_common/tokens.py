# SPDX-License-Identifier: EUPL-1.2
"""Secrets are stored and compared only as hashes (profile tokens, manage links, staff)."""
import hashlib


def token_hash(token: str) -> str:
    """The SHA-256 hex digest kept in place of ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()
