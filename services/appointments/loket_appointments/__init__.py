# SPDX-License-Identifier: EUPL-1.2
"""Loket appointments service: citizens' offices, the services offered there, bookings."""
