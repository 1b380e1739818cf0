# SPDX-License-Identifier: EUPL-1.2
"""The notifications service's contract: messages and their states, kinds, previews."""
