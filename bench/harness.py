"""Shared reporting for benchmarks: every figure is printed, every target is checked."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str
    ok: bool

    def line(self) -> str:
        verdict = "ok" if self.ok else "MISSED"
        return f"{self.name:<58} {self.value:>12.3f} {self.unit:<8} target {self.target:<18} {verdict}"


def timed(fn: Callable[[], object], *, repeat: int = 1) -> float:
    """Best wall time of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
