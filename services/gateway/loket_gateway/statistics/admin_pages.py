# SPDX-License-Identifier: EUPL-1.2
"""The tenant admins' statistics page, ``/<lang>/admin/statistics``: live figures and settings.

A month's live figures (``month_figures``: unsuppressed, marked "not published"; a picker
offers the months with no release yet), the last twelve months as charts
(``process_series``), the settings form (threshold, extra channels, expected digital share
per process; saved at the version it was loaded with) and the correction of a published
month (``publish_correction``). A form that fails comes back with its message and every
value as typed.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from loket_contracts.statistics.measures import MONTH_ZONE, OPTIONAL_CHANNELS

from ..core.page_helpers import PageError, page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import staff_page
from ..identity.staff_roles import TENANT_ADMIN
from . import forms
from .series_view import process_views
from .wording import channel_names, days, measure_names, month_name, percent, points

blueprint = pages_blueprint("statistics_admin", __name__)
MONTHS_SHOWN = 12


def recent_months(now: datetime | None = None, count: int = MONTHS_SHOWN) -> list[str]:
    """The running month (Europe/Berlin) and the ``count - 1`` before it, newest first."""
    moment = now or datetime.now(MONTH_ZONE)
    year, month = moment.year, moment.month
    months = []
    for _step in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _actor() -> dict[str, str]:
    return {"subject": g.staff["subject"], "role": g.staff["role"]}


def _chosen_month(months: list[str]) -> str:
    month = request.args.get("month", months[0])
    if not forms.MONTH_PATTERN.fullmatch(month):
        abort(400)
    return month


def _render(month: str | None = None, settings_form: forms.Form | None = None,
            correction_form: forms.Form | None = None, error: tuple[str, PageError] | None = None,
            status: int = 200) -> Any:
    """The page; ``error``: which form failed (``settings``/``correction``) and how."""
    months = recent_months()
    month = month or months[0]
    with services() as rpc:
        figures = rpc.statistics.month_figures(g.tenant.id, month)
        series = rpc.statistics.process_series(g.tenant.id, months[-1], months[0])
        settings = rpc.statistics.get_settings(g.tenant.id)
        releases = rpc.statistics.list_releases(g.tenant.id)
    published = sorted({release["month"] for release in releases}, reverse=True)
    names = {item["process"]: item["name"] for item in (*series, *figures["processes"])}
    processes = sorted({*names, *settings["expected_shares"]})
    invalid = {forms.api_field(name) for name in error[1].invalid_fields} if error else set()
    return render_template(
        "statistics/admin.html", month=month, month_label=month_name(month),
        pickable=[item for item in months if item not in published or item == month],
        figures=figures, views=process_views(series, settings["threshold"]),
        settings=settings, processes=processes, process_names=names,
        settings_form=settings_form or forms.settings_form(settings, processes),
        correction_form=correction_form or {}, published=published, releases=releases,
        error=error, error_message=_message(*error) if error else "", invalid=invalid,
        channel_names=channel_names(),
        measure_names=measure_names(),
        channel_choices=[(channel, channel_names()[channel]) for channel in OPTIONAL_CHANNELS],
        month_name=month_name, percent=percent, points=points, days=days), status


@blueprint.get("/<lang>/admin/statistics")
@staff_page(role=TENANT_ADMIN)
def admin_statistics():
    """The running month's live figures (or a chosen month's), the charts and the forms."""
    return _render(_chosen_month(recent_months()))


@blueprint.post("/<lang>/admin/statistics/settings")
@staff_page(role=TENANT_ADMIN)
def admin_save_settings():
    """Save the settings at the version the form was loaded with."""
    saved = _submit("settings", forms.settings_body, lambda rpc, body, form: (
        rpc.statistics.put_settings(g.tenant.id, body, forms.form_version(form), _actor())))
    if not isinstance(saved, dict):
        return saved
    flash(_("The statistics settings are saved."), "done")
    return redirect(url_for("statistics_admin.admin_statistics"), code=303)


def _submit(which: str, to_body: Callable[[forms.Form], dict[str, Any]],
            call: Callable[[Any, dict[str, Any], forms.Form], dict[str, Any]]) -> Any:
    """Load the posted form ``which`` and make ``call``: its answer, or the page with the error.

    The page comes back with the form as typed and its message; a stale settings version
    keeps the typed values at the current version (:func:`_conflict`).
    """
    form = request.form.to_dict(flat=False)
    try:
        body = to_body(form)
        with services() as rpc:
            return call(rpc, body, form)
    except forms.FormInvalid as invalid:
        failed = _invalid(invalid.names)
    except Exception as failure:  # noqa: BLE001 (shown on the form)
        failed = page_error(failure)
        if failed.code == "version_conflict" and which == "settings":
            return _conflict(form, failed)
    return _render(settings_form=form if which == "settings" else None,
                   correction_form=form if which == "correction" else None,
                   error=(which, failed), status=failed.status)


def _conflict(form: forms.Form, failed: PageError) -> Any:
    """Someone saved meanwhile: the typed values stay, now at the current version."""
    with services() as rpc:
        current = rpc.statistics.get_settings(g.tenant.id)
    kept = {**form, "version": [str(current["version"])]}
    return _render(settings_form=kept, error=("settings", failed), status=409)


def _message(form: str, failed: PageError) -> str:
    """What the admin reads above the form that failed."""
    if failed.code == "version_conflict":
        return _("Someone else changed the settings meanwhile. Your entries are kept below; "
                 "compare them with the current settings listed here, then save again.")
    if failed.code == "validation_failed":
        return _("Please check the marked entries.")
    if form == "correction" and failed.status in (404, 409):
        return _("This month has no release to correct. Only published months can be "
                 "corrected.")
    return failed.message


def _invalid(names: list[str]) -> PageError:
    return PageError(422, "validation_failed", {"invalid_params": [{"name": name}
                                                                   for name in names]})


@blueprint.post("/<lang>/admin/statistics/corrections")
@staff_page(role=TENANT_ADMIN)
def admin_publish_correction():
    """Publish a correction of a published month, with its reason."""
    release = _submit("correction", forms.correction_body, lambda rpc, body, form: (
        rpc.statistics.publish_correction(g.tenant.id, body, _actor())))
    if not isinstance(release, dict):
        return release
    flash(_("Published: release %(number)d corrects %(month)s.", number=release["number"],
            month=month_name(release["month"])), "done")
    return redirect(url_for("statistics_admin.admin_statistics"), code=303)
