# SPDX-License-Identifier: EUPL-1.2
"""Counting a finished counter transaction that has no Loket case, from the day list.

The choices: a button per service the office offers (channel ``counter``), and one form
with every process of the tenant (its active appointment services and its permit types)
and the channels (``counter`` and those the tenant configured for its statistics). What
is sent is the process key and the channel, nothing about the person served.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_babel import gettext as _
from marshmallow import ValidationError

from loket_contracts.statistics.measures import COUNTER, appointment_process, permit_process
from loket_contracts.statistics.schemas import CounterTransactionSchema

from ..core.i18n import localized
from ..core.page_helpers import PageError, page_error
from ..core.rpc import services

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TallyChoices:
    """What the day list offers: the office's buttons, every process, the channels."""

    buttons: list[tuple[str, str]] = field(default_factory=list)
    appointment_processes: list[tuple[str, str]] = field(default_factory=list)
    permit_processes: list[tuple[str, str]] = field(default_factory=list)
    channels: list[str] = field(default_factory=lambda: [COUNTER])


def channel_label(channel: str) -> str:
    """A channel as counter staff read it."""
    labels = {"counter": _("at the counter"), "phone": _("by phone"), "post": _("by post"),
              "email": _("by email")}
    return labels.get(channel, channel)


def _listed(call: Callable[[Any], T], default: T) -> T:
    """What ``call`` answers; ``default`` when its service is down (the day list still works)."""
    try:
        with services() as rpc:
            return call(rpc)
    except Exception as error:  # noqa: BLE001 (only an unavailable service is tolerated)
        if page_error(error).status < 500:
            raise
        log.warning("a list for counting counter transactions failed: %s",
                    type(error).__name__)
        return default


def _processes(tenant: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(key, name) of the tenant's active appointment services, and of its permit types."""
    catalogue: dict[str, Any] = _listed(lambda rpc: rpc.appointments.list_catalogue(tenant),
                                        {"services": []})
    permit_types: list[dict[str, Any]] = _listed(
        lambda rpc: rpc.permits.list_permit_types(tenant), [])
    return ([(appointment_process(service["id"]), localized(service["name"]))
             for service in catalogue["services"] if service.get("active", True)],
            [(permit_process(kind["id"]), localized(kind["name"])) for kind in permit_types])


def tally_choices(tenant: str, office: dict[str, Any]) -> TallyChoices:
    """The choices for ``office``'s day list; a service that is down offers nothing."""
    appointment_processes, permit_processes = _processes(tenant)
    settings: dict[str, Any] = _listed(lambda rpc: rpc.statistics.get_settings(tenant),
                                       {"channels": []})
    return TallyChoices(
        buttons=[(appointment_process(service["id"]), localized(service["name"]))
                 for service in office["services"]],
        appointment_processes=appointment_processes, permit_processes=permit_processes,
        channels=[COUNTER, *(channel for channel in settings["channels"] if channel != COUNTER)])


def process_name(tenant: str, process: str) -> str:
    """The process's name in the page's language (its key when it is not listed)."""
    appointment_processes, permit_processes = _processes(tenant)
    return dict(appointment_processes + permit_processes).get(process, process)


def transaction_from(form: Any) -> dict[str, Any]:
    """The ``CounterTransactionSchema`` body of a submitted form (:class:`PageError` if bad)."""
    values = {"process": form.get("process", ""), "channel": form.get("channel") or COUNTER}
    try:
        return CounterTransactionSchema().load(values)
    except ValidationError as invalid:
        raise PageError(400, "validation_failed", {"invalid_params": [
            {"name": name} for name in invalid.messages]}) from None


def staff_actor(staff: dict[str, Any]) -> dict[str, Any]:
    """The actor the statistics service takes: subject and role, not the name."""
    return {"subject": staff["subject"], "role": staff["role"]}
