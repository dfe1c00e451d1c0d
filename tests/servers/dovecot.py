"""A throwaway Dovecot IMAP server from Debian's `dovecot-imapd`, on loopback ports, in a temp dir.

It runs in the foreground (`dovecot -F -c CONF`) with every path (base_dir, state_dir, log, mail)
under its own directory, so nothing system-wide is touched. Users live in a passwd-file written at
start, so one server serves many tests, each with its own user and empty mailbox. Port `port` speaks plain IMAP and offers STARTTLS; `ssl_port` is
IMAP over TLS; both use a certificate made for 127.0.0.1 at start, signed by a throwaway CA
(`ca_path`). Plaintext login is allowed: everything stays on loopback.

As root, Dovecot refuses to run its login processes or mail access as root, so they use Debian's
`dovenull`, `dovecot` and `nobody` accounts; otherwise everything runs as the current user.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import os
import pwd
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from imapclient import IMAPClient

DOVECOT = Path("/usr/sbin/dovecot")
USERS = 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def write_test_certificate(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1/localhost: (ca.pem, cert.pem, key.pem)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Latido test CA"))
        .issuer_name(_name("Latido test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = directory / "ca.pem", directory / "cert.pem", directory / "key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_path, cert_path, key_path


@dataclass
class ImapAccount:
    """One user with an empty mailbox on a running server."""

    server: DovecotServer
    user: str
    password: str

    def client(self) -> IMAPClient:
        """A logged-in plain connection, for putting mail in place (close it with `logout`)."""
        client = IMAPClient("127.0.0.1", port=self.server.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Deliver messages into a folder (created if needed), the way a mail server files them."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in messages:
                client.append(folder, raw)

    def recreate_folder(self, folder: str) -> None:
        """Delete and create a folder again: the server gives it a new UIDVALIDITY."""
        with self.client() as client:
            client.delete_folder(folder)
            client.create_folder(folder)

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def seen_flags(self, folder: str = "INBOX") -> list[bool]:
        """For each message, whether it is marked \\Seen."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            flags = client.get_flags(client.search(["ALL"]))
            return [b"\\Seen" in f for f in flags.values()]


@dataclass
class DovecotServer:
    root: Path
    port: int = field(default_factory=_free_port)
    ssl_port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None
    _stderr: IO[bytes] | None = None
    _next_user: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def ca_path(self) -> Path:
        return self.root / "tls" / "ca.pem"

    @property
    def log_path(self) -> Path:
        return self.root / "dovecot.log"

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only this server's test CA."""
        return ssl.create_default_context(cafile=str(self.ca_path))

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def add_user(self) -> ImapAccount:
        """The next unused user, with an empty mailbox."""
        number = next(self._next_user)
        if number > USERS:
            raise RuntimeError(f"all {USERS} test users are taken: raise USERS in tests/servers/dovecot.py")
        return ImapAccount(self, f"user{number}", f"pass-{number}")

    def _write_users(self) -> None:
        # Dovecot re-reads a changed passwd-file only once its mtime moves on (whole seconds), so
        # every user exists from the start and tests take the next unused one.
        users = self.root / "users"
        users.write_text("".join(f"user{n}:{{PLAIN}}pass-{n}\n" for n in range(1, USERS + 1)), encoding="utf-8")
        users.chmod(0o644)

    def _config(self) -> str:
        root = self.root
        if os.geteuid() == 0:
            internal, login = "dovecot", "dovenull"
            mail = pwd.getpwnam("nobody")
            unprivileged = ""
        else:
            internal = login = pwd.getpwuid(os.geteuid()).pw_name
            mail = pwd.getpwuid(os.geteuid())
            # Without root nothing can chroot or change user: every service runs as this user.
            unprivileged = "  chroot =\n"
        return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {self.log_path}
instance_name = latido-test-{self.port}
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
last_valid_uid = 0
disable_plaintext_auth = no
auth_mechanisms = plain login
# Refused logins answer at once: the wrong-password test needs no 2 s penalty.
auth_failure_delay = 0
ssl = yes
ssl_cert = <{root}/tls/cert.pem
ssl_key = <{root}/tls/key.pem
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/mail/%u
}}
# No growing penalty for an address after a refused login: every test logs in from 127.0.0.1.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
{unprivileged}  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port}
    ssl = yes
  }}
}}
""" + ("" if not unprivileged else "service auth-worker {\n  user = $default_internal_user\n}\n")

    def start(self) -> DovecotServer:
        if not DOVECOT.exists():
            raise RuntimeError("Dovecot not found: apt-get install dovecot-imapd")
        for sub in ("run", "state", "mail", "tls"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        write_test_certificate(self.root / "tls")
        # Dovecot's own users must reach the passwd-file and the mail dir under this root.
        self.root.chmod(0o755)
        self._write_users()
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.root / "mail", nobody.pw_uid, nobody.pw_gid)
        conf = self.root / "dovecot.conf"
        conf.write_text(self._config(), encoding="utf-8")
        self._stderr = (self.root / "stderr.log").open("wb")
        self.process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        stderr = (self.root / "stderr.log").read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"Dovecot did not start:\n{stderr}\n{self.log()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def start_dovecot(root: Path) -> DovecotServer:
    return DovecotServer(root).start()
