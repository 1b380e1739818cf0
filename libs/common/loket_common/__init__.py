# SPDX-License-Identifier: EUPL-1.2
"""Shared building blocks of the Loket services (installed, never copied)."""
