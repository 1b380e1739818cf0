# SPDX-License-Identifier: EUPL-1.2
"""Signed-in page sessions: ``session["resident"]`` and ``session["staff"]``, kept apart.

Each holds ``tenant``, ``subject``, ``name``, ``login_at``, ``seen_at`` and its kind's
details (``trust_level`` for residents, ``roles`` for staff). A session ends after a time
without requests (inactivity) and a time after sign-in (absolute), per kind, from
:class:`~loket_gateway.core.settings.Settings`; signing one kind in or out never touches the
other. Times come from :data:`clock` so tests can move them.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import current_app, g, session

RESIDENT, STAFF = "resident", "staff"
CSRF_SESSION_KEY = "csrf_token"  # Flask-WTF's, in the session and cached in g
KINDS = (RESIDENT, STAFF)
# Seconds since the epoch; tests replace it to move time.
clock: Callable[[], float] = time.time


def limits(kind: str) -> tuple[float, float]:
    """(inactivity, absolute) limits in seconds for ``kind``."""
    settings = current_app.extensions["loket_settings"]
    if kind == RESIDENT:
        return settings.resident_idle_minutes * 60, settings.resident_max_minutes * 60
    return settings.staff_idle_minutes * 60, settings.staff_max_minutes * 60


def start(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Sign ``kind`` in with ``data`` (tenant, subject, name, ...); the other kind stays."""
    now = int(clock())
    session[kind] = {**data, "login_at": now, "seen_at": now}
    # A new CSRF token after sign-in: a token planted before it is worth nothing.
    session.pop(CSRF_SESSION_KEY, None)
    g.pop(CSRF_SESSION_KEY, None)
    return session[kind]


def end(kind: str) -> None:
    """Sign ``kind`` out; the other kind stays signed in."""
    session.pop(kind, None)


def expired(entry: dict[str, Any], kind: str, now: float) -> bool:
    """Whether ``entry`` has passed its inactivity or absolute limit at ``now``."""
    idle, absolute = limits(kind)
    return (now - entry.get("seen_at", 0) > idle) or (now - entry.get("login_at", 0) > absolute)


def current(kind: str, tenant: str) -> dict[str, Any] | None:
    """The signed-in ``kind`` of ``tenant`` (refreshing its inactivity time), else None.

    An expired session is signed out here and ``g.session_expired`` is set, so the sign-in
    page can say why.
    """
    entry = session.get(kind)
    if not isinstance(entry, dict) or entry.get("tenant") != tenant:
        return None
    now = clock()
    if expired(entry, kind, now):
        end(kind)
        g.session_expired = True
        return None
    if int(now) != entry.get("seen_at"):
        session[kind] = {**entry, "seen_at": int(now)}
    return session[kind]
