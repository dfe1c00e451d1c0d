"""A real SMTP server (aiosmtpd) on loopback, with fault hooks, recording every message it receives.

Faults (set on `server.faults`, consumed as they fire):

- `connect_421`: the next n connections are greeted with 421 and closed
- `rcpt_451`: the next n RCPT commands get 451
- `reject`: these recipients always get 550
- `drop_after_data`: the next n messages are received whole, then the connection drops with no reply
- `data_delay`: seconds to wait before the 250 that ends DATA (the message is recorded first)

Security: `"none"`, `"starttls"` or `"ssl"`, with a certificate made for 127.0.0.1 at test time
(`LoopbackCertificate`); `auth=(user, password)` requires AUTH (PLAIN/LOGIN) over TLS.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class LoopbackCertificate:
    """A self-signed certificate for 127.0.0.1/localhost, written as PEM files."""

    cert: Path
    key: Path

    @classmethod
    def create(cls, directory: Path) -> LoopbackCertificate:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "latido test smtp")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        directory.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cls(cert_path, key_path)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this certificate only (hostname checked)."""
        return ssl.create_default_context(cafile=str(self.cert))


@dataclass
class Faults:
    connect_421: int = 0
    rcpt_451: int = 0
    reject: frozenset[str] = frozenset()
    drop_after_data: int = 0
    data_delay: float = 0.0


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"] or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Session(Session):
    """aiosmtpd's session without the legacy `login_data` attribute, which warns on every successful AUTH."""

    @property
    def login_data(self) -> Any:
        return None

    @login_data.setter
    def login_data(self, value: Any) -> None:
        pass


class _FaultSMTP(SMTP):
    """aiosmtpd's SMTP with a greeting that can refuse the connection."""

    def _create_session(self) -> Session:
        return _Session(self.loop)

    def __init__(self, handler: _Handler, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._fault_handler = handler

    async def _handle_client(self) -> None:
        if self._fault_handler.server.take("connect_421"):
            await self.push("421 4.3.2 Too busy, try again later")
            assert self.transport is not None
            self.transport.close()
            return
        await super()._handle_client()


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _FaultSMTP(self.handler, **self.SMTP_kwargs)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(  # aiosmtpd calls hooks by these names
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.server.take("rcpt_451"):
            return "451 4.3.0 Mailbox busy, try again later"
        if address in self.server.faults.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:  # aiosmtpd calls hooks by these names
        data = envelope.original_content or b""
        self.server.record(Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), data))
        if self.server.take("drop_after_data"):
            assert server.transport is not None
            server.transport.abort()
            return "250 OK"
        if self.server.faults.data_delay:
            await asyncio.sleep(self.server.faults.data_delay)
        return "250 2.0.0 Queued as latido-test"


@dataclass
class SmtpServer:
    security: str = "none"
    certificate: LoopbackCertificate | None = None
    auth: tuple[str, str] | None = None
    faults: Faults = field(default_factory=Faults)
    received: list[Received] = field(default_factory=list)
    auth_attempts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self.port = _free_port()
        kwargs: dict[str, Any] = {}
        if self.security in ("starttls", "ssl") and self.certificate is None:
            raise ValueError(f"{self.security} needs a certificate")
        if self.security == "starttls":
            assert self.certificate is not None
            kwargs.update(tls_context=self.certificate.server_context(), require_starttls=True)
        elif self.security == "ssl":
            assert self.certificate is not None
            kwargs["ssl_context"] = self.certificate.server_context()
        if self.auth is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=True)
        self._controller = _Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, server_hostname="localhost", **kwargs
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert self.auth is not None
        user, password = self.auth
        ok = isinstance(auth_data, LoginPassword) and auth_data == (user.encode(), password.encode())
        with self._lock:
            self.auth_attempts.append(f"{mechanism}:{'ok' if ok else 'refused'}")
        return AuthResult(success=ok, handled=False)

    def take(self, fault: str) -> bool:
        """Consume one firing of a counted fault; True when it fires."""
        with self._lock:
            left = int(getattr(self.faults, fault))
            if left <= 0:
                return False
            setattr(self.faults, fault, left - 1)
            return True

    def record(self, message: Received) -> None:
        with self._lock:
            self.received.append(message)
            self._lock.notify_all()

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def start(self) -> SmtpServer:
        self._controller.start()
        # aiosmtpd opens one connection of its own to check the server is up: faults apply from here on.
        return self

    def stop(self) -> None:
        self._controller.stop()
