# SPDX-License-Identifier: EUPL-1.2
"""What a resident reads on a page for each stable error code (the API's texts are English).

Every ``LoketError`` code has an entry (``tests/test_error_classes.py`` checks that, and that
each has a German translation); a few page-only codes (confirmations) have one too.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

# A message from the problem body (only counted messages read it).
Message = Callable[[Mapping[str, Any]], str]

MESSAGES: dict[str, Message] = {
    # Shared kinds (loket_common.errors)
    "not_found": lambda body: _("We could not find this. The link may be incomplete or out of "
                                "date."),
    "validation_failed": lambda body: _("Please check your entries."),
    "conflict": lambda body: _("This does not fit the current state any more. Please load the "
                               "page again."),
    "unknown_tenant": lambda body: _("This municipality is not served here. Please check the "
                                     "address."),
    "unknown_host": lambda body: _("This address is not one this service is published under. "
                                   "Please use the address your municipality gives on its "
                                   "website."),
    "service_unavailable": lambda body: _("This service is unavailable for a moment. Please "
                                          "try again in a few seconds."),
    # Appointments and lotteries
    "slot_taken": lambda body: _("Someone else was quicker: this time is no longer free. "
                                 "Please choose another one."),
    "hold_expired": lambda body: _("Your reservation ran out. Please choose a time again."),
    "booking_limit_reached": lambda body: _(
        "You already have an appointment for this service. Cancel or move it first."),
    "too_many_holds": lambda body: _("You are already reserving other times. Finish or let "
                                     "one go first."),
    "proof_of_work_reused": lambda body: _("This form was already sent. Please choose a time "
                                           "again."),
    "proof_of_work_failed": lambda body: _("The check against automated bookings failed. "
                                           "Please load the page again and send the form "
                                           "again."),
    "not_allowed_in_state": lambda body: _("This is not possible any more for this "
                                           "appointment."),
    "no_free_slot": lambda body: _("No time is free at the moment. New times are released "
                                   "daily."),
    "lottery_already_entered": lambda body: _(
        "You have already entered this lottery (one entry per person). You will get the "
        "result by email after the draw."),
    "identity_required": lambda body: _(
        "This appointment can only be booked signed in, so that it is yours and cannot be "
        "passed on. Please sign in first."),
    "booking_not_transferable": lambda body: _(
        "This appointment is bound to the person who booked it. Only they, signed in, can "
        "move or cancel it."),
    "booking_not_found": lambda body: _("We could not find an appointment with this "
                                        "reference."),
    "lottery_not_open": lambda body: _("This lottery is not open for entries now. Please look "
                                       "at the service's page for the next release."),
    # Catalogue administration
    "version_conflict": lambda body: _("Someone else changed this meanwhile (or it exists "
                                       "already). Below is the current version: please make "
                                       "your change again."),
    "precondition_required": lambda body: _("This change could not be saved safely. Please "
                                            "load the page again and make your change again."),
    "bookings_affected": lambda body: ngettext(
        "This change would affect %(num)d confirmed booking. Cancel or move it first.",
        "This change would affect %(num)d confirmed bookings. Cancel or move them first.",
        body.get("affected_bookings", 0)),
    "confirm_deactivate": lambda body: _("Please tick the box to confirm the deactivation."),
    # Permits
    "application_incomplete": lambda body: _("Some entries are missing or not valid yet. "
                                             "Please complete the marked fields, then submit "
                                             "again."),
    "transition_not_allowed": lambda body: _("This is not possible in the application's "
                                             "current state."),
    "attachment_rejected": lambda body: _("We could not accept this document. Please check "
                                          "its file type and size."),
    "request_too_large": lambda body: _("The file is too large. Please upload a smaller one."),
    # Requests that cannot be read (core/json_input.py, core/gunicorn_worker.py)
    "malformed_json": lambda body: _("We could not read what was sent. Please load the page "
                                     "again and send it once more."),
    "malformed_request": lambda body: _("We could not read this request. Please load the "
                                        "page again."),
    "request_line_too_long": lambda body: _("This address is too long. Please go back and "
                                            "try again."),
    "request_headers_too_large": lambda body: _(
        "Your browser sent too much data with this request, e.g. very large cookies. Please "
        "delete this site's cookies and try again."),
    # Sign-in and rights
    "not_authenticated": lambda body: _("Please sign in first."),
    "forbidden": lambda body: _("You are not allowed to do this here."),
    "trust_level_too_low": lambda body: _(
        "This needs a sign-in with a higher trust level, e.g. with the online ID card. Please "
        "sign in again with a stronger method."),
    # My data
    "profile_not_found": lambda body: _("We hold no data about you yet. Please sign in "
                                        "first."),
    "business_not_found": lambda body: _("We could not find this business, or you do not "
                                         "represent it."),
    "erasure_in_progress": lambda body: _("Your data is being erased right now. Please try "
                                          "again once the erasure is complete."),
    "no_erasure_request": lambda body: _("You have not asked to erase your data."),
    # Between the gateway and a service (a deployment fault; the resident can only retry)
    "rpc_unsealable": lambda body: _("That did not work. Please try again."),
    "rpc_timeout": lambda body: _(
        "A service did not answer in time. Please try again in a minute."),
}


def message_for(code: str, body: Mapping[str, Any] | None = None) -> str:
    """The resident's message for ``code`` (a general one for a code without its own)."""
    found = MESSAGES.get(code)
    return found(body or {}) if found else _("That did not work. Please try again.")
