# SPDX-License-Identifier: EUPL-1.2
"""Sending: channels (email over SMTP relays with failover, SMS over HTTP), rate limits, bounces."""
