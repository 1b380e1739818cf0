# SPDX-License-Identifier: EUPL-1.2
"""Sign in and out through the tenant's OpenID Connect providers, residents and staff.

Authorization code with PKCE, state and nonce by authlib; one callback for both kinds.
``GET /<lang>/sign-in`` (residents) and ``GET /<lang>/staff/`` (staff) go straight to the
provider when the tenant has one and nothing needs saying; otherwise they show the choice.
``?next=`` (a local path only) says where to go afterwards; ``?level=`` asks the provider
for a trust level (step-up).
"""
from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.base_client import OAuthError
from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from requests import RequestException

from ..core.errors import SessionStoreUnavailable
from ..core.pages import RTL_LANGUAGES, current_tenant, pages_blueprint
from ..core.rpc import services
from ..core.tenants import tenant_url
from . import sessions
from .access import display_name, resident_page
from .providers import IdentityProvider, registry
from .session_store import store_down
from .staff_roles import COUNTER_STAFF, TENANT_ADMIN, is_operator, roles_in
from .subjects import pseudonym_key, resident_subject, staff_subject
from .trust_levels import TRUST_LEVELS, acr_for, level_of_acr, reaches

blueprint = pages_blueprint("sign_in", __name__)
log = logging.getLogger(__name__)

PENDING = "auth_pending"


def safe_next(value: str | None, default: str) -> str:
    """``value`` if it is a path on this site (no scheme, host or ``//``), else ``default``."""
    if (not value or not value.startswith("/") or value.startswith("//")
            or "\\" in value or any(ord(char) < 32 for char in value)):
        return default
    return value


def start_page(roles: set[str]) -> Any:
    """Admins start at the catalogue, counter staff at the day list, case workers at the queue.

    The platform operator (no role here) starts at the operator's notifications page.
    """
    start = ("operator_pages.operator_notifications" if not roles else
             "catalogue.admin_catalogue" if TENANT_ADMIN in roles else
             "counter.staff_day_list" if COUNTER_STAFF in roles else "cases.case_queue_page")
    return redirect(url_for(start), code=303)


def _begin(kind: str, audience: str, default_next: str) -> Any:
    """Show the choice of providers, or send the browser to the one provider."""
    providers = registry(current_app).for_tenant(g.tenant.id, audience)
    level = request.args.get("level")
    level = level if level in TRUST_LEVELS else None
    next_path = safe_next(request.args.get("next"), default_next)
    expired = request.args.get("expired") == "1"
    chosen = request.args.get("provider")
    if chosen:
        provider = next((item for item in providers if item.id == chosen), None)
        if provider is None:
            abort(404)
    elif len(providers) == 1 and not expired:
        provider = providers[0]
    else:
        return render_template("identity/sign_in.html", kind=kind, providers=providers,
                               next_path=next_path, level=level, expired=expired,
                               failed=False), 200 if providers else 503
    session[PENDING] = {"kind": kind, "provider": provider.name, "tenant": g.tenant.id,
                        "lang": g.lang, "next": next_path, "level": level}
    options = {"ui_locales": g.lang}
    if level:
        options["acr_values"] = acr_for(level, dict(provider.acr_levels))
    client = registry(current_app).client(provider)
    try:
        # One fixed redirect URI per tenant, the one registered with the provider (no ?lang=).
        return client.authorize_redirect(tenant_url(g.tenant, "sign_in.auth_callback",
                                                    lang=None), **options)
    except (RequestException, ValueError, KeyError):  # the provider does not answer
        return _failed(kind, 503)


def _failed(kind: str, status: int, reason: str = "failed") -> Any:
    return render_template("identity/sign_in.html", kind=kind, providers=[], next_path="",
                           level=None, expired=False, failed=reason), status


@blueprint.get("/<lang>/sign-in")
def resident_sign_in():
    """Residents: sign in (or choose the provider first)."""
    return _begin(sessions.RESIDENT, "residents", url_for("home.home"))


@blueprint.get("/<lang>/staff/")
def staff_sign_in():
    """Staff: straight on to the start page when signed in, else sign in."""
    entry = sessions.current(sessions.STAFF, g.tenant.id)
    if entry and (entry.get("roles") or entry.get("operator")) and not request.args.get("level"):
        return start_page(set(entry.get("roles", ())))
    return _begin(sessions.STAFF, "staff", url_for("sign_in.staff_sign_in"))


@blueprint.get("/auth/callback")
def auth_callback():
    """The provider sends the browser back here with the code: finish the sign-in."""
    g.tenant = current_tenant()
    pending = session.pop(PENDING, None)
    lang = pending.get("lang") if isinstance(pending, dict) else None
    g.lang = lang if lang in g.tenant.languages else g.tenant.default_language
    g.dir = "rtl" if g.lang in RTL_LANGUAGES else "ltr"
    provider = registry(current_app).named(pending["provider"]) if pending else None
    if not pending or provider is None or pending.get("tenant") != g.tenant.id:
        return _failed(sessions.RESIDENT, 400)
    try:
        token = registry(current_app).client(provider).authorize_access_token()
    except (OAuthError, RequestException, ValueError, KeyError):
        return _failed(pending["kind"], 400)
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        return _failed(pending["kind"], 400)
    if pending["kind"] == sessions.STAFF:
        return _staff_signed_in(provider, claims, pending)
    return _resident_signed_in(provider, claims, pending)


def _resident_signed_in(provider: IdentityProvider, claims: dict[str, Any],
                        pending: dict[str, Any]) -> Any:
    tenant = g.tenant.id
    subject = resident_subject(pseudonym_key(), tenant, provider.issuer, claims["sub"])
    level = level_of_acr(claims.get("acr"), dict(provider.acr_levels))
    with services() as rpc:
        rpc.profile.sign_in(tenant, subject, {
            "given_name": claims.get("given_name"), "family_name": claims.get("family_name"),
            "email": claims.get("email"), "trust_level": level})
    sessions.start(sessions.RESIDENT, {
        # No email in the session record: the profile service keeps contact data (encrypted).
        "tenant": tenant, "subject": subject, "name": display_name(claims),
        "trust_level": level, "provider": provider.id})
    if pending.get("level") and not reaches(level, pending["level"]):
        return _failed(sessions.RESIDENT, 403, "trust_level_too_low")
    return redirect(pending["next"], code=303)


def _staff_signed_in(provider: IdentityProvider, claims: dict[str, Any],
                     pending: dict[str, Any]) -> Any:
    tenant = g.tenant.id
    roles = roles_in(claims.get("loket_roles"), tenant)
    operator = is_operator(claims.get("loket_roles"))
    subject = staff_subject(pseudonym_key(), tenant, provider.issuer, claims["sub"])
    sessions.start(sessions.STAFF, {
        "tenant": tenant, "name": display_name(claims), "roles": sorted(roles),
        "subject": subject,
        "operator": operator, "provider": provider.id})
    if not roles:
        if operator:  # a staff session that opens only the operator's pages
            return redirect(url_for("operator_pages.operator_notifications"), code=303)
        return _failed(sessions.STAFF, 403, "no_role")
    _record_staff_contact(tenant, subject, claims)
    return redirect(pending["next"], code=303)


def _record_staff_contact(tenant: str, subject: str, claims: dict[str, Any]) -> None:
    """Tell profile how to reach this staff member (for "a case assigned to you").

    A profile service that does not answer must not stop the sign-in.
    """
    contact = {key: claims.get(key) if isinstance(claims.get(key), str) else None
               for key in ("email", "given_name", "family_name", "preferred_language")}
    try:
        with services() as rpc:
            rpc.profile.record_staff_contact(tenant, subject, contact)
    except Exception as error:  # noqa: BLE001 (logged; the sign-in goes on)
        log.warning("staff sign-in: profile.record_staff_contact failed: %s",
                    type(error).__name__)


def _signed_out(kind: str, endpoint: str) -> Any:
    sessions.end(kind)
    return redirect(url_for(endpoint), code=303)


@blueprint.post("/<lang>/sign-out")
def resident_sign_out():
    """Residents: sign out (staff stay signed in)."""
    return _signed_out(sessions.RESIDENT, "home.home")


@blueprint.post("/<lang>/staff/sign-out")
def staff_sign_out():
    """Staff: sign out (a resident session in the same browser stays)."""
    return _signed_out(sessions.STAFF, "home.home")


@blueprint.post("/<lang>/sign-out-everywhere")
@resident_page
def resident_sign_out_everywhere():
    """Residents: end every sign-in of theirs in this municipality, in every browser."""
    from flask_babel import gettext as _

    sessions.end_everywhere(sessions.RESIDENT, g.tenant.id, g.resident.subject)
    flash(_("You are signed out on every device and in every browser."), "success")
    return redirect(url_for("home.home"), code=303)


def signed_in_resident() -> bool:
    """For the page header: whether a resident of this tenant is signed in (never raises)."""
    tenant = g.get("tenant")
    if tenant is None or store_down():
        return False
    try:
        return sessions.current(sessions.RESIDENT, tenant.id) is not None
    except SessionStoreUnavailable:  # the error page says so
        return False


@blueprint.app_context_processor
def trust_level_names() -> dict[str, Any]:
    """What the trust levels are called on the pages; who is signed in, for the header."""
    from flask_babel import gettext as _

    return {"trust_level_names": {"low": _("low"), "substantial": _("substantial"),
                                  "high": _("high")},
            "signed_in_resident": signed_in_resident}
