"""Fixtures for desktop tests: the demo workspace in a fresh SQLite file."""

from __future__ import annotations

import pytest

from storage.database import Database
from storage.demo import seed_demo


@pytest.fixture
def demo_url(sqlite_url: str) -> str:
    """The URL of a new SQLite database holding the demo workspace."""
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db)
    db.dispose()
    return sqlite_url
