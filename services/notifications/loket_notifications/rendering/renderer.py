# SPDX-License-Identifier: EUPL-1.2
"""Messages from template files: subject, plain text and accessible HTML, and the .ics.

Templates are looked up file by file, so a partner municipality overrides only what it
needs (like the permit overlays): ``tenants/<tenant>/<language>/`` (first in
``NOTIFICATIONS_TEMPLATES_DIR``, then in the package), then ``base/<language>/``; a file
missing in the language is taken in English, then German; ``base/`` holds the shared
layout. Files per kind: ``<kind>.subject.txt``, ``<kind>.txt``, ``<kind>.html`` (extends
``_layout.html``), optional ``<kind>.sms.txt``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from loket_common.booking_calendar import booking_to_ics, text_in
from loket_contracts.notifications.schemas import KINDS

from ..delivery.channels import Attachment
from .contexts import ABOUT, CONTEXTS, LINK_KEYS
from .formatting import local, postal_address, register_filters, time_zone_of

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES_DIR_VARIABLE = "NOTIFICATIONS_TEMPLATES_DIR"
FALLBACK_LANGUAGES = ("en", "de")
ICS_KINDS = ("booking_confirmed", "booking_moved", "booking_cancelled", "lottery_result")
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
_TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
# SEQUENCE of a changed event: minutes since this instant, so each later file of the same
# booking counts higher (the booking keeps no revision number of its own).
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Rendered:
    """One message, ready for a channel."""

    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...]


class Renderer:
    """Renders each kind per tenant and language from the template files."""

    def __init__(self, templates_dir: Path | None = None, *,
                 now: Callable[[], datetime] | None = None) -> None:
        """Read the package's templates, and first the tenants/ of ``templates_dir``.

        ``templates_dir`` defaults to ``NOTIFICATIONS_TEMPLATES_DIR`` (if set); ``now`` is
        the clock (tests).
        """
        extra = templates_dir or (Path(os.environ[TEMPLATES_DIR_VARIABLE])
                                  if os.environ.get(TEMPLATES_DIR_VARIABLE) else None)
        self._tenant_roots = [root / "tenants" for root in (extra, PACKAGE_TEMPLATES) if root]
        self._base = PACKAGE_TEMPLATES / "base"
        self._now = now or (lambda: datetime.now(UTC))
        self._environments: dict[tuple[str, str], Environment] = {}
        # keep_at_rules: the @media block stays in <style> (it cannot be inlined).
        self._inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)

    # -- the interface ------------------------------------------------------------------------
    def render(self, kind: str, language: str, tenant: dict[str, Any],
               context: dict[str, Any]) -> Rendered:
        """Subject, text, HTML (CSS inlined) and attachments of one message."""
        environment, variables = self._prepare(kind, language, tenant, context)
        text = _tidy(environment.get_template(f"{kind}.txt").render(variables))
        html = self._inliner.inline(environment.get_template(f"{kind}.html").render(variables))
        return Rendered(subject=variables["subject"], text=text, html=html,
                        attachments=self._attachments(kind, variables, tenant, context))

    def sms_text(self, kind: str, language: str, tenant: dict[str, Any],
                 context: dict[str, Any]) -> str:
        """The message as one short line (``<kind>.sms.txt``, else ``_default.sms.txt``)."""
        environment, variables = self._prepare(kind, language, tenant, context)
        template = environment.select_template([f"{kind}.sms.txt", "_default.sms.txt"])
        return _one_line(template.render(variables))

    def preview(self, tenant: dict[str, Any], languages: Sequence[str]) -> list[dict[str, Any]]:
        """Every kind in every language with sample data: ``PreviewSchema`` dicts."""
        from .samples import sample_context  # sample data only when a preview is asked for

        previews = []
        for kind in KINDS:
            for language in languages:
                rendered = self.render(kind, language, tenant, sample_context(kind, language))
                previews.append({
                    "kind": kind, "language": language, "subject": rendered.subject,
                    "text": rendered.text, "html": rendered.html,
                    "attachments": [a.filename for a in rendered.attachments]})
        return previews

    # -- templates ----------------------------------------------------------------------------
    def language_of(self, tenant_id: str, language: str) -> str:
        """The language a message is written in.

        ``language`` if there are templates in it (the base or the tenant's), else English,
        else German.
        """
        for candidate in (language, *FALLBACK_LANGUAGES):
            if _safe(candidate) and any(path.is_dir() for path in (
                    self._base / candidate,
                    *(root / tenant_id / candidate for root in self._tenant_roots
                      if _TENANT_ID.match(tenant_id)))):
                return candidate
        return FALLBACK_LANGUAGES[-1]

    def environment(self, tenant_id: str, language: str) -> Environment:
        """The Jinja environment of a tenant and language (made once, then kept)."""
        key = (tenant_id, language)
        if key not in self._environments:
            directories: list[Path] = []
            for candidate in dict.fromkeys((language, *FALLBACK_LANGUAGES)):
                if _TENANT_ID.match(tenant_id):
                    directories += [root / tenant_id / candidate for root in self._tenant_roots]
                directories.append(self._base / candidate)
            directories.append(self._base)
            environment = Environment(
                loader=ChoiceLoader([FileSystemLoader(str(path)) for path in directories]),
                autoescape=select_autoescape(enabled_extensions=("html",),
                                             default_for_string=False, default=False),
                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
            register_filters(environment)
            self._environments[key] = environment
        return self._environments[key]

    def _prepare(self, kind: str, language: str, tenant: dict[str, Any],
                 context: dict[str, Any]) -> tuple[Environment, dict[str, Any]]:
        """The environment and the template variables, with the subject already rendered."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        tenant_id = str(tenant.get("id") or "")
        written_in = self.language_of(tenant_id, language)
        environment = self.environment(tenant_id, written_in)
        variables = _variables(kind, written_in, tenant, context)
        variables["days_until"] = _days_until(context, variables["time_zone"], self._now())
        variables["subject"] = _one_line(
            environment.get_template(f"{kind}.subject.txt").render(variables))
        return environment, variables

    # -- attachments --------------------------------------------------------------------------
    def _attachments(self, kind: str, variables: dict[str, Any], tenant: dict[str, Any],
                     context: dict[str, Any]) -> tuple[Attachment, ...]:
        """The booking's .ics for the kinds that change a calendar entry."""
        if kind not in ICS_KINDS:
            return ()
        if kind == "lottery_result":
            entry = context["entry"]
            if entry["state"] != "allocated" or not entry.get("booking"):
                return ()
            booking = entry["booking"]
        else:
            booking = context["booking"]
        manage_url = context.get("manage_url")
        sequence = 0
        if kind == "booking_cancelled":
            booking, manage_url = {**booking, "state": "cancelled"}, None
        now = self._now()
        if kind in ("booking_moved", "booking_cancelled"):
            sequence = max(1, int((now - _SEQUENCE_EPOCH).total_seconds() // 60))
        language = variables["language"]
        data = booking_to_ics(booking, language=language,
                              organizer_name=text_in(tenant.get("name"), language),
                              manage_url=manage_url, now=now, sequence=sequence)
        filename = "termin.ics" if language == "de" else "appointment.ics"
        return (Attachment(filename=filename, content_type=ICS_CONTENT_TYPE, data=data),)


def _variables(kind: str, language: str, tenant: dict[str, Any],
               context: dict[str, Any]) -> dict[str, Any]:
    """What every template sees: the kind's context plus the tenant and derived values."""
    contact = tenant.get("contact") or {}
    recipient = context.get("recipient") or {}
    office = _office(context)
    return {
        **context,
        "kind": kind, "language": language, "about": ABOUT[kind],
        "tenant": tenant, "tenant_name": text_in(tenant.get("name"), language),
        "contact": {"email": contact.get("email"), "phone": contact.get("phone"),
                    "web": contact.get("web"), "address": postal_address(contact.get("address"))},
        "recipient_name": recipient.get("name"),
        "time_zone": time_zone_of(office) if office else time_zone_of(
            {"time_zone": tenant.get("time_zone")}),
        # optional keys of the kind read as None; a missing required one stays undefined
        **{key: context.get(key) for key in CONTEXTS[kind].__optional_keys__},
        "book_url": context.get("search_url") or _public_link(tenant, language, "appointments/"),
        **({"from_state": context["from"]} if "from" in context else {}),
        **({"to_state": context["to"]} if "to" in context else {}),
        "main_link": next((context[key] for key in LINK_KEYS if context.get(key)), None),
    }


def _days_until(context: dict[str, Any], time_zone: str, now: datetime) -> int | None:
    """Days from today to the booking's day in the office's time zone (0 today, 1 tomorrow)."""
    booking = context.get("booking") or (context.get("entry") or {}).get("booking")
    if not booking:
        return None
    return (local(booking["start"], time_zone).date() - local(now, time_zone).date()).days


def _office(context: dict[str, Any]) -> dict[str, Any] | None:
    if context.get("booking"):
        return context["booking"].get("office")
    entry = context.get("entry")
    if entry:
        return entry.get("office") or (entry.get("booking") or {}).get("office")
    return None


def _public_link(tenant: dict[str, Any], language: str, path: str) -> str | None:
    """A page on the tenant's site, else its general web address.

    The site is ``public_url`` or the variable ``public_url_env`` names.
    """
    base = tenant.get("public_url") or os.environ.get(str(tenant.get("public_url_env") or ""))
    if base:
        return f"{str(base).rstrip('/')}/{language}/{path}"
    return (tenant.get("contact") or {}).get("web")


def _safe(language: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", language or ""))


def _one_line(value: str) -> str:
    """A subject or SMS: one line, single spaces (no header injection by a newline)."""
    return " ".join(value.split())


def _tidy(text: str) -> str:
    """Plain text: no trailing spaces, at most one empty line in a row, one final newline."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
