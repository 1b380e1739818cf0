# SPDX-License-Identifier: EUPL-1.2
"""Counter pages: staff enter an application received on paper or in person, then a receipt.

For signed-in staff of the tenant (counter staff, case workers, tenant admins; the staff
sign-in of the day list). The type's form is the resident's (same macros, same service
checks), plus the resident's name, address and contact as the clerk takes them down. The
receipt is kept in the session for the printable receipt page (a reload re-sends nothing).
"""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, session, url_for

from ..core.page_helpers import PageError, page_error, services
from ..core.pages import pages_blueprint
from ..identity.access import staff_page
from .resident_pages import company, form_data, invalid_names, permit_type_of

blueprint = pages_blueprint("counter_permits", __name__)

RECEIPT = "counter_receipt"
APPLICANT = "applicant."
ADDRESS_PARTS = ("street", "postal_code", "city")


def applicant_from(form: Any) -> dict[str, Any]:
    """The resident's name, address and contact from the form; empty inputs left out."""
    person: dict[str, Any] = {"name": form.get("applicant.name", "").strip()}
    address = {part: form.get(f"applicant.address.{part}", "").strip() for part in ADDRESS_PARTS}
    if any(address.values()):
        person["address"] = address
    for key in ("email", "phone"):
        value = form.get(f"applicant.{key}", "").strip()
        if value:
            person[key] = value
    return person


def applicant_invalid(error: PageError | None) -> set[str]:
    """The applicant inputs (``applicant.address.city``, ...) the service named."""
    if error is None:
        return set()
    return {name for name in error.invalid_fields if name.startswith(APPLICANT)} | {
        name.rsplit(".", 1)[0] for name in error.invalid_fields
        if name.startswith(APPLICANT + "address.")}


def form_invalid(error: PageError | None) -> set[str]:
    """The type's fields the service named (as the resident's form marks them)."""
    if error is None:
        return set()
    kept = [item for item in error.body.get("invalid_params", [])
            if not item.get("name", "").startswith(APPLICANT)]
    return invalid_names(PageError(error.status, error.code, {"invalid_params": kept}))


def _form_page(permit_type: dict, values: dict[str, str], error: PageError | None = None,
               status: int = 200) -> Any:
    return render_template("permits/counter_form.html", permit_type=permit_type,
                           values=values, error=error, invalid=form_invalid(error),
                           applicant_invalid=applicant_invalid(error)), status


@blueprint.get("/<lang>/counter/applications")
@staff_page(role=None)
def counter_types_page():
    """Choose the type of the application received at the counter."""
    with services() as rpc:
        return render_template("permits/counter_types.html",
                               types=rpc.permits.list_permit_types(g.tenant.id))


@blueprint.get("/<lang>/counter/applications/<type_id>")
@staff_page(role=None)
def counter_form_page(type_id: str):
    """The type's form with the resident's name, address and contact."""
    return _form_page(permit_type_of(type_id), {})


@blueprint.post("/<lang>/counter/applications/<type_id>")
@staff_page(role=None)
def counter_form_post(type_id: str):
    """Enter the application (submitted at once); on to its receipt."""
    permit_type = permit_type_of(type_id)
    entry = {"type_id": type_id, "data": form_data(permit_type["fields"], request.form),
             "applicant": applicant_from(request.form), "on_behalf_of": company(request.form),
             "documents_seen": request.form.get("documents_seen") == "yes"}
    try:
        with services() as rpc:
            receipt = rpc.permits.enter_counter_application(g.tenant.id, entry, g.staff)
    except Exception as error:  # noqa: BLE001 (shown at the fields)
        problem = page_error(error)
        if problem.status >= 500:
            raise
        values = {key: value for key, value in request.form.items() if key != "csrf_token"}
        return _form_page(permit_type, values, problem, problem.status)
    session[RECEIPT] = {**receipt, "type_name": permit_type["name"]}
    return redirect(url_for("counter_permits.counter_receipt_page"), code=303)


@blueprint.get("/<lang>/counter/applications/receipt")
@staff_page(role=None)
def counter_receipt_page():
    """The receipt of the last application this clerk entered, to print for the resident."""
    receipt = session.get(RECEIPT)
    if receipt is None:
        return redirect(url_for("counter_permits.counter_types_page"), code=303)
    return render_template("permits/counter_receipt.html", receipt=receipt)
