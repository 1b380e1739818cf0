# SPDX-License-Identifier: EUPL-1.2
"""The appointments service's contract: catalogue, booking, lottery schemas and its Protocol."""
