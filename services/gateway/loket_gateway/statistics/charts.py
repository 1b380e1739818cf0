# SPDX-License-Identifier: EUPL-1.2
"""Server-rendered SVG charts (pygal): the digital share against the expected one, channels.

The SVG is **inline** (``<svg>`` in the page), so there is one request per page and nothing
else to serve or authorize. The gateway's Content-Security-Policy (``core/security.py``:
``style-src 'self'``, ``script-src 'self'``) would block what pygal puts inside an SVG
(a ``<style>`` element, a config ``<script>``, a ``style=`` attribute), so :func:`inline`
takes those out, with pygal's comments (they hold ``http://`` links) and the namespace
declaration (inline SVG needs none); the chart's styles come from :func:`stylesheet`,
served by the gateway as a file (``/statistics/charts.css``), which ``style-src 'self'``
allows. No SVG holds a URL, a script or a reference to anything outside it.

The SVG is decorative for screen readers (``aria-hidden``): each chart is shown with its
data table and a one-sentence summary, which carry the figures.
"""
from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pygal  # type: ignore[import-untyped]  # ships no types
from markupsafe import Markup
from pygal.style import Style  # type: ignore[import-untyped]

SVG_NS = "http://www.w3.org/2000/svg"
# Enough colours for the share chart (2 series) and every channel (7).
MAX_SERIES = 8
# Colours with at least 3:1 contrast against white, in a colour-blind-safe order.
COLOURS = ("#0b5cab", "#b35900", "#2e7d32", "#6a3d9a", "#a50f15", "#00695c", "#4e5d6c",
           "#7a5c00")
STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1a1a1a",
              foreground_strong="#1a1a1a", foreground_subtle="#595959",
              colors=COLOURS, font_family="system-ui, sans-serif", opacity="1",
              opacity_hover="1")
COMMON = {"js": [], "style": STYLE, "disable_xml_declaration": True, "width": 640,
          "height": 320, "legend_at_bottom": True, "legend_at_bottom_columns": 2,
          "truncate_legend": -1, "print_values": False, "show_minor_x_labels": True,
          "x_label_rotation": 0, "margin": 8}
PREFIX = re.compile(r"#chart-[0-9a-f-]{36}")
# Beside pygal's: the chart scales to its column, the expected share is dashed, and long
# German words in the statistics pages' headings wrap at 320 px.
LAYOUT = ("\nsvg.pygal-chart{display:block;width:100%;max-width:40rem;height:auto}"
          "\nsvg.pygal-chart .serie-1 .line{stroke-dasharray:6,4}"
          "\n.statistics-process h2,.statistics-process h3,.chart figcaption"
          "{overflow-wrap:break-word;hyphens:auto}"
          "\nfigure.chart{margin:1rem 0}\n")


def _config(chart_class: type, **options: object) -> pygal.Graph:
    return chart_class(**{**COMMON, **options})


def share_chart(months: Sequence[str], actual: Sequence[float | None],
                expected: Sequence[float | None], names: tuple[str, str]) -> Markup:
    """A line chart of the digital share (0..1) month by month against the expected share.

    ``names``: the two series' legends (actual, expected). Months without volume are gaps.
    """
    chart = _config(pygal.Line, range=(0, 100), include_x_axis=True, allow_interruptions=True,
                    value_formatter=lambda value: f"{value:.0f} %", dots_size=4)
    chart.x_labels = list(months)
    chart.add(names[0], [None if share is None else round(share * 100, 1) for share in actual])
    chart.add(names[1], [None if share is None else round(share * 100, 1) for share in expected],
              show_dots=False)  # dashed: see stylesheet()
    return inline(chart.render(is_unicode=True))


def channel_chart(months: Sequence[str], counts: dict[str, Sequence[int | None]]) -> Markup:
    """A bar chart of the counts by channel (legend: channel name) month by month.

    ``counts``: channel name -> one count per month (None: not shown, e.g. suppressed).
    """
    chart = _config(pygal.Bar, include_x_axis=True, min_scale=1, max_scale=6)
    chart.x_labels = list(months)
    for name, values in list(counts.items())[:MAX_SERIES]:
        chart.add(name, list(values))
    return inline(chart.render(is_unicode=True))


def inline(svg: str) -> Markup:
    """Pygal's SVG as inline, decorative ``<svg>``: no style, script, comment, URL, inner id."""
    root = ET.fromstring(svg)  # noqa: S314 (pygal's own output, not a request's)
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("style", "script", "title", "desc") or "tooltip" in child.get(
                    "class", "").split():
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("style", None)
        if element is not root:  # pygal's legend ids repeat in every chart of a page
            element.attrib.pop("id", None)
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    ET.register_namespace("", SVG_NS)
    text = ET.tostring(root, encoding="unicode").replace(f' xmlns="{SVG_NS}"', "", 1)
    return Markup(text)  # noqa: S704 (pygal's own markup, the labels escaped by ElementTree)


@functools.cache
def stylesheet() -> str:
    """The styles pygal gives for every chart here, scoped to ``svg.pygal-chart`` (built once)."""
    chart = _config(pygal.Line)
    chart.x_labels = ["a"]
    for series in range(MAX_SERIES):
        chart.add(str(series), [series])
    svg = chart.render(is_unicode=True)
    found = re.search(r"<style[^>]*>(.*?)</style>", svg, re.S)
    # The SVG's text escapes ">" (child selectors): the stylesheet has it as written.
    css = PREFIX.sub("svg.pygal-chart", html.unescape(found.group(1) if found else ""))
    return css + LAYOUT
