# SPDX-License-Identifier: EUPL-1.2
"""Loket's statistics service: counts from events, monthly open data releases."""
