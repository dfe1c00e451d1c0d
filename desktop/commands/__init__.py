"""The scriptable commands of `latido`, one module per command group."""

from __future__ import annotations

from types import ModuleType

from desktop.commands import audit, config, db, demo, draft, imports, items, revise, secret, show

COMMAND_MODULES: tuple[ModuleType, ...] = (audit, config, db, demo, draft, imports, items, revise, secret, show)
