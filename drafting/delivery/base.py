"""What every transport (SMTP, webhook, manual post) takes and returns.

A transport sends exactly the bytes of an `Outgoing` message — the outbox has
already re-hashed them against the approval — and says how it went. It never
retries by itself: the outbox decides, so retries are bounded and recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

SendState = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class Outgoing:
    """An approved message, exactly as it will leave."""

    outbox_id: int
    channel: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    content_hash: str
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    idempotency_key: str = ""
    sender: str = ""
    url: str = ""
    """Where a public comment lives (for manual posting and webhooks)."""


@dataclass(frozen=True)
class SendOutcome:
    """How one attempt ended: `sent`, `retry` (transient: 4xx, connection lost before acceptance) or `failed`."""

    state: SendState
    detail: str = ""
    refused: dict[str, str] = field(default_factory=dict)
    """Per-recipient refusals: address -> the server's reply."""
    remote_id: str = ""


class Transport(Protocol):
    name: str

    def send(self, message: Outgoing) -> SendOutcome: ...
