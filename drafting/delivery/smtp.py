"""Email out through SMTP: SSL or STARTTLS, AUTH with the password from the keyring only.

The message is built once, then parsed back and hashed: if the Subject and the
text/plain part that would leave do not hash to the approved hash, nothing is
sent. The conversation with the server is driven step by step so the
transport knows whether the server could have accepted the message: failures
before the end of DATA are safe to retry; a lost reply after it is
`DeliveryUncertain`, for a person to settle.
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from collections.abc import Callable
from contextlib import suppress
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, parseaddr
from typing import Literal, cast

from drafting.delivery.base import Outgoing, SendOutcome
from drafting.delivery.outbox import DeliveryUncertain
from drafting.secrets import SecretStore
from storage import config
from storage.hashing import content_hash, normalize_text

Security = Literal["ssl", "starttls", "none"]
SECURITIES: tuple[Security, ...] = ("ssl", "starttls", "none")

# CRLF line ends and RFC 2047 headers; the body is quoted-printable so no line is ever folded or cut.
_POLICY = policy.SMTP
_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


def _password_from_keyring() -> str | None:
    return SecretStore().get("smtp.password")


def build_message(message: Outgoing, *, sender: str, html_alternative: bool = True) -> bytes:
    """The exact bytes to send: UTF-8 text/plain (the approved body), an optional escaped HTML copy, threading headers."""
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = sender
    msg["To"] = ", ".join(message.recipients)
    msg["Subject"] = normalize_text(message.subject)
    msg["Date"] = formatdate(usegmt=True)
    if message.message_id:
        msg["Message-ID"] = message.message_id
    if message.in_reply_to:
        msg["In-Reply-To"] = message.in_reply_to
        msg["References"] = " ".join(message.references or (message.in_reply_to,))
    msg["X-Latido-Content-Hash"] = message.content_hash
    body = normalize_text(message.body)
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    if html_alternative:
        page = (
            f'<!DOCTYPE html>\n<html><body><div style="white-space: pre-wrap">{html.escape(body)}</div></body></html>'
        )
        msg.add_alternative(page, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg.as_bytes(policy=_POLICY)


def sent_content_hash(data: bytes) -> str:
    """The content hash of an email as bytes: its Subject and its text/plain part, decoded."""
    parsed = BytesParser(policy=policy.default).parsebytes(data)
    part = parsed.get_body(preferencelist=("plain",))
    text = part.get_content() if part is not None else ""
    return content_hash(str(parsed.get("Subject", "")), str(text))


def _reply_text(resp: bytes | str) -> str:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else resp
    return " ".join(text.split())


def _by_code(code: int, resp: bytes | str, step: str) -> SendOutcome:
    """4xx: try again later; anything else unexpected: failed, with the server's words."""
    reason = f"{step}: {code} {_reply_text(resp)}".strip()
    return SendOutcome("retry" if 400 <= code < 500 else "failed", reason)


class SmtpTransport:
    """Sends approved email over SMTP; never retries by itself."""

    name = "smtp"

    def __init__(  # noqa: PLR0917  # host, port, security, user, password, from: the smtp.* settings in order
        self,
        host: str,
        port: int,
        security: Security,
        user: str = "",
        password_source: Callable[[], str | None] = _password_from_keyring,
        sender: str = "",
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
        html_alternative: bool = True,
    ) -> None:
        if security not in SECURITIES:
            raise ValueError(f"smtp.security must be one of {', '.join(SECURITIES)}, not {security!r}")
        self.host, self.port, self.security, self.user = host, port, security, user
        self.password_source = password_source
        self.sender = sender
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.html_alternative = html_alternative

    @classmethod
    def from_config(cls) -> SmtpTransport:
        """The transport the settings describe (smtp.host/port/security/user/from; the password from the keyring)."""
        host = config.get("smtp.host")
        if not host:
            raise ValueError("no outgoing mail server: run `latido config set smtp.host HOST`")
        return cls(
            host,
            int(config.get("smtp.port")),
            cast(Security, config.get("smtp.security")),
            config.get("smtp.user"),
            sender=config.get("smtp.from"),
        )

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            client.ehlo()
            if self.security == "starttls":
                client.starttls(context=self._context())
                client.ehlo()
        except BaseException:
            client.close()
            raise
        return client

    def _prepare(self, message: Outgoing) -> tuple[bytes, str] | SendOutcome:
        """The bytes and the password, or why nothing may be sent."""
        if not parseaddr(self.sender)[1]:
            return SendOutcome("failed", "no From address: run `latido config set smtp.from you@example.com`")
        if not message.recipients:
            return SendOutcome("failed", "no recipients")
        try:
            data = build_message(message, sender=self.sender, html_alternative=self.html_alternative)
        except ValueError as exc:
            return SendOutcome("failed", f"cannot build the email: {exc}")
        if sent_content_hash(data) != message.content_hash:
            return SendOutcome("failed", "refused: the email as built does not hash to the approved hash")
        password = ""
        if self.user:
            password = self.password_source() or ""
            if not password:
                return SendOutcome("failed", "no SMTP password in the keyring: run `latido secret set smtp.password`")
        return data, password

    def _failure(self, exc: OSError | smtplib.SMTPException, *, connecting: bool) -> SendOutcome:
        """What an error before the end of DATA means: the server's 4xx or a lost connection can be retried."""
        where = f"{self.host}:{self.port}"
        if isinstance(exc, smtplib.SMTPResponseException):
            step = "login" if isinstance(exc, smtplib.SMTPAuthenticationError) else "server"
            return _by_code(exc.smtp_code, exc.smtp_error, f"connecting to {where}" if connecting else step)
        if isinstance(exc, ssl.SSLError):
            return SendOutcome("failed", f"TLS with {where} failed: {exc}")
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return SendOutcome("failed", f"the server does not support this: {exc}")
        if connecting:
            return SendOutcome("retry", f"cannot reach {where}: {exc}")
        # Lost before the server had the whole message: it cannot have been accepted.
        return SendOutcome("retry", f"connection lost before the message was accepted: {exc}")

    def send(self, message: Outgoing) -> SendOutcome:
        prepared = self._prepare(message)
        if isinstance(prepared, SendOutcome):
            return prepared
        data, password = prepared
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return self._failure(exc, connecting=True)
        try:
            return self._converse(client, message, parseaddr(self.sender)[1], password, data)
        except (OSError, smtplib.SMTPException) as exc:
            return self._failure(exc, connecting=False)
        except ValueError as exc:
            # e.g. a password smtplib cannot encode: raised before the message was handed over.
            return SendOutcome("failed", f"talking to {self.host}:{self.port} failed: {exc}")
        finally:
            with suppress(smtplib.SMTPException, OSError):
                client.quit()
            client.close()

    def _converse(
        self, client: smtplib.SMTP, message: Outgoing, envelope_from: str, password: str, data: bytes
    ) -> SendOutcome:
        if self.user:
            client.login(self.user, password)
        code, resp = client.mail(envelope_from)
        if code != 250:
            return _by_code(code, resp, "MAIL FROM")
        accepted: list[str] = []
        refused: dict[str, str] = {}
        transient: list[str] = []
        for address in message.recipients:
            code, resp = client.rcpt(address)
            if code in (250, 251):
                accepted.append(address)
            elif 400 <= code < 500:
                transient.append(f"{address}: {code} {_reply_text(resp)}")
            else:
                refused[address] = f"{code} {_reply_text(resp)}"
        if transient:
            client.rset()
            return SendOutcome("retry", "RCPT TO: " + "; ".join(transient), refused=refused)
        if not accepted:
            client.rset()
            return SendOutcome("failed", "every recipient was refused", refused=refused)
        code, resp = client.docmd("DATA")
        if code != 354:
            return _by_code(code, resp, "DATA")
        payload = _DOT_AT_LINE_START.sub(b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        client.send(payload + b".\r\n")
        # From here the server holds the whole message and may have delivered it.
        try:
            code, resp = client.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise DeliveryUncertain(
                f"the server received the whole message but gave no answer ({exc}); "
                "it may have been delivered — check, then mark it sent or send it again"
            ) from exc
        if code != 250:
            outcome = _by_code(code, resp, "end of DATA")
            return SendOutcome(outcome.state, outcome.detail, refused=refused)
        return SendOutcome("sent", f"{code} {_reply_text(resp)}", refused=refused, remote_id=_reply_text(resp))
