"""The human check: does this draft sound human, and is it safe to send?

`check_draft` runs every check and returns findings with character spans;
`check_item_draft` does it for a stored draft; `blocking` tells the approval
gate whether a draft may be approved at all.
"""

from __future__ import annotations

from drafting.checks.findings import CODES, Finding, Severity, blocking
from drafting.checks.placeholders import find_placeholders
from drafting.checks.recent_contact import RecentContact
from drafting.checks.run import CheckInput, check_draft, check_item_draft, customer_context

__all__ = [
    "CODES",
    "CheckInput",
    "Finding",
    "RecentContact",
    "Severity",
    "blocking",
    "check_draft",
    "check_item_draft",
    "customer_context",
    "find_placeholders",
]
