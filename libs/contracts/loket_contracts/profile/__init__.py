# SPDX-License-Identifier: EUPL-1.2
"""The profile service's contract: profiles, businesses, consents, access log, erasure."""
