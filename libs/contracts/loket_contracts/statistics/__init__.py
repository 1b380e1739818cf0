# SPDX-License-Identifier: EUPL-1.2
"""The statistics service's contract: processes, channels, measures, figures and releases."""
