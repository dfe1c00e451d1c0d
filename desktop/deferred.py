"""A function or class imported on its first call, so the window opens without waiting for what it may never use."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def deferred(module: str, name: str) -> Callable[..., Any]:
    """A stand-in for `module.name` that imports the module when it is first called, then calls the real thing.

    The import can happen on a worker thread (for what runs in the background); Python's import lock keeps
    two threads from importing the same module twice.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported when first called."
    return call
