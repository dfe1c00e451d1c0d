"""`make screenshots`: open the real window on the demo workspace and save what it shows."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication


def _wait(app: QApplication, condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):  # let layouts and paints settle
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="latido-shots-"))
    os.environ["LATIDO_HOME"] = str(home)
    os.environ.pop("LATIDO_DATABASE_URL", None)

    from desktop.app import make_application
    from desktop.main_window import MainWindow
    from storage.database import open_database
    from storage.demo import seed_demo

    db = open_database()
    seed_demo(db)
    db.dispose()

    app = make_application()
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    _wait(app, lambda: window.inbox.rowCount() > 0 and window.customer_card.text())
    path = out / "main-window.png"
    window.grab().save(str(path))
    print(f"screenshots: {path}")

    row = next(
        i for i, r in enumerate(window.inbox.rows) if r.customer_name.startswith("Daniel") and r.channel == "email"
    )
    window.table.selectRow(row)
    item_id = window.inbox.rows[row].id
    _wait(app, lambda: window.editor.item_id == item_id)
    window.editor.start_draft()
    _wait(app, lambda: window.editor.draft_id is not None and not window.editor.streaming)
    path = out / "conversation-draft.png"
    window.grab().save(str(path))
    print(f"screenshots: {path}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
