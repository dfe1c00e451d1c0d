"""The human check: does this draft sound human, and is it safe to send?

`check_draft` runs every check and returns findings with character spans;
`blocking` tells the approval gate whether a draft may be approved at all.
"""

from __future__ import annotations

from drafting.checks.findings import Finding, Severity, blocking
from drafting.checks.placeholders import find_placeholders
from drafting.checks.run import CheckInput, check_draft

__all__ = ["CheckInput", "Finding", "Severity", "blocking", "check_draft", "find_placeholders"]
