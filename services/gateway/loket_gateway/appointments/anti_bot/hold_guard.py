# SPDX-License-Identifier: EUPL-1.2
"""What a hold must show: a proof of work for the tenant's hold scope, and who books.

The difficulty is the tenant's, doubled for a client whose address or network was busy in
the last hour (:mod:`.escalation`, counted by :mod:`.activity`). Used by the JSON API and
the booking pages alike; the challenge id it returns is recorded by the appointments
service, so each challenge buys one hold. The keys here name clients for the limits on
holds and confirmed bookings (per address, network and person).
"""
from __future__ import annotations

from functools import lru_cache

from flask import Response, current_app, g, request

from ...core.settings import Settings
from ...core.tenants import Tenant
from ...identity.access import optional_subject
from ...identity.subjects import keyed_pseudonym
from . import activity
from .escalation import Escalation, in_networks, network_of, parse_networks
from .proof_of_work import (
    ProofOfWorkFailed,
    default_wait_seconds,
    issue_challenge,
    verify,
    verify_waited,
)

CHALLENGE_TTL_SECONDS = 300  # after the wait


def hold_scope(tenant: Tenant) -> str:
    """The scope of a tenant's hold challenges (a challenge for another tenant fails)."""
    return f"hold:{tenant.id}"


def client_key(tenant_id: str) -> str:
    """A pseudonymous key of the client address, for the per-client hold limit."""
    return keyed_pseudonym(tenant_id, "address", str(request.remote_addr))


def network_key() -> str:
    """A pseudonymous key of the client's network (IPv4 /24, IPv6 /64), for booking limits."""
    return "network:" + keyed_pseudonym(_tenant_id(), "network",
                                        network_of(str(request.remote_addr)))


def exempt_client() -> bool:
    """Whether the client lies in ``RATE_LIMIT_EXEMPT_NETWORKS`` (e.g. an office's kiosk)."""
    return in_networks(str(request.remote_addr), _exempt(_settings().exempt_networks))


def confirmed(response: Response) -> bool:
    """Whether the answer confirmed a booking (API 201, pages 303): only those count."""
    return response.status_code in (201, 303)


def record_activity(tenant: Tenant) -> None:
    """Count a hold or booking of this client (raises its next challenges' difficulty)."""
    if tenant.pow_difficulty > 0 and not exempt_client():
        activity.record(activity.client_keys(tenant.id))


def person_key() -> str:
    """A pseudonym of the person behind a booking request, for rate limits.

    The signed-in resident's subject when there is one; else a keyed pseudonym of the email
    the request names; a request with neither counts against its address instead.
    """
    tenant = _tenant_id()
    subject = optional_subject(tenant) if tenant else None
    if subject:
        return "subject:" + subject
    source = request.get_json(silent=True) if request.is_json else request.form
    email = source.get("email") if isinstance(source, dict) else None
    if not isinstance(email, str) or "@" not in email:
        return "address:" + keyed_pseudonym(tenant, "address", str(request.remote_addr))
    return keyed_pseudonym(tenant, "email", email.strip().lower())


def _tenant_id() -> str:
    return (request.view_args or {}).get("tenant", "") or getattr(g.get("tenant"), "id", "")


def _settings() -> Settings:
    return current_app.extensions["loket_settings"]


@lru_cache(maxsize=4)
def _exempt(text: str) -> tuple:
    return parse_networks(text)


def _secret() -> str:
    return _settings().secret


def escalation() -> Escalation:
    """The free allowances and cap from the settings."""
    settings = _settings()
    return Escalation(settings.pow_free_per_address, settings.pow_free_per_network,
                      settings.pow_max_doublings)


def new_hold_challenge(tenant: Tenant) -> dict | None:
    """A challenge for a hold at ``tenant``, or None if its difficulty is 0 (switched off).

    Its difficulty and no-JS wait rise with the client's recent activity, this challenge
    included.
    """
    if tenant.pow_difficulty <= 0:
        return None
    base, wait = tenant.pow_difficulty, default_wait_seconds(tenant.pow_difficulty)
    if not exempt_client():
        keys = activity.client_keys(tenant.id)
        activity.record(keys)  # this challenge counts too
        counts = activity.recent(keys)
        rising = escalation()
        base, wait = rising.difficulty(base, *counts), rising.wait_seconds(wait, *counts)
    return issue_challenge(_secret(), base, hold_scope(tenant),
                           ttl_seconds=CHALLENGE_TTL_SECONDS + wait, wait_seconds=wait)


def proven_challenge_id(tenant: Tenant, solution: str | None, token: str | None) -> str | None:
    """The single-use id of the challenge the request solved (or waited for).

    None when the tenant switched proof of work off; :class:`ProofOfWorkFailed` when the
    request brings neither a valid solution nor a token whose wait is over.
    """
    if tenant.pow_difficulty <= 0:
        return None
    if solution or token:
        proven = (verify(_secret(), solution, hold_scope(tenant)) if solution
                  else verify_waited(_secret(), str(token), hold_scope(tenant)))
        record_activity(tenant)  # a hold tried
        return proven
    raise ProofOfWorkFailed("A hold needs a solved check: get one from the challenges "
                            "resource and send 'pow_solution' (or 'pow_token' after its wait).")
