# SPDX-License-Identifier: EUPL-1.2
"""Who is asking: the one public API views use for residents and staff.

JSON API: ``Authorization: Bearer <access token>`` from one of the tenant's OpenID Connect
providers (:mod:`.bearer_tokens`). Pages: the signed-in sessions of :mod:`.sessions`, set
by the sign-in flow (:mod:`.sign_in_pages`). Residents are known to the services only by
their pseudonymous ``subject`` (:mod:`.subjects`); staff by a pseudonym and display name.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, current_app, g, redirect, request, url_for

from ..core.errors import Forbidden, NotAuthenticated, TrustLevelTooLow
from . import sessions
from .bearer_tokens import InvalidToken, KeyCache, unverified_issuer, validate
from .providers import IdentityProvider, registry
from .staff_roles import CASE_WORKER, COUNTER_STAFF, OPERATOR, TENANT_ADMIN, is_operator, roles_in
from .subjects import pseudonym_key, resident_subject, staff_subject
from .trust_levels import TRUST_LEVELS, level_of_acr, reaches, required_level

__all__ = ["TRUST_LEVELS", "Resident", "api_resident", "resident_page", "require_role",
           "staff_page", "current_actor", "required_level", "step_up", "optional_subject",
           "page_resident", "api_operator", "operator_page",
           "COUNTER_STAFF", "CASE_WORKER", "TENANT_ADMIN", "OPERATOR"]


@dataclass(frozen=True)
class Resident:
    """A signed-in resident as the gateway knows them for one request."""

    tenant: str
    subject: str
    trust_level: str
    name: str
    email: str | None


def display_name(claims: dict[str, Any]) -> str:
    """``name``, else given and family name joined."""
    if isinstance(claims.get("name"), str) and claims["name"].strip():
        return claims["name"].strip()
    return " ".join(str(claims[part]) for part in ("given_name", "family_name")
                    if claims.get(part)).strip()


def key_cache() -> KeyCache:
    """The app's cache of providers' signing keys."""
    return current_app.extensions.setdefault("loket_key_cache", KeyCache())


def bearer_token() -> str:
    """The ``Authorization: Bearer`` token (401 problem when there is none)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(
            "Send an access token from the municipality's sign-in as "
            "'Authorization: Bearer <token>'.")
    return token.strip()


def validated(token: str, providers: list[IdentityProvider]
              ) -> tuple[IdentityProvider, dict[str, Any]] | None:
    """The provider among ``providers`` that issued ``token`` for its client, and the claims."""
    issuer = unverified_issuer(token)
    for provider in providers:
        if provider.issuer != issuer:
            continue
        try:
            return provider, validate(token, provider, key_cache())
        except InvalidToken:
            continue
    return None


def _not_authenticated() -> NotAuthenticated:
    return NotAuthenticated(
        "The access token is not valid here (expired, or not issued for this "
        "municipality).")


def _refused(token: str, tenant: str, audience: str) -> NotAuthenticated | Forbidden:
    """403 when ``token`` is valid, but for another municipality or kind of sign-in; else 401.

    A resident of one municipality, or its staff, is known but not allowed in another.
    """
    elsewhere = [provider for provider in registry(current_app).providers
                 if (provider.tenant, provider.audience) != (tenant, audience)]
    if validated(token, elsewhere) is not None:
        return Forbidden("This sign-in does not open this municipality's data.")
    return _not_authenticated()


def api_resident(tenant: str, minimum: str = "low") -> Resident:
    """The resident whose bearer token this request carries (401/403 problem otherwise)."""
    token = bearer_token()
    found = validated(token, registry(current_app).for_tenant(tenant, "residents"))
    if found is None:
        raise _refused(token, tenant, "residents")
    provider, claims = found
    resident = Resident(
        tenant=tenant, subject=resident_subject(pseudonym_key(), tenant, provider.issuer,
                                                claims["sub"]),
        trust_level=level_of_acr(claims.get("acr"), dict(provider.acr_levels)),
        name=display_name(claims),
        email=claims.get("email") if isinstance(claims.get("email"), str) else None)
    if not reaches(resident.trust_level, minimum):
        raise TrustLevelTooLow(
            f"This needs a sign-in at trust level '{minimum}' or higher; this "
            f"token has '{resident.trust_level}'.", required_level=minimum)
    g.resident = resident
    return resident


def as_resident(action: str | None = None) -> Callable[[Callable], Callable]:
    """Let the view run for the token's resident (``resident=``), checked before the body.

    ``action`` (export, erasure) asks for the trust level the tenant sets for it (403
    ``trust_level_too_low`` below it). Goes above ``arguments``: who asks comes first.
    """
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args: Any, tenant: str, **kwargs: Any) -> Any:
            minimum = required_level(tenant, action) if action else "low"
            resident = api_resident(tenant, minimum)
            return view(*args, tenant=tenant, resident=resident, **kwargs)
        return checked
    return wrap


def optional_subject(tenant: str) -> str | None:
    """The signed-in resident's subject (bearer token or page session), else None.

    Raises nothing for a missing or bad sign-in; only a session database that does not
    answer is a 503.
    """
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        try:
            return api_resident(tenant).subject
        except (NotAuthenticated, Forbidden, TrustLevelTooLow):
            return None
    entry = sessions.current(sessions.RESIDENT, tenant)
    return entry["subject"] if entry else None


def sign_in_url(kind: str, level: str | None = None) -> str:
    """The sign-in page for ``kind``, coming back here afterwards."""
    endpoint = "sign_in.resident_sign_in" if kind == sessions.RESIDENT else "sign_in.staff_sign_in"
    back = request.full_path.rstrip("?") if request.method == "GET" else url_for("home.home")
    args: dict[str, Any] = {"next": back}
    if level:
        args["level"] = level
    if g.get("session_expired"):
        args["expired"] = "1"
    return url_for(endpoint, **args)


def page_resident() -> Resident | None:
    """The resident signed in on this tenant's pages (session still valid), else None."""
    entry = sessions.current(sessions.RESIDENT, g.tenant.id)
    if entry is None:
        return None
    return Resident(tenant=entry["tenant"], subject=entry["subject"],
                    trust_level=entry.get("trust_level", "low"), name=entry.get("name", ""),
                    email=None)  # pages: the profile service has the contact data


def step_up(level: str) -> None:
    """Pages: go to a sign-in at ``level`` unless the signed-in resident has it already."""
    resident = g.get("resident")
    if resident is None or not reaches(resident.trust_level, level):
        abort(redirect(sign_in_url(sessions.RESIDENT, level), code=303))


def resident_page(view: Callable | None = None, *, minimum: str = "low") -> Callable:
    """Let the view run for a signed-in resident of this tenant (``g.resident``).

    (csrf.py checks POSTs.) Signed out: 303 to sign-in with ``?next=``; trust level too low:
    step-up sign-in. Use as ``@resident_page`` or ``@resident_page(minimum="substantial")``
    (``minimum="default"``: the tenant's default level).
    """
    if view is None:
        return lambda inner: resident_page(inner, minimum=minimum)

    @wraps(view)
    def checked(**kwargs: Any) -> Any:
        resident = page_resident()
        if resident is None:
            return redirect(sign_in_url(sessions.RESIDENT), code=303)
        g.resident = resident
        needed = minimum if minimum != "default" else required_level(g.tenant.id)
        step_up(needed)
        return view(**kwargs)
    return checked


def _actor(provider: IdentityProvider, claims: dict[str, Any], tenant: str,
           role: str) -> dict[str, str]:
    return {"subject": staff_subject(pseudonym_key(), tenant, provider.issuer, claims["sub"]),
            "name": display_name(claims), "role": role}


def require_role(role: str, *alternatives: str) -> Callable:
    """API: let the view run only for staff of the path's tenant with ``role``.

    Or with one of ``alternatives``: ``g.staff`` names the first the token grants.

    401 without a valid token, 403 with one of another tenant or kind, or without the role.
    """
    def wrap(view: Callable) -> Callable:
        @wraps(view)
        def checked(tenant: str, **kwargs: Any) -> Any:
            token = bearer_token()
            found = validated(token, registry(current_app).for_tenant(tenant, "staff"))
            if found is None:
                raise _refused(token, tenant, "staff")
            provider, claims = found
            granted = roles_in(claims.get("loket_roles"), tenant)
            acting = next((each for each in (role, *alternatives) if each in granted), None)
            if acting is None:
                raise Forbidden("Your role does not allow this here.")
            g.staff = _actor(provider, claims, tenant, acting)
            return view(tenant=tenant, **kwargs)
        return checked
    return wrap


def staff_roles() -> set[str]:
    """The roles of the signed-in staff member in this tenant (none when signed out)."""
    entry = sessions.current(sessions.STAFF, g.tenant.id)
    return set(entry.get("roles", ())) if entry else set()


def staff_page(view: Callable | None = None, *, role: str | None = COUNTER_STAFF) -> Callable:
    """Pages: let the view run for signed-in staff of this tenant with ``role``.

    (csrf.py checks POSTs.) Signed out: on to the staff sign-in; signed in without the role:
    403. Use as ``@staff_page`` or ``@staff_page(role=TENANT_ADMIN)`` (``role=None``: any
    role).
    """
    if view is None:
        return lambda inner: staff_page(inner, role=role)

    @wraps(view)
    def checked(**kwargs: Any) -> Any:
        entry = sessions.current(sessions.STAFF, g.tenant.id)
        if entry is None:
            return redirect(sign_in_url(sessions.STAFF), code=303)
        roles = set(entry.get("roles", ()))
        if (role is not None and role not in roles) or (role is None and not roles):
            abort(403)
        g.staff = {"subject": entry["subject"], "name": entry.get("name", ""),
                   "role": role or sorted(roles)[0]}
        return view(**kwargs)
    return checked


def current_actor() -> dict[str, str]:
    """The staff member :func:`require_role` or :func:`staff_page` let through.

    ``{"subject": "staff:<pseudonym>", "name": <display name>, "role": role}``.
    """
    return dict(g.staff)


def api_operator() -> dict[str, str]:
    """API: the platform operator (``*:operator``) of any tenant's staff token, as an actor.

    401 without a valid staff token, 403 for staff who are not the operator. The actor's
    subject is the operator's pseudonym at the provider's tenant; ``role`` is ``operator``.
    """
    providers = registry(current_app)
    found = validated(bearer_token(), [item for item in providers.providers
                                       if item.audience == "staff"])
    if found is None:
        raise NotAuthenticated("Send a staff access token as 'Authorization: Bearer <token>'.")
    provider, claims = found
    if not is_operator(claims.get("loket_roles")):
        raise Forbidden("Only the platform operator may do this.")
    return _actor(provider, claims, provider.tenant, OPERATOR)


def operator_page(view: Callable) -> Callable:
    """Pages: let the view run for the platform operator (``g.staff``, role ``operator``).

    The operator signs in on this tenant's staff sign-in. Signed out: on to the staff
    sign-in; signed in as staff without the operator role: 403.
    """
    @wraps(view)
    def checked(**kwargs: Any) -> Any:
        entry = sessions.current(sessions.STAFF, g.tenant.id)
        if entry is None:
            return redirect(sign_in_url(sessions.STAFF), code=303)
        if not entry.get("operator"):
            abort(403)
        g.staff = {"subject": entry["subject"], "name": entry.get("name", ""),
                   "role": OPERATOR}
        return view(**kwargs)
    return checked
