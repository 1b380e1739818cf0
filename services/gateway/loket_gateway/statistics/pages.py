# SPDX-License-Identifier: EUPL-1.2
"""The public statistics page, ``/<lang>/statistics``, and the charts' stylesheet.

The tenant comes from the host; no sign-in. What it shows comes from the releases only
(``published_series``: suppressed, frozen): per process the digital share month by month
against the expected share, the counts by channel and the lead times, each chart with its
table and a summary (:mod:`.series_view`), and links to the open-data files.
"""
from __future__ import annotations

from flask import Blueprint, Response, g, render_template

from ..core.page_helpers import services
from ..core.pages import pages_blueprint
from . import charts
from .series_view import process_views
from .wording import channel_names, month_name

blueprint = pages_blueprint("statistics_pages", __name__)
assets = Blueprint("statistics_assets", __name__)
STYLES_MAX_AGE = 24 * 60 * 60


@blueprint.get("/<lang>/statistics")
def public_statistics():
    """The published figures of this municipality, with their open-data files."""
    with services() as rpc:
        releases = rpc.statistics.list_releases(g.tenant.id)
        series = rpc.statistics.published_series(g.tenant.id) if releases else []
        threshold = rpc.statistics.get_settings(g.tenant.id)["threshold"] if releases else 0
    newest = max((release["month"] for release in releases), default=None)
    return render_template("statistics/public.html", releases=releases,
                           views=process_views(series, threshold), threshold=threshold,
                           channel_names=channel_names(),
                           newest_month=month_name(newest) if newest else "")


@assets.get("/statistics/charts.css")
def chart_styles() -> Response:
    """The charts' styles (pygal's, as a file: the policy allows no inline styles)."""
    response = Response(charts.stylesheet(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = STYLES_MAX_AGE
    return response
