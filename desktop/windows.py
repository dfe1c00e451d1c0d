"""Opening a window that works on a database handle and workers of its own, both let go when it closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from desktop.background import Background
from storage.database import Database

__all__ = ["open_with_database"]

W = TypeVar("W", bound=QWidget)


def open_with_database(
    database_url: str | None, build: Callable[[Background, Database], W], *, modal: bool = False
) -> W:
    """Build a window on a new handle to `database_url` and new workers, and open it (window-modal when `modal`).

    The window deletes itself when it closes; the workers go with it and the handle is disposed.
    """
    db = Database(database_url)
    background = Background()
    window = build(background, db)
    background.setParent(window)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(lambda: db.dispose())
    if modal:
        assert isinstance(window, QDialog)
        window.open()
    else:
        window.show()
    return window
