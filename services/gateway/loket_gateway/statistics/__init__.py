# SPDX-License-Identifier: EUPL-1.2
"""Statistics as people see them: public figures, open data, the admins' and operators' views."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the statistics API, the public and staff pages and the open-data files."""
