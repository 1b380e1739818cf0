# SPDX-License-Identifier: EUPL-1.2
"""The development mail catcher: every message kept, shown on a page; nothing leaves.

An SMTP server (aiosmtpd) that keeps every message it receives as an ``.eml`` file and a
development mailbox page with a JSON API (and the fake SMS provider) over what it kept.
Nothing leaves the machine. ``make run`` and the end-to-end tests start it; it ships in no
image.

Run: ``python -m deploy.local.mail_catcher --smtp-port 1025 --http-port 8025 --dir var/mail``
``--refuse-rcpt-pattern REGEX``: recipients matching it get ``550 5.1.1``;
``--bounce-pattern REGEX --bounce-relay HOST:PORT``: recipients matching it are accepted,
then a delivery status notification (RFC 3464) goes to the envelope sender via the relay.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import re
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from loket_common.logs import get_logger

from .bounce_simulation import dsn_for, parse_relay, send_bounce
from .mail_store import MailStore

log = get_logger("mail_catcher")


class CatcherHandler:
    """aiosmtpd handler: refuse or accept each recipient; 250 only once the file is written."""

    def __init__(self, store: MailStore, refuse: re.Pattern[str] | None = None,
                 bounce: re.Pattern[str] | None = None,
                 bounce_relay: tuple[str, int] | None = None) -> None:
        self.store = store
        self.refuse = refuse
        self.bounce = bounce
        self.bounce_relay = bounce_relay
        self.bounce_threads: list[threading.Thread] = []

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        """Refuse a recipient matching the refuse pattern (the address "does not exist")."""
        if self.refuse is not None and self.refuse.search(address):
            log.info("recipient refused", code="550 5.1.1")
            return "550 5.1.1 Recipient address rejected: user unknown (mail catcher)"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope) -> str:
        """Write the message to disk (atomically, fsynced), then say 250."""
        raw = envelope.original_content or b""
        mail_from = (envelope.mail_from or "").strip("<>")  # aiosmtpd: "<>" is the null sender
        recipients = list(envelope.rcpt_tos)
        try:
            message_id = await asyncio.get_running_loop().run_in_executor(
                None, self.store.save_message, raw, mail_from, recipients)
        except OSError:
            log.exception("message not stored")
            return "451 4.3.0 Could not store the message, try again later"
        log.info("message stored", file=message_id, recipients=len(recipients))
        bounced = [address for address in recipients
                   if self.bounce is not None and self.bounce.search(address)]
        if bounced and mail_from:  # never bounce a bounce (the null sender)
            thread = threading.Thread(target=self._bounce, args=(message_id, raw, mail_from,
                                                                 bounced), daemon=True)
            self.bounce_threads.append(thread)
            thread.start()
        return f"250 2.0.0 OK: queued as {message_id}"

    def _bounce(self, message_id: str, raw: bytes, mail_from: str,
                recipients: list[str]) -> None:
        if self.bounce_relay is None:
            self.store.record_bounce(message_id, "failed", "no bounce relay configured")
            return
        outcomes = [send_bounce(self.bounce_relay, dsn_for(raw, mail_from, recipient), mail_from)
                    for recipient in recipients]
        failed = [outcome for outcome in outcomes if outcome != "sent"]
        self.store.record_bounce(message_id, "failed" if failed else "sent",
                                 "; ".join(failed) or f"DSN to the sender via "
                                 f"{self.bounce_relay[0]}:{self.bounce_relay[1]}")
        log.info("bounce simulated", file=message_id, outcome=outcomes[0])


class MailCatcher:
    """The SMTP server and the mailbox's HTTP server, in one process (or one test)."""

    def __init__(self, directory: Path, smtp_port: int, http_port: int,
                 host: str = "127.0.0.1", refuse: str | None = None, bounce: str | None = None,
                 bounce_relay: str | None = None) -> None:
        self.store = MailStore(directory)
        self.handler = CatcherHandler(
            self.store, re.compile(refuse, re.IGNORECASE) if refuse else None,
            re.compile(bounce, re.IGNORECASE) if bounce else None,
            parse_relay(bounce_relay) if bounce_relay else None)
        self.smtp = Controller(self.handler, hostname=host, port=smtp_port,
                               server_hostname="mail-catcher.loket.invalid",
                               enable_SMTPUTF8=True)
        from werkzeug.serving import make_server

        from .mailbox_web import create_app

        self.http: Any = make_server(host, http_port, create_app(self.store, smtp_port),
                                     threaded=True)
        self.http_thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def start(self) -> None:
        """Listen on both ports (returns once both accept connections)."""
        self.smtp.start()
        self.http_thread.start()

    def stop(self) -> None:
        """Stop both servers."""
        self.http.shutdown()
        self.smtp.stop()


def main() -> None:
    """Run until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, required=True, help="where messages are kept")
    parser.add_argument("--refuse-rcpt-pattern", help="answer 550 5.1.1 to matching recipients")
    parser.add_argument("--bounce-pattern", help="accept, then bounce matching recipients")
    parser.add_argument("--bounce-relay", help="host:port the bounces are sent to")
    args = parser.parse_args()
    import signal

    from loket_common.logs import configure

    configure()
    # Their lines name addresses (aiosmtpd's every command, werkzeug's query strings).
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    catcher = MailCatcher(args.dir, args.smtp_port, args.http_port,
                          refuse=args.refuse_rcpt_pattern, bounce=args.bounce_pattern,
                          bounce_relay=args.bounce_relay)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    catcher.start()
    log.info("mail catcher listening", smtp_port=args.smtp_port, http_port=args.http_port)
    stopped.wait()
    catcher.stop()


if __name__ == "__main__":
    main()
