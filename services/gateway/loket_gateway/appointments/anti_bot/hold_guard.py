# SPDX-License-Identifier: EUPL-1.2
"""What a hold must show: a proof of work for the tenant's hold scope (per-tenant difficulty).

Used by the JSON API and the booking pages alike; the challenge id it returns is recorded
by the appointments service, so each challenge buys one hold.
"""
from __future__ import annotations

from flask import current_app, g, request

from ...core.tenants import Tenant
from ...identity.access import optional_subject
from ...identity.subjects import keyed_pseudonym
from .proof_of_work import ProofOfWorkFailed, issue_challenge, verify, verify_waited


def hold_scope(tenant: Tenant) -> str:
    """The scope of a tenant's hold challenges (a challenge for another tenant fails)."""
    return f"hold:{tenant.id}"


def client_key(tenant_id: str) -> str:
    """A pseudonymous key of the client address, for the per-client hold limit."""
    return keyed_pseudonym(tenant_id, "address", str(request.remote_addr))


def person_key() -> str:
    """A pseudonym of the person behind a booking request, for rate limits.

    The signed-in resident's subject when there is one; else a keyed pseudonym of the email
    the request names; a request with neither counts against its address instead.
    """
    tenant = (request.view_args or {}).get("tenant", "") or getattr(g.get("tenant"), "id", "")
    subject = optional_subject(tenant) if tenant else None
    if subject:
        return "subject:" + subject
    source = request.get_json(silent=True) if request.is_json else request.form
    email = source.get("email") if isinstance(source, dict) else None
    if not isinstance(email, str) or "@" not in email:
        return "address:" + keyed_pseudonym(tenant, "address", str(request.remote_addr))
    return keyed_pseudonym(tenant, "email", email.strip().lower())


def _secret() -> str:
    return current_app.extensions["loket_settings"].secret


def new_hold_challenge(tenant: Tenant) -> dict | None:
    """A challenge for a hold at ``tenant``, or None if its difficulty is 0 (switched off)."""
    if tenant.pow_difficulty <= 0:
        return None
    return issue_challenge(_secret(), tenant.pow_difficulty, hold_scope(tenant))


def proven_challenge_id(tenant: Tenant, solution: str | None, token: str | None) -> str | None:
    """The single-use id of the challenge the request solved (or waited for).

    None when the tenant switched proof of work off; :class:`ProofOfWorkFailed` when the
    request brings neither a valid solution nor a token whose wait is over.
    """
    if tenant.pow_difficulty <= 0:
        return None
    if solution:
        return verify(_secret(), solution, hold_scope(tenant))
    if token:
        return verify_waited(_secret(), token, hold_scope(tenant))
    raise ProofOfWorkFailed("A hold needs a solved check: get one from the challenges "
                            "resource and send 'pow_solution' (or 'pow_token' after its wait).")
