# SPDX-License-Identifier: EUPL-1.2
"""Loket notifications service: messages to residents and staff, sent reliably, with states."""
