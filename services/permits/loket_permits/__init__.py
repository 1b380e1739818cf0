# SPDX-License-Identifier: EUPL-1.2
"""Loket permits service: application types and applications (cases)."""
