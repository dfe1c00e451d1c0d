"""`make bench`: run every bench module in its own process and print its figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from bench.harness import Figure


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    missed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        figures: list[Figure] = module.run()
        for figure in figures:
            print(figure.line(), flush=True)
            missed += not figure.ok
    print(f"bench: {missed} target(s) missed" if missed else "bench: all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
