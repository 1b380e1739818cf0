# SPDX-License-Identifier: EUPL-1.2
"""The platform operator's statistics page: every tenant side by side for a month.

``/<lang>/operator/statistics?month=``: per tenant the volume by channel (every process),
the digital share, the number of releases and whether its chain verifies
(``verify_chain``). Counts only; nothing here names a person.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from flask import abort, render_template, request

from loket_contracts.statistics.measures import ONLINE

from ..core.page_helpers import services
from ..core.pages import pages_blueprint
from ..identity.access import operator_page
from . import forms
from .admin_pages import recent_months
from .wording import channel_names, month_name, ordered_channels, percent

blueprint = pages_blueprint("statistics_operator", __name__)


def tenant_totals(figures: dict[str, Any]) -> dict[str, Any]:
    """A tenant's month in one row: volume per channel, all of it, the digital share."""
    volume: Counter[str] = Counter()
    for item in figures["processes"]:
        volume.update(item["volume"])
    total = sum(volume.values())
    return {"tenant": figures["tenant"], "volume": dict(volume), "total": total,
            "digital_share": volume[ONLINE] / total if total else None}


@blueprint.get("/<lang>/operator/statistics")
@operator_page
def operator_statistics():
    """Every tenant's live figures of the month, its releases and its chain's state."""
    months = recent_months()
    month = request.args.get("month", months[0])
    if not forms.MONTH_PATTERN.fullmatch(month):
        abort(400)
    with services() as rpc:
        figures = rpc.statistics.all_tenants_figures(month)
        rows = []
        for item in figures:
            row = tenant_totals(item)
            row["releases"] = len(rpc.statistics.list_releases(item["tenant"]))
            row["chain"] = rpc.statistics.verify_chain(item["tenant"])
            rows.append(row)
    channels = ordered_channels({channel for row in rows for channel in row["volume"]})
    return render_template("statistics/operator.html", month=month, months=months,
                           rows=rows, channels=channels, channel_names=channel_names(),
                           month_name=month_name, percent=percent)
