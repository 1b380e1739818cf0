# SPDX-License-Identifier: EUPL-1.2
"""The permits service's contract: application types, applications (cases), its Protocol."""
