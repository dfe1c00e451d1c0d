"""The inbox's first page read straight from an up-to-date SQLite file, with the standard library only.

Opening the window shows this page before SQLAlchemy and the models are imported (they take longer to import
than the whole page takes to read). It is the page `storage.timeline.items_page` returns with no filter, newest
first (tests/storage/test_first_page.py compares the two); anything unusual returns None, and the caller takes
the ordinary path.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from storage.location import database_url
from storage.revisions import newest_file_revision
from storage.rows import SNIPPET_CHARS, ItemRow, item_row

_PAGE = """
SELECT workitem.id, customer.customer_id, customer.name, workitem.channel, workitem.status, workitem.escalated,
       workitem.frustration, workitem.received_at, substr(interaction.body, 1, ?),
       workitem.language, user.name
FROM workitem
JOIN customer ON customer.id = workitem.customer_id
JOIN interaction ON interaction.id = workitem.interaction_id
LEFT OUTER JOIN user ON user.id = workitem.assignee_id
ORDER BY workitem.escalated DESC, workitem.received_at DESC, workitem.id DESC
LIMIT ?
"""


def sqlite_file(url: str) -> Path | None:
    """The existing file a plain `sqlite:///PATH` URL names; None for any other URL (options, escapes, no file)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :]
    if not name or name == ":memory:" or "?" in name or "%" in name:
        return None
    path = Path(name)
    return path if path.is_file() else None


def _utc(stored: str) -> datetime:
    """A stored time as UTCDateTime reads it back: aware, UTC."""
    value = datetime.fromisoformat(stored)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def first_inbox_page(url: str | None = None, *, limit: int) -> list[ItemRow] | None:
    """The first `limit` rows of the unfiltered inbox, newest first, when the database is a SQLite file at the
    newest migration; None otherwise, or on any error (the caller then opens the workspace the ordinary way)."""
    try:
        path = sqlite_file(database_url(url))
        newest = newest_file_revision()
        if path is None or newest is None:
            return None
        # Read-only, and one read transaction for the revision check and the page, so a migration run by
        # another process cannot fall between them.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            conn.execute("BEGIN")
            stamped = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            if stamped != [(newest,)]:
                return None
            rows = conn.execute(_PAGE, (SNIPPET_CHARS + 1, limit)).fetchall()
            conn.execute("COMMIT")
        finally:
            conn.close()
        return [item_row(row, _utc(row[7])) for row in rows]
    except Exception:  # any surprise: the ordinary path opens the workspace and reports it
        return None
