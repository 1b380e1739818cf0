# SPDX-License-Identifier: EUPL-1.2
"""Loket gateway: the only public entry (JSON API, OpenAPI, web pages, health)."""
