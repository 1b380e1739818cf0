# SPDX-License-Identifier: EUPL-1.2
"""What every area uses: settings, errors, RPC, OpenAPI, health, security, CSRF, limits, i18n."""
