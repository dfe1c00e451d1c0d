"""The signed webhook: approved replies POSTed as JSON to a comment tool or CRM.

Each request carries
- `X-Latido-Signature: sha256=<hex>`: HMAC-SHA256 of the exact request body with the shared
  `webhook.secret`; receivers check it with `verify_signature` (or the same three lines of their own);
- `X-Latido-Timestamp`: when this attempt was made (Unix seconds; informational, not signed);
- `Idempotency-Key`: the outbox row's key, the same on every attempt, so a receiver that saw a
  request whose answer never arrived can recognise the retry and not post twice.

How an answer maps to an outcome (HTTP, unlike SMTP, puts the transient failures in 5xx):
2xx sent (the receiver's JSON `id`, if any, is kept as `remote_id`); 5xx, 408, 425, 429, a timeout
or a broken connection: `retry`; any other 4xx, a redirect or an untrusted certificate: `failed`,
with the receiver's reason. Redirects are not followed: urllib would turn the POST into a GET and
report a page as the receiver's acceptance.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
from typing import IO
from urllib.parse import urlsplit

from drafting.delivery.base import Outgoing, SendOutcome

SIGNATURE_HEADER = "X-Latido-Signature"
TIMESTAMP_HEADER = "X-Latido-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SIGNATURE_PREFIX = "sha256="

RETRY_4XX = frozenset({408, 425, 429})
"""Client errors that mean "not now" rather than "never": retried like 5xx."""
_REASON_BYTES = 2_000
_REASON_CHARS = 300


def sign(body: bytes, secret: str) -> str:
    """The `X-Latido-Signature` value for a request body."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str, secret: str) -> bool:
    """Whether `header` is the signature of `body` under `secret` (compared in constant time)."""
    if not secret or not header.startswith(SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), header.encode("utf-8", "replace"))


def payload(message: Outgoing) -> bytes:
    """The exact request body for an outgoing message: compact UTF-8 JSON with sorted keys."""
    document = {
        "outbox_id": message.outbox_id,
        "channel": message.channel,
        "recipients": list(message.recipients),
        "subject": message.subject,
        "body": message.body,
        "content_hash": message.content_hash,
        "url": message.url,
        "idempotency_key": message.idempotency_key,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(  # noqa: PLR0917  # urllib's signature, positional by contract
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None  # the 3xx then surfaces as an HTTPError


class WebhookTransport:
    """POSTs approved messages to one URL, signed with the shared secret."""

    name = "webhook"

    def __init__(
        self, url: str, secret: str, timeout: float = 10, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL: set webhook.url")
        if parts.username or parts.password:
            raise ValueError("put no credentials in webhook.url; the request is signed with webhook.secret")
        if not secret:
            raise ValueError("no webhook secret: store one with `latido secret set webhook.secret`")
        self.url = url
        self._secret = secret
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"WebhookTransport({self.url!r})"  # never the secret

    def send(self, message: Outgoing) -> SendOutcome:
        """One signed POST; the outbox decides whether and when to try again."""
        if not message.idempotency_key:
            return SendOutcome("failed", "the outbox row has no idempotency key, so a retry could post twice")
        body = payload(message)
        request = urllib.request.Request(  # noqa: S310  # the scheme is checked to be http(s) in __init__
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Latido-Webhook/1",
                SIGNATURE_HEADER: sign(body, self._secret),
                TIMESTAMP_HEADER: str(int(time.time())),
                IDEMPOTENCY_HEADER: message.idempotency_key,
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = int(response.status)
                answer = response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            with exc:
                return _refused(exc.code, exc.reason, exc.read(_REASON_BYTES), exc.headers.get("Location", ""))
        except urllib.error.URLError as exc:
            return _unreachable(exc.reason, self.url)
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            return _unreachable(exc, self.url)
        if 200 <= status < 300:
            return SendOutcome("sent", f"HTTP {status}", remote_id=_remote_id(answer))
        return SendOutcome("failed", f"HTTP {status}: unexpected answer from {self.url}")


def _refused(status: int, reason: object, body: bytes, location: str) -> SendOutcome:
    text = " ".join(body.decode("utf-8", "replace").split())[:_REASON_CHARS]
    detail = f"HTTP {status} {reason}".rstrip() + (f": {text}" if text else "")
    if status >= 500 or status in RETRY_4XX:
        return SendOutcome("retry", detail)
    if 300 <= status < 400:
        return SendOutcome("failed", f"{detail}; the webhook URL redirects to {location!r}: update webhook.url")
    return SendOutcome("failed", detail)


def _unreachable(reason: object, url: str) -> SendOutcome:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return SendOutcome("failed", f"the certificate of {url} is not trusted ({reason.verify_message})")
    if isinstance(reason, TimeoutError | socket.timeout):
        return SendOutcome("retry", f"no answer from {url} in time")
    return SendOutcome("retry", f"could not reach {url}: {reason}")


def _remote_id(answer: bytes) -> str:
    """The receiver's id for what it posted, when it answers with JSON `{"id": …}`."""
    try:
        document = json.loads(answer)
    except (ValueError, UnicodeDecodeError):
        return ""
    value = document.get("id") if isinstance(document, dict) else None
    return str(value)[:200] if isinstance(value, str | int) and not isinstance(value, bool) else ""
