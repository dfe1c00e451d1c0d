"""`make screenshots`: open the real window on the demo workspace and save what it shows, in English and Spanish."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def _wait(app: QApplication, condition: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(25):  # let layouts and paints settle
        app.processEvents()
        time.sleep(0.01)


def _save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(f"screenshots: {path}")


def _tour(app: QApplication, out: Path, suffix: str) -> None:
    """Inbox, a streamed draft with findings, approval, history and settings."""
    from desktop.main_window import MainWindow
    from desktop.settings_dialog import open_settings

    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    _wait(app, lambda: window.inbox.rowCount() > 0 and window.customer_card.text())
    _save(window, out / f"inbox{suffix}.png")

    customer = "Daniel" if suffix == "" else "Nayra"
    channel = "email"
    row = next(
        i for i, r in enumerate(window.inbox.rows) if r.customer_name.startswith(customer) and r.channel == channel
    )
    window.table.selectRow(row)
    item_id = window.inbox.rows[row].id
    _wait(app, lambda: window.editor.item_id == item_id)
    if not window.inbox.rows[row].escalated:
        window.editor.start_draft()
        _wait(app, lambda: window.editor.draft_id is not None and not window.editor.streaming)
        _wait(app, lambda: window.editor.findings.count() > 0, timeout=5)
    _save(window, out / f"conversation{suffix}.png")

    if window.editor.draft_id is not None:
        window.approve_current()
        _wait(app, lambda: getattr(window, "approval_dialog", None) is not None and window.approval_dialog.isVisible())
        _save(window.approval_dialog, out / f"approval{suffix}.png")
        window.approval_dialog.reject()
        window.show_history()
        _wait(app, lambda: window.history_dialog is not None and window.history_dialog.isVisible())
        _save(window.history_dialog, out / f"history{suffix}.png")
        window.history_dialog.close()

    dialog = open_settings(window, window.background, window.db)
    _wait(app, lambda: dialog.isVisible())
    _save(dialog, out / f"settings{suffix}.png")
    dialog.reject()
    window.close()
    _wait(app, lambda: not window.background.busy)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="latido-shots-"))
    os.environ["LATIDO_HOME"] = str(home)
    os.environ.pop("LATIDO_DATABASE_URL", None)

    from desktop.app import install_translations, make_application
    from storage.database import open_database
    from storage.demo import seed_demo

    db = open_database()
    seed_demo(db)
    db.dispose()

    app = make_application(lang="en")
    _tour(app, out, "")
    install_translations(app, "es")
    _tour(app, out, "-es")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
