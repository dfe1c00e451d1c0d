"""Small helpers shared by the windows: widget builders, numbers and days as the person reading sees them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone, tzinfo

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QLabel

__all__ = ["choice_box", "decimal", "local_offset", "local_zone", "plain_label"]


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


def local_zone() -> tzinfo:
    """This computer's time zone as it is now (a fixed offset from UTC): charts count the team's own days."""
    return timezone(local_offset())


def local_offset() -> timedelta:
    """This computer's offset from UTC now, in whole minutes."""
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    return timedelta(minutes=round(offset / timedelta(minutes=1)))


def choice_box(name: str, values: Iterable[str], label: Callable[[str], str]) -> QComboBox:
    """A picker of `values` shown by `label`, each item's data its value; `name` is its accessible name."""
    box = QComboBox()
    box.setAccessibleName(name)
    for value in values:
        box.addItem(label(value), value)
    return box
