# SPDX-License-Identifier: EUPL-1.2
"""Sending: channels (email over SMTP relays with failover, SMS over HTTP), rate limits, bounces.

- ``channels``: the interface the dispatcher calls (``email_channel``, ``sms_channel``,
  ``Outgoing`` -> ``SendResult``, ``message_id_header``);
- ``relays``: ``NOTIFICATIONS_SMTP_RELAYS`` parsed, a tenant's relays in order;
- ``email_message``, ``smtp_pool``, ``smtp_send``: the MIME message, pooled connections,
  one relay's answer as a code; ``rate_limit``: per-relay rates shared by all instances;
- ``sms``: the SMS provider contract and the HTTP provider;
- ``dsn``, ``bounce_receiver``: RFC 3464 reports and the ``loket-notifications-bounces``
  process that hands them to ``notifications.record_delivery_report``.
"""
