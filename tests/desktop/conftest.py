"""Fixtures for desktop tests: the demo workspace in a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

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


@pytest.fixture(autouse=True)
def _theme_reset() -> Iterator[None]:
    """A theme saved in one test does not colour the next (the QApplication outlives tests)."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        from desktop.theme import apply_theme, current_theme

        if current_theme(app) != "system":
            apply_theme(app, "system")
