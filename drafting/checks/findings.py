"""What a check reports: a finding with a span, a severity, a message and a suggestion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

CODES = (
    "placeholder",
    "generic_greeting",
    "robotic_phrase",
    "commitment",
    "unknown_contact",
    "too_long",
    "language_mismatch",
    "unacknowledged_frustration",
    "ignores_recent_contact",
    "repeated_opener",
    "mass_email",
)


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem in a draft: `start`/`end` are character offsets into the body (end exclusive)."""

    code: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str = ""

    def to_json(self) -> dict[str, Any]:
        """The `latido check --json` shape."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """Findings that forbid approval until fixed."""
    return [f for f in findings if f.severity is Severity.BLOCK]
