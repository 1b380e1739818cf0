# SPDX-License-Identifier: EUPL-1.2
"""What the server-rendered pages share: RPC, errors as messages, dates in the office's zone."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask import abort, flash, g, redirect
from marshmallow import Schema, ValidationError

from .error_messages import message_for
from .problems import from_exception
from .rpc import services


class PageError(Exception):
    """A failed action on a page: a status, a stable code and what the resident reads."""

    def __init__(self, status: int, code: str, body: dict[str, Any]) -> None:
        super().__init__(code)
        self.status, self.code, self.body = status, code, body

    @property
    def message(self) -> str:
        """The resident's message for this code (a general one for others)."""
        return message_for(self.code, self.body)

    @property
    def invalid_fields(self) -> set[str]:
        """The names of the fields that failed validation."""
        return {item.get("name", "") for item in self.body.get("invalid_params", [])}


def page_error(error: Exception) -> PageError:
    """Any error of an action as a :class:`PageError` (the problem+json mapping decides)."""
    response = from_exception(error)
    body = json.loads(response.get_data(as_text=True))
    return PageError(response.status_code, body.get("code", "internal_error"), body)


def load_form(schema: Schema, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` loaded by ``schema``, in a tenant language; :class:`PageError` otherwise."""
    try:
        loaded = schema.load(values)
        if loaded.get("language", g.lang) not in g.tenant.languages:
            raise ValidationError({"language": ["unknown"]})
    except ValidationError as invalid:
        raise PageError(400, "validation_failed", {"invalid_params": [
            {"name": name} for name in invalid.messages]}) from None
    return loaded


def offices_and_services() -> tuple[list[dict], dict[str, dict]]:
    """The tenant's offices, and its services by id, each with the offices offering it."""
    with services() as rpc:
        offices = rpc.appointments.list_offices(g.tenant.id)
    catalogue: dict[str, dict] = {}
    for office in offices:
        for service in office["services"]:
            catalogue.setdefault(service["id"], {**service, "offices": []})["offices"].append(
                office)
    return offices, catalogue


def service_or_404(catalogue: dict[str, dict], service_id: str) -> dict:
    """The service ``service_id`` of ``catalogue``; 404 when the tenant offers none such."""
    if service_id not in catalogue:
        abort(404)
    return catalogue[service_id]


def in_zone(value: str | datetime, timezone: str) -> datetime:
    """An ISO time (or datetime) in ``timezone``; naive values are UTC (MongoDB's)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(timezone))


def when(value: str | datetime, timezone: str = "Europe/Berlin", style: str = "full") -> str:
    """Date and time in the page's language and the office's zone (``"time"``: time only)."""
    moment = in_zone(value, timezone)
    if style == "time":
        return format_time(moment, "short", locale=g.lang)
    return format_datetime(moment, "EEEE, d. MMMM y, HH:mm" if g.lang == "de" else
                           "EEEE, d MMMM y, h:mm a", locale=g.lang)


def day_label(day: date) -> str:
    """A day heading, e.g. "Montag, 30. November 2026"."""
    return format_date(day, "full", locale=g.lang)


def act(call: Callable[[Any], Any], done: str, back: str) -> Any:
    """Run ``call`` with an RPC proxy; flash ``done`` or the error's message; 303 to ``back``."""
    try:
        with services() as rpc:
            call(rpc)
        flash(done, "done")
    except Exception as error:  # noqa: BLE001 (shown on the page gone back to)
        flash(page_error(error).message, "error")
    return redirect(back, code=303)


def fetched_or_404(call: Callable[[Any], Any]) -> Any:
    """What ``call`` returns with an RPC proxy; a ``not_found`` is this page's 404."""
    try:
        with services() as rpc:
            return call(rpc)
    except Exception as error:  # noqa: BLE001
        if page_error(error).status == 404:
            abort(404)
        raise
