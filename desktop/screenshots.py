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

    # An English email and a Spanish comment, neither escalated, so each language shows a draft with findings.
    customer, channel = ("Daniel", "email") if suffix == "" else ("Paula", "comment")
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
    _lead_tools(app, window, out, suffix)
    window.close()
    _wait(app, lambda: not window.background.busy)


def _lead_tools(app: QApplication, window: QWidget, out: Path, suffix: str) -> None:
    """The team lead's approval history and insights, and an outreach batch's review queue."""
    from desktop.approval_history import open_approval_history
    from desktop.insights_view import open_insights
    from desktop.outreach_review import open_review

    url = os.environ["LATIDO_SHOTS_URL"]
    history = open_approval_history(window, database_url=url, user="lucia")
    history.resize(1400, 860)
    _wait(app, lambda: history.model.rowCount() > 0)
    history.table.selectRow(0)
    _wait(app, lambda: False, timeout=1.5)
    _save(history, out / f"approval-history{suffix}.png")
    history.close()

    insights = open_insights(window, database_url=url, user="lucia")
    insights.resize(1400, 900)
    _wait(app, lambda: False, timeout=2.5)
    _save(insights, out / f"insights{suffix}.png")
    insights.close()

    queue = open_review(window, database_url=url, user="marta", batch_id=int(os.environ["LATIDO_SHOTS_BATCH"]))
    queue.resize(1400, 860)
    _wait(app, lambda: bool(queue.editor.toPlainText()), timeout=30)
    _wait(app, lambda: False, timeout=1.0)
    _save(queue, out / f"outreach{suffix}.png")
    queue.close()
    _wait(app, lambda: False, timeout=0.5)


def _seed(db: object) -> int:
    """The demo, its past approvals measured, and one outreach batch drafted by the offline composer."""
    from sqlmodel import col, select

    from drafting.insights import measure_unmeasured
    from drafting.outreach import Brief, create_batch, draft_batch
    from storage.database import Database
    from storage.demo import seed_demo
    from storage.models import Customer

    assert isinstance(db, Database)
    seed_demo(db)
    measure_unmeasured(db, actor="demo")
    with db.session() as session:
        customers = session.exec(select(Customer.id).where(Customer.email != "").order_by(col(Customer.id))).all()
    brief = Brief(
        "announcement",
        "[en]\nFrom January every bag also comes in 500 g.\n[es]\nDesde enero todas las bolsas vienen también de 500 g.\n",
    )
    batch_id = create_batch(db, author="marta", brief=brief, customers=[int(c or 0) for c in customers[:12]])
    draft_batch(db, batch_id=batch_id)
    return batch_id


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="latido-shots-"))
    os.environ["LATIDO_HOME"] = str(home)
    os.environ.pop("LATIDO_DATABASE_URL", None)

    from desktop.app import install_translations, make_application
    from storage.database import open_database

    db = open_database()
    os.environ["LATIDO_SHOTS_BATCH"] = str(_seed(db))
    os.environ["LATIDO_SHOTS_URL"] = db.url
    db.dispose()

    app = make_application(lang="en")
    _tour(app, out, "")
    install_translations(app, "es")
    _tour(app, out, "-es")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
