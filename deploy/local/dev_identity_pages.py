# SPDX-License-Identifier: EUPL-1.2
"""The development identity provider's sign-in page.

Choose a demo user (and, for residents, the eID method that gives the trust level), in
German or English, without JavaScript.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Flask, render_template, request

TEXTS: dict[str, dict[str, Any]] = {
    "de": {
        "title": "Anmelden (Entwicklungs-Identitätsanbieter)",
        "notice": "Dies ist ein Ersatz für die Entwicklung, kein echter Identitätsanbieter: "
                  "Sie melden sich ohne Passwort als eine der Demo-Personen an. In Betrieb "
                  "meldet man sich hier mit der eID oder dem Konto der Kommune an.",
        "who": "Als wer möchten Sie sich anmelden?",
        "level": "Mit welchem Verfahren (Vertrauensniveau)?",
        "levels": {"low": "Benutzername und Passwort (niedrig)",
                   "substantial": "Online-Ausweis mit PIN (substanziell)",
                   "high": "Online-Ausweis mit zertifiziertem Kartenleser (hoch)"},
        "asked": "Die Anwendung verlangt mindestens das Niveau: {level}.",
        "submit": "Anmelden",
        "too_high": "{name} kann dieses Vertrauensniveau nicht erreichen. Bitte wählen Sie "
                    "ein niedrigeres oder eine andere Person.",
        "choose": "Bitte wählen Sie eine Person.",
        "invalid": "Diese Anmeldeanfrage ist ungültig: {error}.",
        "roles": "Rollen",
        "company": "vertritt {company}",
        "staff": "Mitarbeitende",
        "residents": "Einwohnerinnen und Einwohner",
    },
    "en": {
        "title": "Sign in (development identity provider)",
        "notice": "This is a development stand-in, not a real identity provider: you sign "
                  "in without a password as one of the demo people. In production you sign "
                  "in here with your eID or the municipality's account.",
        "who": "Who do you want to sign in as?",
        "level": "With which method (trust level)?",
        "levels": {"low": "User name and password (low)",
                   "substantial": "Online ID card with PIN (substantial)",
                   "high": "Online ID card with a certified card reader (high)"},
        "asked": "The application asks for at least the level: {level}.",
        "submit": "Sign in",
        "too_high": "{name} cannot reach this trust level. Please choose a lower one or "
                    "another person.",
        "choose": "Please choose a person.",
        "invalid": "This sign-in request is not valid: {error}.",
        "roles": "Roles",
        "company": "representative of {company}",
        "staff": "Staff",
        "residents": "Residents",
    },
}


def page_language() -> str:
    """The first of ``ui_locales`` this page speaks (German by default)."""
    for locale in request.values.get("ui_locales", "").split():
        if locale.split("-")[0] in TEXTS:
            return locale.split("-")[0]
    return "de"


def register_sign_in_page(app: Flask, server: Any, provider: Any) -> None:
    """Add ``GET|POST /authorize`` to the provider's app."""
    from .dev_identity_provider import TRUST_LEVELS, _reaches, level_from_acr_values

    def render(status: int = 200, error: str = "", **extra: Any):
        lang = page_language()
        texts = TEXTS[lang]
        client = provider.clients.get(request.values.get("client_id", ""))
        audience = client.audience if client else "residents"
        users = [user for user in provider.users.values() if user.audience == audience]
        asked = level_from_acr_values(request.values.get("acr_values"))
        return render_template(
            "dev_idp_sign_in.html", lang=lang, t=texts, users=users, audience=audience,
            levels=TRUST_LEVELS, asked=asked, error=error,
            chosen_user=request.form.get("user", ""),
            chosen_level=request.form.get("level") or asked or "low", **extra), status

    @app.get("/authorize")
    def authorize():
        try:
            server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            return render(400, TEXTS[page_language()]["invalid"].format(error=error.error))
        return render()

    @app.post("/authorize")
    def authorize_post():
        texts = TEXTS[page_language()]
        client = provider.clients.get(request.values.get("client_id", ""))
        user = provider.users.get(request.form.get("user", ""))
        if user is None or client is None or user.audience != client.audience:
            return render(400, texts["choose"])
        level = request.form.get("level", "") if user.audience == "residents" else user.level
        if level not in TRUST_LEVELS:
            level = "low"
        if not _reaches(user, level):
            return render(400, texts["too_high"].format(name=user.name))
        signed_in = replace(user, acr_level=level)
        try:
            grant = server.get_consent_grant(end_user=signed_in)
            return server.create_authorization_response(grant_user=signed_in, grant=grant)
        except OAuth2Error as error:
            return render(400, texts["invalid"].format(error=error.error))
