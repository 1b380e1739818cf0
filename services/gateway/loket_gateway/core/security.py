# SPDX-License-Identifier: EUPL-1.2
"""Security headers on every response: nothing may load from outside the gateway."""
from __future__ import annotations

from flask import Response, g, has_app_context

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def with_preview_frames(policy: str) -> str:
    """``policy`` for a page showing emails' HTML in ``<iframe sandbox srcdoc>`` frames.

    A srcdoc document inherits its page's policy, and an email's styles are inline
    (css-inline), so such a page alone allows inline styles and same-origin frames;
    scripts stay off (no ``allow-scripts``) and nothing loads from outside. A view asks
    for it with ``g.preview_frames = True``.
    """
    return policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
        "default-src 'none'", "default-src 'none'; frame-src 'self'")


def _policy(policy: str) -> str:
    # gunicorn_worker adds the headers outside any request: no page asked for frames there.
    asked = has_app_context() and g.get("preview_frames")
    return with_preview_frames(policy) if asked else policy


def cookie_settings(environment: str) -> dict[str, object]:
    """Flask's session cookie settings.

    HttpOnly and SameSite=Lax always; in production also Secure with the ``__Host-``
    prefix (sent only over https, to this host alone).
    """
    settings: dict[str, object] = {"SESSION_COOKIE_HTTPONLY": True,
                                   "SESSION_COOKIE_SAMESITE": "Lax"}
    if environment == "production":
        settings.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-loket",
                        SESSION_COOKIE_PATH="/", SESSION_COOKIE_DOMAIN=None)
    else:
        settings.update(SESSION_COOKIE_NAME="loket")
    return settings


def add_security_headers(response: Response) -> Response:
    """Set the headers in :data:`HEADERS` (unless a view set its own)."""
    response.headers.setdefault("Content-Security-Policy", _policy(CONTENT_SECURITY_POLICY))
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def with_sign_in_origins(origins: list[str]):
    """:func:`add_security_headers`, with ``form-action`` allowing the identity providers.

    A form whose answer is a sign-in redirect (an expired session, a step-up) goes on to
    the provider, and browsers check redirects against form-action.
    """
    if not origins:
        return add_security_headers
    policy = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", "form-action 'self' " + " ".join(sorted(set(origins))))

    def add(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", _policy(policy))
        return add_security_headers(response)
    return add
