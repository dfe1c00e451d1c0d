"""Small widget builders shared by the windows."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel

__all__ = ["decimal", "plain_label"]


def plain_label(accessible: str) -> QLabel:
    """A wrapping, selectable label that shows its text literally (customer and model text are data, never markup)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(accessible)
    return label


def decimal(value: float, places: int = 1) -> str:
    """A number with `places` decimals as the interface's language writes it: 1.5 in English, 1,5 in Spanish."""
    return QLocale().toString(float(value), "f", places)
