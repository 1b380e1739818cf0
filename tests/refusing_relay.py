# SPDX-License-Identifier: EUPL-1.2
"""A relay in the test process that refuses what it is offered (``test_notification_faults``).

``FirstRelay().start()`` listens on a free port of its own; ``stop()`` closes it (refused
connections), ``start()`` again opens the same port.
"""
import threading

from aiosmtpd.controller import Controller

from deploy.local.infra import free_port


class RefusingRelay:
    """An SMTP server that takes MAIL and answers 421 to every RCPT, noting the address.

    An address starting ``nosuch`` gets ``550 5.1.1`` instead: it does not exist. With
    ``refuse_mail`` set, MAIL itself gets the 421 (the senders are noted).
    """

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.senders: list[str] = []
        self.refuse_mail = False
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if not self.refuse_mail:
            envelope.mail_from = address
            envelope.mail_options.extend(mail_options)
            return "250 OK"
        with self.lock:
            self.senders.append(address)
        return "421 4.3.2 not now"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            self.recipients.append(address)
        if address.startswith("nosuch"):
            return "550 5.1.1 no such user"
        return "421 4.3.2 try again later"

    def saw(self, recipient: str) -> int:
        """How often ``recipient`` was offered."""
        with self.lock:
            return self.recipients.count(recipient)


class FirstRelay:
    """The refusing relay on a fixed port, which can be taken down and brought back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RefusingRelay()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
