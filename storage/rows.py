"""The inbox's row type, in a module that imports no SQLAlchemy: the window can show a first page without it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SNIPPET_CHARS = 140
"""How much of an incoming message the inbox shows."""

ItemCursor = tuple[bool, datetime, int]
"""The inbox sort key of one row, (escalated, received_at, id): pass the last row's to get the next page."""


@dataclass(frozen=True)
class ItemRow:
    """One line of the inbox."""

    id: int
    customer_id: str
    """The id the customer was imported with (what the command line names them by)."""
    customer_name: str
    channel: str
    status: str
    escalated: bool
    frustration: float
    received_at: datetime
    snippet: str
    language: str
    assignee: str | None
    """The assigned user's name, or None when nobody has the item."""

    @property
    def cursor(self) -> ItemCursor:
        """This row's sort key, for `items_page(after=...)`."""
        return (self.escalated, self.received_at, self.id)


def snippet(head: str) -> str:
    """One line of at most SNIPPET_CHARS characters; `head` holds one character more when the body is longer."""
    text = " ".join(head[:SNIPPET_CHARS].split())
    return text + "…" if len(head) > SNIPPET_CHARS else text
