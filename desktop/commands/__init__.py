"""The scriptable commands of `latido`, one module per command group."""

from __future__ import annotations

from types import ModuleType

from desktop.commands import (
    approve,
    audit,
    check,
    config,
    db,
    demo,
    draft,
    imports,
    items,
    outbox,
    revise,
    secret,
    show,
    triage,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    approve,
    audit,
    check,
    config,
    db,
    demo,
    draft,
    imports,
    items,
    outbox,
    revise,
    secret,
    show,
    triage,
)
