"""The scriptable commands of `latido`, one module per command group."""

from __future__ import annotations

from types import ModuleType

from desktop.commands import audit, config, db, secret

COMMAND_MODULES: tuple[ModuleType, ...] = (audit, config, db, secret)
