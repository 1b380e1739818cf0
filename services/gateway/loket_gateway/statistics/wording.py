# SPDX-License-Identifier: EUPL-1.2
"""Statistics in words: channel and measure names, months, shares, counts (page language)."""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from flask import g
from flask_babel import gettext as _

from loket_contracts.statistics.measures import BUILT_IN_CHANNELS, OPTIONAL_CHANNELS

CHANNEL_ORDER = (*BUILT_IN_CHANNELS, *OPTIONAL_CHANNELS, "sms")


def channel_names() -> dict[str, str]:
    """Each channel in the page's language."""
    return {"online": _("online"), "counter": _("at the counter"), "phone": _("by phone"),
            "post": _("by post"), "email": _("by email"), "sms": _("by text message")}


def measure_names() -> dict[str, str]:
    """Each counted measure in the page's language."""
    return {
        "appointments_booked": _("Appointments booked"),
        "appointments_cancelled": _("Appointments cancelled"),
        "appointments_checked_in": _("Checked in"),
        "appointments_no_show": _("Did not come"),
        "walk_ins": _("Walk-ins"),
        "lottery_entries": _("Lottery entries"),
        "lottery_allocations": _("Lottery allocations"),
        "applications_started": _("Applications started"),
        "applications_submitted": _("Applications submitted"),
        "applications_approved": _("Applications approved"),
        "applications_rejected": _("Applications rejected"),
        "applications_withdrawn": _("Applications withdrawn"),
        "counter_transactions": _("Counter transactions without a case"),
        "notifications_sent": _("Messages sent"),
        "notifications_failed": _("Messages that failed"),
    }


def ordered_channels(channels: set[str] | list[str]) -> list[str]:
    """``channels`` in a stable order: online, counter, then the optional ones."""
    return sorted(set(channels), key=lambda name: (CHANNEL_ORDER.index(name)
                                                   if name in CHANNEL_ORDER else 99, name))


def month_name(month: str) -> str:
    """``2026-10`` as "Oktober 2026" / "October 2026"."""
    year, number = month.split("-")
    return format_date(date(int(year), int(number), 1), "MMMM y", locale=g.lang)


def percent(share: float | None) -> str:
    """A share 0..1 as "62 %" / "62%"; a dash for none."""
    return "–" if share is None else format_percent(share, locale=g.lang)


def points(value: float | None) -> str:
    """A gap between two shares in percentage points ("−12 Prozentpunkte")."""
    if value is None:
        return "–"
    return _("%(points)s percentage points",
             points=format_decimal(round(value * 100), format="+#,##0;−#,##0", locale=g.lang))


def days(value: float | None) -> str:
    """A number of days ("4,5 Tage"); a dash for none."""
    if value is None:
        return "–"
    return _("%(days)s days", days=format_decimal(round(value, 1), locale=g.lang))


def fewer_than(threshold: int) -> str:
    """What a suppressed count reads as."""
    return _("fewer than %(threshold)d", threshold=threshold)


def share_sentence(area: str, month: str, share: float | None,
                   expected: float | None) -> str:
    """One sentence on a month's digital share, e.g. "Im Oktober 2026 wurden 62 % online ..."."""
    values = {"month": month_name(month), "share": percent(share),
              "expected": percent(expected)}
    if share is None:
        return _("In %(month)s there were no cases to count.", **values)
    if area == "appointments":
        if expected is None:
            return _("In %(month)s, %(share)s of appointments were booked online.", **values)
        return _("In %(month)s, %(share)s of appointments were booked online; "
                 "%(expected)s were expected.", **values)
    if expected is None:
        return _("In %(month)s, %(share)s of applications were made online.", **values)
    return _("In %(month)s, %(share)s of applications were made online; "
             "%(expected)s were expected.", **values)
