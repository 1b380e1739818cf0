# SPDX-License-Identifier: EUPL-1.2
"""Real servers for the delivery tests.

aiosmtpd relays that can refuse, a silent port, TLS certificates made here, and an HTTP
endpoint standing in for an SMS provider.
"""
from __future__ import annotations

import asyncio
import datetime
import ipaddress
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message a relay took: the envelope, the parsed message, the connection it came on."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    peer: tuple[str, int]


@dataclass
class RelayHandler:
    """aiosmtpd handler recording what it takes; ``*_answer`` makes it refuse that step."""

    received: list[Received] = field(default_factory=list)
    mail_answer: str | None = None
    mail_answer_once: bool = False
    rcpt_answer: str | None = None
    data_answer: str | None = None
    servers: list = field(default_factory=list)  # the protocol of each connection

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if server not in self.servers:
            self.servers.append(server)
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_answer:
            answer = self.mail_answer
            if self.mail_answer_once:
                self.mail_answer = None
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_answer:
            return self.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_answer:
            return self.data_answer
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message,
                                      session.peer))
        return "250 2.0.0 queued"


class SmtpLoop:
    """One asyncio loop in a thread for every test relay of the process.

    Under eventlet every green thread shares the OS thread, and asyncio allows one running
    loop per OS thread: so the relays share this loop instead of a Controller each.
    """

    _instance: SmtpLoop | None = None

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    @classmethod
    def shared(cls) -> SmtpLoop:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def run(self, coroutine):
        """Run ``coroutine`` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)


class TestRelay:
    """An aiosmtpd relay on a free port of 127.0.0.1 (``security`` as Loket names it)."""

    def __init__(self, security: str = "none", tls=None, users: dict[str, str] | None = None,
                 port: int | None = None, smtputf8: bool = False) -> None:
        self.handler = RelayHandler()
        self.port = port or free_port()
        self.users = users
        self.smtp_loop = SmtpLoop.shared()
        self.implicit_tls = tls.server_context() if security == "tls" else None
        self.options: dict = {"hostname": "relay.test", "enable_SMTPUTF8": smtputf8}
        if security == "starttls":
            self.options.update(tls_context=tls.server_context(), require_starttls=True)
        if users is not None:
            self.options.update(authenticator=self._authenticate, auth_require_tls=True,
                                auth_required=True)
        self.server = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and self.users is not None
              and self.users.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok, handled=False)

    def start(self) -> TestRelay:
        loop = self.smtp_loop.loop

        async def serve():
            return await loop.create_server(
                lambda: SMTP(self.handler, loop=loop, **self.options), "127.0.0.1",
                self.port, ssl=self.implicit_tls)

        self.server = self.smtp_loop.run(serve())
        return self

    def stop(self) -> None:
        """Stop listening and close every connection."""
        if self.server is None:
            return
        server, self.server = self.server, None

        async def close():
            server.close()
            for protocol in self.handler.servers:
                if protocol.transport is not None:
                    protocol.transport.close()

        self.smtp_loop.run(close())

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def drop_connections(self) -> None:
        """Close every client connection from the server's side (a relay's idle timeout)."""
        loop = self.smtp_loop.loop
        for server in self.handler.servers:
            if server.transport is not None:
                loop.call_soon_threadsafe(server.transport.close)


class SilentPort:
    """A port that takes TCP connections but never greets (a relay that hangs)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)  # the kernel completes the handshake; nobody ever answers
        self.port = self.socket.getsockname()[1]

    def close(self) -> None:
        self.socket.close()


class TlsFiles:
    """A self-signed certificate for localhost and 127.0.0.1, its key, and contexts."""

    def __init__(self, directory: Path) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
        self.cert_file = directory / "relay.pem"
        self.key_file = directory / "relay.key"
        self.cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        self.key_file.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


class SmsEndpoint:
    """An HTTP server answering POSTs with ``status``; ``hang`` makes it wait ``hang`` s."""

    def __init__(self, status: int = 202) -> None:
        self.status = status
        self.requests: list[dict] = []
        self.released = threading.Event()
        self.hang = False
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.requests.append({"json": json.loads(body),
                                          "authorization": self.headers.get("Authorization"),
                                          "content_type": self.headers.get("Content-Type")})
                if endpoint.hang:
                    endpoint.released.wait(5)
                self.send_response(endpoint.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
