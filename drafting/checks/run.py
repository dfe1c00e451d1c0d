"""Run every check on a draft."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.checks.findings import Finding
from drafting.checks.placeholders import find_placeholders
from drafting.context import DraftContext


@dataclass(frozen=True)
class CheckInput:
    """What the checks look at: the draft, where it goes, and (when known) what it answers."""

    body: str
    subject: str = ""
    channel: str = "email"
    language: str = "en"
    incoming: str = ""
    context: DraftContext | None = None


def check_draft(draft: CheckInput) -> list[Finding]:
    """All findings for a draft, ordered by position."""
    findings = find_placeholders(draft.body, draft.language)
    return sorted(findings, key=lambda f: (f.start, f.end, f.code))
