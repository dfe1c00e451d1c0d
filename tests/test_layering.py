"""drafting/ and storage/ work where Qt cannot be imported at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, pkgutil, sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6", "superqt"}:
            raise ImportError(f"{name} is not available here")
        return None

sys.meta_path.insert(0, NoQt())
count = 0
for package in ("storage", "drafting"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if ".migrations" in info.name:
            continue
        importlib.import_module(info.name)
        count += 1
print(count)
"""


def test_domain_and_storage_import_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 8
