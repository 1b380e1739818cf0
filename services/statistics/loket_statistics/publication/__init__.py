# SPDX-License-Identifier: EUPL-1.2
"""Monthly releases: suppression, the files (CSV, JSON, datapackage.json, DCAT-AP.de), the chain."""
