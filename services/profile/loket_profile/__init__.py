# SPDX-License-Identifier: EUPL-1.2
"""Loket profile service: the only place residents' personal data lives."""
