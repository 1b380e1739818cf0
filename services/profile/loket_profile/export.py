# SPDX-License-Identifier: EUPL-1.2
"""The subject access export (GDPR Art. 15, 20): everything profile holds about one person."""
from __future__ import annotations

from typing import Any

from .dependencies import ProfileStore
from .exceptions import ProfileNotFound


def export_subject(store: ProfileStore, tenant: str, subject: str) -> dict[str, Any]:
    """Profile, businesses, consents with their history, access log and erasure requests."""
    try:
        profile = store.profiles.get(tenant, subject)
    except ProfileNotFound:
        profile = None
    return {
        "service": "profile",
        "subject": subject,
        "profile": profile,
        "businesses": store.businesses.list(tenant, subject),
        "consents": store.consents.list(tenant, subject, with_history=True),
        "access_log": store.access_log.list(tenant, subject),
        "erasure_requests": store.erasures.history(tenant, subject),
    }
