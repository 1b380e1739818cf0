# SPDX-License-Identifier: EUPL-1.2
"""Messages from templates per tenant and language: subject, text, accessible HTML, .ics."""
from .renderer import Rendered, Renderer

__all__ = ["Rendered", "Renderer"]
