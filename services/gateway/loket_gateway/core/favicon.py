# SPDX-License-Identifier: EUPL-1.2
"""``/favicon.ico``: browsers ask for it on every visit, so it is served from here, cached."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, send_file

FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.ico"
CACHE_SECONDS = 7 * 24 * 60 * 60


def register(app: Flask) -> None:
    """Serve the icon at the path browsers ask without being told."""
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon() -> Response:
    """The icon (16 and 32 px), cached for a week, revalidated by its ETag."""
    return send_file(FAVICON, mimetype="image/vnd.microsoft.icon", max_age=CACHE_SECONDS)
