# SPDX-License-Identifier: EUPL-1.2
"""Loket notifications: messages to residents and staff, sent reliably, with their states."""
