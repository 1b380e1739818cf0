# SPDX-License-Identifier: EUPL-1.2
"""The resident's pages for a fair release (lottery): the notice, the entry form, the result.

Plain HTML forms like the booking pages. The status link (reference and token) is the
entry's secret: it travels in the query, and ``Referrer-Policy: no-referrer`` keeps it home.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for

from loket_contracts.appointments.lottery import EntryFormSchema
from loket_contracts.appointments.schemas import ContactFormSchema

from ..appointments.anti_bot.hold_guard import person_key
from ..core.message_status import last_message
from ..core.page_helpers import (
    PageError,
    day_label,
    in_zone,
    load_form,
    offices_and_services,
    page_error,
    service_or_404,
    services,
)
from ..core.pages import pages_blueprint
from ..core.rate_limits import BOOKING_PERSON_LIMIT, HOLD_LIMIT, limit_address, limit_person
from ..identity.access import page_resident
from ..identity.signed_in import prefilled_contact, with_subject

blueprint = pages_blueprint("lottery", __name__)

LOTTERY = "lottery"
# The office, then the booking contact form's fields (the contract's ContactSchema).
ENTRY_FIELDS = ("office", *ContactFormSchema().fields)


def lottery_release(service: dict[str, Any]) -> dict[str, Any] | None:
    """The latest release of a lottery service, with the next one's times; None otherwise.

    Releases are daily, so the next opens a day after the latest (local time) and is drawn
    after the same window.
    """
    if (service.get("booking_policy") or {}).get("release_mode") != LOTTERY:
        return None
    with services() as rpc:
        release = rpc.appointments.release_info(g.tenant.id, service["id"])
    timezone = service["offices"][0]["timezone"]
    opened_at = in_zone(release["opened_at"], timezone)
    window = in_zone(release["draw_at"], timezone) - opened_at
    day = date.fromisoformat(release["day"])
    next_opens = opened_at + timedelta(days=1)  # wall-clock arithmetic in the office's zone
    return {**release, "timezone": timezone, "day_label": day_label(day),
            "next_day_label": day_label(day + timedelta(days=1)),
            "next_opens_at": next_opens, "next_draw_at": next_opens + window}


def _lottery_service(service_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The lottery service ``service_id`` and its latest release (404 for others)."""
    _, catalogue = offices_and_services()
    service = service_or_404(catalogue, service_id)
    release = lottery_release(service)
    if release is None:
        abort(404)
    return service, release


def _render_entry(service: dict[str, Any], release: dict[str, Any], values: dict[str, str],
                  error: PageError | None):
    status = error.status if error else 200
    return render_template(
        "lottery/lottery_entry.html", service=service, release=release, values=values, error=error,
        fields=ContactFormSchema().fields), status


@blueprint.get("/<lang>/appointments/<service_id>/lottery")
def lottery_entry_form(service_id: str):
    """How the lottery works, and the only data an entry needs, each with why."""
    service, release = _lottery_service(service_id)
    return _render_entry(service, release, prefilled_contact(page_resident()), None)


def _entry_request(service: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The form as an entry request; an office that does not offer the service is invalid."""
    office_id = values["office"] or None
    if office_id and office_id not in {office["id"] for office in service["offices"]}:
        raise PageError(400, "validation_failed", {"invalid_params": [{"name": "office"}]})
    return load_form(EntryFormSchema(), {
        "service_id": service["id"], "office_id": office_id, "name": values["name"],
        "email": values["email"], "language": values["language"]})


@blueprint.post("/<lang>/appointments/<service_id>/lottery")
@limit_address(HOLD_LIMIT, scope="hold")
@limit_person(person_key, BOOKING_PERSON_LIMIT, scope="booking-person")
def enter_lottery(service_id: str):
    """Enter the open release; then the status page (its address is the status link)."""
    service, release = _lottery_service(service_id)
    values = {name: request.form.get(name, "").strip() for name in ENTRY_FIELDS}
    try:
        wanted = _entry_request(service, values)
        with services() as rpc:
            entered = rpc.appointments.enter_lottery(g.tenant.id,
                                                     with_subject(wanted, page_resident()))
    except PageError as error:
        return _render_entry(service, release, values, error)
    except Exception as error:  # noqa: BLE001 (every failure becomes a message on the page)
        return _render_entry(service, release, values, page_error(error))
    return redirect(url_for("lottery.lottery_status", reference=entered["entry"]["reference"],
                            token=entered["status_token"], lang=wanted["language"],
                            done="entered"), code=303)


@blueprint.get("/<lang>/appointments/lottery/<reference>")
def lottery_status(reference: str):
    """The entry the status link opens: pending, allocated or not allocated."""
    with services() as rpc:
        entry = rpc.appointments.lottery_entry(g.tenant.id, reference,
                                               request.args.get("token", ""))
    offices, catalogue = offices_and_services()
    service = service_or_404(catalogue, entry["service_id"])
    by_id = {office["id"]: office for office in offices}
    booking = entry.get("booking")
    wanted = by_id.get(entry["office_id"] or "")  # None: any office
    office = by_id.get(booking["office_id"]) if booking else wanted
    return render_template(
        "lottery/lottery_status.html", entry=entry, service=service, wanted=wanted, office=office,
        booking=booking, timezone=(office or service["offices"][0])["timezone"],
        day=day_label(date.fromisoformat(entry["day"])), done=request.args.get("done", ""),
        last_message=last_message("lottery_entry", entry["reference"]))
