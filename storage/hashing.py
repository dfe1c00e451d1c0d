"""The two hashes Latido relies on: the approval content hash and the chain hash."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime

_TRAILING_WS = re.compile(r"[ \t\f\v]+$", re.MULTILINE)


def normalize_text(text: str) -> str:
    """CRLF/CR to LF, trailing whitespace removed from each line and from the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_WS.sub("", text).rstrip()


def content_hash(subject: str, body: str) -> str:
    """SHA-256 (hex) of what a person approves: `subject + "\\n\\n" + body`, normalized."""
    payload = normalize_text(subject) + "\n\n" + normalize_text(body)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def canonical_time(value: datetime) -> str:
    """One spelling of an instant, whatever the backend gave back."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")


Scalar = str | int | float | bool | None | datetime


def canonical_encoding(fields: Mapping[str, Scalar]) -> bytes:
    """Sorted-key compact JSON of a row's content, with times in canonical form."""
    plain = {k: canonical_time(v) if isinstance(v, datetime) else v for k, v in fields.items()}
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, fields: Mapping[str, Scalar]) -> str:
    """SHA-256 over the previous link's hash and this row's canonical content."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_encoding(fields))
    return digest.hexdigest()
