"""The scriptable commands of `latido`, one module per command group.

They are imported only when a command is run: opening the window needs none
of them, and importing them all costs more than the window itself.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMAND_NAMES = (
    "approve",
    "audit",
    "check",
    "config",
    "db",
    "demo",
    "draft",
    "history",
    "imports",
    "items",
    "outbox",
    "outreach",
    "policy",
    "revise",
    "secret",
    "show",
    "triage",
)


def command_modules() -> tuple[ModuleType, ...]:
    """Every command module, each with a `register(subparsers)` function."""
    return tuple(importlib.import_module(f"desktop.commands.{name}") for name in COMMAND_NAMES)
