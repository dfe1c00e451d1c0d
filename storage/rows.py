"""The inbox's row type, in a module that imports no SQLAlchemy: the window can show a first page without it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def item_row(columns: Sequence[Any], received_at: datetime) -> ItemRow:
    """One inbox row from the page query's columns, which come in ItemRow's field order with the first
    SNIPPET_CHARS + 1 characters of the message in the snippet's place; `received_at` as the reader decoded it."""
    item_id, customer_id, name, channel, status, escalated, frustration, _stored, head, language, assignee = columns
    return ItemRow(
        id=item_id,
        customer_id=customer_id,
        customer_name=name,
        channel=channel,
        status=status,
        escalated=bool(escalated),
        frustration=float(frustration),
        received_at=received_at,
        snippet=snippet(head or ""),
        language=language,
        assignee=assignee,
    )
