"""A lead opens the approval history, filters to escalated items with commitments, reads one trail, exports, audits."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.approval_history import ApprovalHistoryWindow, open_approval_history
from storage.database import Database
from storage.models import Revision
from tests.history_fixtures import FINAL_TEXT, PROMISE, SNAPSHOT, Seeded, seed_history

pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning"
)  # QPdfDocument loads through a deprecated path on some builds


@pytest.fixture
def seeded(demo_url: str) -> Seeded:
    db = Database(demo_url)
    try:
        return seed_history(db)
    finally:
        db.dispose()


@pytest.fixture
def window(qtbot: QtBot, demo_url: str, seeded: Seeded) -> Iterator[ApprovalHistoryWindow]:
    win = ApprovalHistoryWindow(Database(demo_url), user="lucia")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: bool(win.model.rows) and not win.model.loading and win.model.total is not None)
    yield win
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy)
    win.db.dispose()


def _save_as(qtbot: QtBot, win: ApprovalHistoryWindow, button: object, path: Path) -> None:
    """Click an export button and answer its file dialog as a person would."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]  # a QPushButton
    qtbot.waitUntil(lambda: win.findChild(QFileDialog) is not None and win.findChild(QFileDialog).isVisible())
    dialog = win.findChild(QFileDialog)
    assert isinstance(dialog, QFileDialog)
    with qtbot.waitSignal(win.exported, timeout=20_000) as blocker:
        dialog.selectFile(str(path))
        dialog.accept()
    assert blocker.args == [str(path)]


def _select_first_row(qtbot: QtBot, win: ApprovalHistoryWindow) -> None:
    rect = win.table.visualRect(win.model.index(0, 2))
    with qtbot.waitSignal(win.trail_shown, timeout=10_000):
        qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_lead_filters_reads_the_trail_and_exports(
    qtbot: QtBot, window: ApprovalHistoryWindow, seeded: Seeded, tmp_path: Path
) -> None:
    win = window
    everything = win.model.total
    assert everything is not None and everything >= 3
    # Escalated: Yes; Had commitments: Yes — chosen from the keyboard.
    for box in (win.escalated_box, win.commitments_box):
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert win.escalated_box.currentData() is True and win.commitments_box.currentData() is True
    qtbot.waitUntil(lambda: win.model.total == 1 and len(win.model.rows) == 1 and not win.model.loading)
    assert win.model.rows[0].draft_id == seeded.escalated_draft
    assert "1 shown of 1" in win.count_label.text()

    _select_first_row(qtbot, win)
    assert "Te reembolsaremos" in win.diff.toPlainText()
    assert win.diff.toPlainText().startswith("Hola Nayra")
    assert win.revisions.topLevelItemCount() == 2
    assert win.revisions.topLevelItem(0).text(1) == "AI draft"
    assert win.diff_title.text() == "AI draft → sent text"
    assert win.revisions.topLevelItem(1).text(2) == "marta"
    details = win.details.toPlainText()
    assert "commitment — lucia" in details
    assert PROMISE in details
    assert seeded.message_id in details
    assert "lucia: approve" in details and "30 min after the first draft" in details
    assert not win.snapshot.isVisible()
    qtbot.mouseClick(win.snapshot_toggle, Qt.MouseButton.LeftButton)
    assert win.snapshot.isVisible()
    assert SNAPSHOT["note"] in win.snapshot.toPlainText()  # markup shown as the characters it is

    csv_path = tmp_path / "history.csv"
    _save_as(qtbot, win, win.csv_button, csv_path)
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    row = rows[0]
    assert int(row["draft_id"]) == seeded.escalated_draft
    assert row["final_text"] == FINAL_TEXT and row["approver"] == "lucia" and row["author"] == "marta"
    assert json.loads(row["commitments"]) == [PROMISE]
    assert json.loads(row["findings_overridden"]) == ["commitment"]
    assert "Exported 1 rows" in win.status.text()

    pdf_path = tmp_path / "trail.pdf"
    _save_as(qtbot, win, win.pdf_button, pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    assert pdf.load(str(pdf_path)) == QPdfDocument.Error.None_
    assert pdf.pageCount() >= 1
    text = " ".join(pdf.getAllText(page).text() for page in range(pdf.pageCount()))
    pdf.close()
    squashed = " ".join(text.split())
    assert "Approval trail of draft" in squashed
    assert "Te reembolsaremos el importe completo" in squashed
    assert "<b>angry</b>" in squashed  # the snapshot's markup is printed, not obeyed


def test_whole_history_exports_as_json(qtbot: QtBot, window: ApprovalHistoryWindow, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    _save_as(qtbot, window, window.json_button, path)
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert len(rows) == window.model.total
    assert not list(tmp_path.glob("*.partial"))


def test_audit_verifies_then_names_the_first_broken_link(
    qtbot: QtBot, window: ApprovalHistoryWindow, demo_url: str, seeded: Seeded
) -> None:
    win = window
    with qtbot.waitSignal(win.audited, timeout=20_000) as ok:
        qtbot.mouseClick(win.audit_button, Qt.MouseButton.LeftButton)
    assert ok.args == [True]
    assert "verified" in win.status.text()

    db_path = demo_url.removeprefix("sqlite:///")
    with sqlite3.connect(db_path) as conn:
        # What someone with write access to the file could do: switch the trigger off and edit a revision.
        conn.execute("DROP TRIGGER revision_append_only_update")
        (rev_id,) = conn.execute(
            "SELECT id FROM revision WHERE draft_id = ? AND seq = 2", (seeded.escalated_draft,)
        ).fetchone()
        conn.execute("UPDATE revision SET body = body || ' (and a free gift)' WHERE id = ?", (rev_id,))
    with qtbot.waitSignal(win.audited, timeout=20_000) as broken:
        qtbot.keyClick(win, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert broken.args == [False]
    assert f"revision {rev_id} (draft {seeded.escalated_draft})" in win.status.text()
    assert Revision.__tablename__ == "revision"


def test_open_approval_history_shows_a_window(qtbot: QtBot, demo_url: str, seeded: Seeded) -> None:
    win = open_approval_history(None, database_url=demo_url, user="lucia")
    try:
        assert win.isVisible() and win.windowTitle() == "Approval history"
        qtbot.waitUntil(lambda: win.model.total is not None and not win.model.loading)
        assert win.model.total == len(win.model.rows) >= 3
        rect = win.table.visualRect(win.model.index(0, 0))
        assert rect.isValid() and win.table.indexAt(QPoint(rect.center())).row() == 0
    finally:
        win.close()
        qtbot.waitUntil(lambda: not win.background.busy)


def test_a_draft_the_offline_composer_began_is_never_called_ai(
    qtbot: QtBot, window: ApprovalHistoryWindow, seeded: Seeded
) -> None:
    win = window
    qtbot.waitUntil(lambda: any(r.draft_id == seeded.plain_draft for r in win.model.rows))
    row = next(i for i, r in enumerate(win.model.rows) if r.draft_id == seeded.plain_draft)
    rect = win.table.visualRect(win.model.index(row, 2))
    with qtbot.waitSignal(win.trail_shown, timeout=10_000):
        qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.diff_title.text() == "Composed draft → sent text"
    first = win.revisions.topLevelItem(0)
    assert (first.text(1), first.text(2)) == ("Composed draft", "offline composer (no AI)")
    assert "AI" not in win.trail_text(win.trail).split("Sent text")[0].replace("(no AI)", "")
