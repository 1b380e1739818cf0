# SPDX-License-Identifier: EUPL-1.2
"""The MIME message of an :class:`Outgoing` email, built with the standard library only.

``multipart/alternative`` (plain text first, then HTML) inside ``multipart/mixed`` when
files are attached; a calendar file goes as ``text/calendar; method=PUBLISH``. Nothing is
added to the content: no tracking, no remote images or fonts, no link rewriting.
"""
from __future__ import annotations

from email.errors import HeaderDefect, HeaderParseError, NonASCIILocalPartDefect
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import formatdate

from .records import Attachment, Outgoing, message_id_header


class InvalidAddress(ValueError):
    """A recipient address no relay could take (no domain, spaces, line breaks, ...)."""


def recipient_header(address: str) -> str | Address:
    """``address`` as the To header; :class:`InvalidAddress` if it is not one.

    A non-ASCII local part (``jörg@example.de``) is kept as it is, for SMTPUTF8.
    """
    if not address or "@" not in address or any(char in address for char in "\r\n\t <>,"):
        raise InvalidAddress("not an email address")
    try:
        return Address(addr_spec=address)
    except NonASCIILocalPartDefect:
        return address
    except (HeaderDefect, HeaderParseError, ValueError, IndexError):
        raise InvalidAddress("not an email address") from None


def build_email(outgoing: Outgoing, date: float | None = None) -> EmailMessage:
    """The message as the relay receives it; ``date`` (epoch seconds) defaults to now.

    Raises :class:`InvalidAddress` for a recipient that is no address, ``ValueError`` for
    a header that cannot be sent (a line break in the subject, a bad sender).
    """
    # an address with a non-ASCII local part needs SMTPUTF8 (the relay must support it)
    international = not (outgoing.recipient.isascii() and outgoing.sender.isascii())
    message = EmailMessage(policy=SMTPUTF8 if international else SMTP)
    message["From"] = Address(display_name=outgoing.sender_name, addr_spec=outgoing.sender)
    message["To"] = recipient_header(outgoing.recipient)
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(date, usegmt=True)
    message["Message-ID"] = message_id_header(outgoing.message_id, outgoing.tenant)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message["X-Auto-Response-Suppress"] = "All"  # the same, for Exchange
    # quoted-printable: 7-bit clean, readable, lines kept short for every relay
    message.set_content(outgoing.text, subtype="plain", charset="utf-8",
                        cte="quoted-printable")
    if outgoing.html is not None:
        message.add_alternative(outgoing.html, subtype="html", charset="utf-8",
                                cte="quoted-printable")
    for attachment in outgoing.attachments:
        _attach(message, attachment)
    # last: making the message multipart moves Content-* headers into its first part
    if outgoing.language:
        message["Content-Language"] = outgoing.language
    return message


def _attach(message: EmailMessage, attachment: Attachment) -> None:
    """Add ``attachment``, base64-encoded (its bytes and line ends arrive unchanged)."""
    probe = EmailMessage()
    probe["Content-Type"] = attachment.content_type
    maintype, subtype = probe.get_content_maintype(), probe.get_content_subtype()
    params = {key: value for key, value in probe["Content-Type"].params.items()
              if key != "charset"}
    if maintype == "text":
        charset = probe.get_content_charset() or "utf-8"
        if (maintype, subtype) == ("text", "calendar"):
            params.setdefault("method", "PUBLISH")
        message.add_attachment(attachment.data.decode(charset), subtype=subtype,
                               charset="utf-8", cte="base64", filename=attachment.filename,
                               params=params)
    else:
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename, params=params)
