# SPDX-License-Identifier: EUPL-1.2
"""Bots and fairness at the booking desk: proof of work and the hold guard."""
