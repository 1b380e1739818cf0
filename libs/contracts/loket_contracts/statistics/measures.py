# SPDX-License-Identifier: EUPL-1.2
"""What statistics counts: processes, channels and measures, named once for every side.

A *process* is an appointment service or a permit type of a tenant, keyed
``appointments:<service id>`` or ``permits:<type id>`` (stable across catalogue edits);
its optional ``service_key`` is the LeiKa/FIM key that makes figures of different
municipalities comparable. A *channel* is how the resident came: ``online`` (through
Loket), ``counter`` (walk-in booked by staff, application received at the counter), or one
a tenant configures (``phone``, ``post``). Notifications count under ``notifications:<kind>``
with the delivery channel (``email``, ``sms``).
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from marshmallow import validate

AREAS = ("appointments", "permits", "notifications")
PROCESS_KEY = validate.Regexp(r"^(appointments|permits|notifications):[a-z0-9][a-z0-9_-]{0,79}$",
                              error="Use appointments:<service id> or permits:<type id>.")
# A LeiKa (Leistungskatalog) service key: 14 digits (FIM uses the same key).
SERVICE_KEY = validate.Regexp(r"^\d{14}$", error="A LeiKa key has 14 digits.")
ONLINE = "online"
COUNTER = "counter"
BUILT_IN_CHANNELS = (ONLINE, COUNTER)
# Channels a tenant may add (``channels`` in its statistics settings).
OPTIONAL_CHANNELS = ("phone", "post", "email")
CHANNEL = validate.OneOf((*BUILT_IN_CHANNELS, *OPTIONAL_CHANNELS, "sms"))
MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Use YYYY-MM.")

# Counted facts, each a number of events per (tenant, month, process, channel).
APPOINTMENT_MEASURES = ("appointments_booked", "appointments_cancelled",
                        "appointments_checked_in", "appointments_no_show", "walk_ins",
                        "lottery_entries", "lottery_allocations")
APPLICATION_MEASURES = ("applications_started", "applications_submitted",
                        "applications_approved", "applications_rejected",
                        "applications_withdrawn")
COUNTER_MEASURES = ("counter_transactions",)
NOTIFICATION_MEASURES = ("notifications_sent", "notifications_failed")
MEASURES = (*APPOINTMENT_MEASURES, *APPLICATION_MEASURES, *COUNTER_MEASURES,
            *NOTIFICATION_MEASURES)
# The lead time of a decision (submitted -> decided), counted in the month of the decision.
LEAD_TIME = "lead_time"
# A process's volume (how often it was done, by channel): what the digital share divides.
# appointments: bookings (walk-ins are bookings on the counter channel) plus counter
# transactions; permits: submitted applications plus counter transactions.
VOLUME_MEASURES = {"appointments": ("appointments_booked", "counter_transactions"),
                   "permits": ("applications_submitted", "counter_transactions")}
DEFAULT_THRESHOLD = 5


def area_of(process: str) -> str:
    """``appointments``, ``permits`` or ``notifications``."""
    return process.split(":", 1)[0]


def appointment_process(service_id: str) -> str:
    """The process key of an appointment service."""
    return f"appointments:{service_id}"


def permit_process(type_id: str) -> str:
    """The process key of a permit type."""
    return f"permits:{type_id}"


# Months are the tenants' calendar months (all Loket tenants are in Germany).
MONTH_ZONE = ZoneInfo("Europe/Berlin")


def month_of(instant_iso: str) -> str:
    """``YYYY-MM`` of an ISO timestamp, in Europe/Berlin (a naive one counts as UTC)."""
    instant = datetime.fromisoformat(instant_iso)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=ZoneInfo("UTC"))
    return instant.astimezone(MONTH_ZONE).strftime("%Y-%m")
