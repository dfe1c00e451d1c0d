"""A draft's history as a person uses it: the versions newest first, a word diff, restore, and long histories paged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from desktop.background import Background
from desktop.history_dialog import (
    PAGE,
    HistoryModel,
    RevisionHistoryDialog,
    open_history,
    render_diff,
)
from desktop.theme import dark_palette, tone
from drafting.composer import OfflineComposer
from drafting.drafts import generate_draft, revise_draft
from storage.chain import verify
from storage.database import Database
from storage.demo import seed_demo
from storage.hashing import content_hash
from storage.models import Revision, WorkItem

FIRST_EDIT = "Hi Daniel,\n\nThanks for writing. We refunded the charge today.\n\nBest,\nMarta"
SECOND_EDIT = "Hi Daniel,\n\nThanks for your patience. We refunded the duplicate charge today.\n\nBest,\nMarta"
HOSTILE = "<b>x</b> <img src=http://127.0.0.1:1/>"


@dataclass(frozen=True)
class DemoDraft:
    db: Database
    draft_id: int
    ai_text: str


@pytest.fixture
def demo_db(sqlite_url: str) -> Iterator[Database]:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db)
    yield db
    db.dispose()


def _new_draft(db: Database) -> tuple[int, str]:
    """An offline first draft for a new email that is not escalated (the composer leaves those to a person)."""
    with db.session() as s:
        item = s.exec(
            select(WorkItem).where(WorkItem.status == "new", WorkItem.channel == "email", WorkItem.escalated == False)  # noqa: E712  # SQL comparison
        ).first()
    assert item is not None and item.id is not None
    outcome = generate_draft(db, item_id=item.id, provider=OfflineComposer(), author="marta")
    return outcome.draft_id, outcome.text


@pytest.fixture
def draft(demo_db: Database) -> DemoDraft:
    draft_id, ai_text = _new_draft(demo_db)
    revise_draft(demo_db, draft_id=draft_id, body=FIRST_EDIT, author="marta")
    revise_draft(demo_db, draft_id=draft_id, body=SECOND_EDIT, author="marta")
    return DemoDraft(demo_db, draft_id, ai_text)


@pytest.fixture
def background(qtbot: QtBot) -> Iterator[Background]:
    work = Background()
    yield work
    qtbot.waitUntil(lambda: not work.busy, timeout=15_000)


def _revisions(db: Database, draft_id: int) -> list[Revision]:
    with db.session() as s:
        return list(s.exec(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.seq)))  # type: ignore[arg-type]  # column


def _open(qtbot: QtBot, background: Background, draft: DemoDraft, user: str = "marta") -> RevisionHistoryDialog:
    dialog = RevisionHistoryDialog(background, draft.db, draft.draft_id, user)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    _wait_compared(qtbot, dialog, newer_seq=len(_revisions(draft.db, draft.draft_id)))
    return dialog


def _wait_compared(qtbot: QtBot, dialog: RevisionHistoryDialog, *, newer_seq: int, older_seq: int | None = -1) -> None:
    """Wait until the diff shown is the one asked for (older_seq -1: whatever comes before `newer_seq`)."""

    def shown() -> bool:
        c = dialog.comparison
        if c is None or c.newer.seq != newer_seq:
            return False
        return older_seq in (-1, c.older.seq if c.older else None)

    qtbot.waitUntil(shown, timeout=15_000)


def _click(qtbot: QtBot, dialog: RevisionHistoryDialog, row: int, *, ctrl: bool = False) -> None:
    table = dialog.table
    rect = table.visualRect(dialog.model.index(row, HistoryModel.KIND))
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, QPoint(rect.center()))


def _format_of(dialog: RevisionHistoryDialog, word: str, occurrence: int = 0) -> QTextCharFormat:
    """The character format of the first character of `word` (its `occurrence`-th appearance) in the diff."""
    text = dialog.diff.toPlainText()
    position = -1
    for _ in range(occurrence + 1):
        position = text.index(word, position + 1)
    cursor = QTextCursor(dialog.diff.document())
    cursor.setPosition(position + 1)  # a cursor reports the format of the character before it
    return cursor.charFormat()


def _is_inserted(fmt: QTextCharFormat) -> bool:
    return fmt.background().color() == tone("inserted") and not fmt.fontStrikeOut()


def _is_deleted(fmt: QTextCharFormat) -> bool:
    return fmt.background().color() == tone("deleted") and fmt.fontStrikeOut()


def _is_plain(fmt: QTextCharFormat) -> bool:
    return fmt.background().style() == Qt.BrushStyle.NoBrush and not fmt.fontStrikeOut()


def test_the_list_shows_every_version_newest_first(qtbot: QtBot, background: Background, draft: DemoDraft) -> None:
    dialog = _open(qtbot, background, draft)
    model = dialog.model
    assert [r.seq for r in model.rows] == [3, 2, 1]
    assert [r.kind for r in model.rows] == ["human_edit", "human_edit", "ai_draft"]

    def shown(row: int, column: int) -> str:
        return str(model.data(model.index(row, column)))

    # The offline composer wrote the first version: it is never called AI.
    assert [shown(r, HistoryModel.KIND) for r in range(3)] == ["Edit", "Edit", "Composed draft"]
    assert [shown(r, HistoryModel.AUTHOR) for r in range(3)] == ["marta", "marta", "offline composer (no AI)"]
    assert shown(0, HistoryModel.WHEN) in ("just now", "ahora mismo")
    assert shown(0, HistoryModel.SEQ) == "3"
    assert not model.canFetchMore()
    # The newest version is selected and compared with the one before it.
    assert dialog.comparison is not None and dialog.comparison.older is not None
    assert dialog.comparison.older.seq == 2
    assert dialog.restore_button.isEnabled()
    for control in (
        dialog.table,
        dialog.diff,
        dialog.summary,
        dialog.heading,
        dialog.restore_button,
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close),
    ):
        assert control.accessibleName(), control


def test_the_diff_marks_added_and_removed_words(qtbot: QtBot, background: Background, draft: DemoDraft) -> None:
    dialog = _open(qtbot, background, draft)
    comparison = dialog.comparison
    assert comparison is not None
    changed = [(op.op, op.before, op.after) for op in comparison.ops if op.op != "equal"]
    assert changed == [("replace", ("writing",), ("your", "patience")), ("insert", (), ("duplicate",))]
    assert dialog.summary.text() == "3 words added, 1 removed"
    assert dialog.diff.isReadOnly()
    assert dialog.diff.toPlainText() == (
        "Hi Daniel,\n\nThanks for writing your patience. We refunded the duplicate charge today.\n\nBest,\nMarta"
    )
    assert _is_deleted(_format_of(dialog, "writing"))
    assert _is_inserted(_format_of(dialog, "your"))
    assert _is_inserted(_format_of(dialog, "patience"))
    assert _is_inserted(_format_of(dialog, "duplicate"))
    assert _is_plain(_format_of(dialog, "refunded"))
    assert _is_plain(_format_of(dialog, "charge"))

    # Down arrow: the first edit, compared with the AI draft before it.
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    _wait_compared(qtbot, dialog, newer_seq=2, older_seq=1)
    assert dialog.heading.text() == "From version 1 to version 2"

    # Ctrl+Up moves the focus alone, Ctrl+Space adds the newest one: the diff spans both edits.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.restore_button.isEnabled()  # the focused version is not selected: nothing to restore
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert dialog.restore_button.isEnabled()
    _wait_compared(qtbot, dialog, newer_seq=3, older_seq=2)
    assert [r.seq for r in dialog.selected_rows()] == [3, 2]

    # Ctrl+click a third: the diff keeps two sides, the one just clicked and the one picked before it.
    _click(qtbot, dialog, 2, ctrl=True)
    _wait_compared(qtbot, dialog, newer_seq=3, older_seq=1)
    assert [r.seq for r in dialog.selected_rows()] == [3, 1]
    assert dialog.heading.text() == "From version 1 to version 3"
    assert dialog.diff.toPlainText().endswith("Marta")
    assert _is_inserted(_format_of(dialog, "duplicate"))


def test_restore_adds_a_restore_revision_on_top(qtbot: QtBot, background: Background, draft: DemoDraft) -> None:
    dialog = _open(qtbot, background, draft)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # version 2, the first edit
    _wait_compared(qtbot, dialog, newer_seq=2)
    with qtbot.waitSignal(dialog.restored, timeout=15_000) as signal:
        qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    revisions = _revisions(draft.db, draft.draft_id)
    assert [r.kind for r in revisions] == ["ai_draft", "human_edit", "human_edit", "restore"]
    restore = revisions[-1]
    assert restore.body == FIRST_EDIT and restore.subject == revisions[1].subject
    assert restore.author == "marta" and restore.author_kind == "human"
    assert signal.args == [restore.content_hash] and restore.content_hash == content_hash(restore.subject, FIRST_EDIT)
    assert dialog.restored_text == FIRST_EDIT
    with draft.db.session() as s:
        assert verify(s).ok

    # The list shows the restore on top, selected, with what it changed from the version before.
    _wait_compared(qtbot, dialog, newer_seq=4, older_seq=3)
    assert [(r.seq, r.kind) for r in dialog.model.rows] == [
        (4, "restore"),
        (3, "human_edit"),
        (2, "human_edit"),
        (1, "ai_draft"),
    ]
    assert dialog.model.data(dialog.model.index(0, HistoryModel.KIND)) == "Restore"
    assert dialog.summary.text() == "1 word added, 3 removed"
    assert _is_deleted(_format_of(dialog, "patience"))
    assert _is_inserted(_format_of(dialog, "writing"))


def test_restoring_the_current_text_is_refused(qtbot: QtBot, background: Background, draft: DemoDraft) -> None:
    dialog = _open(qtbot, background, draft)
    target = dialog.target()
    assert target is not None and target.seq == 3
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    # A shortcut "animates" the button's click, so the answer comes from the event loop.
    qtbot.waitUntil(lambda: "Version 3 is already the current text" in dialog.message.text(), timeout=5_000)
    assert len(_revisions(draft.db, draft.draft_id)) == 3

    # Another window made version 2's text current since the list loaded: the restore still writes nothing.
    revise_draft(draft.db, draft_id=draft.draft_id, body=FIRST_EDIT, author="marta")
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    _wait_compared(qtbot, dialog, newer_seq=2)
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("That version is already"), timeout=15_000)
    assert [r.kind for r in _revisions(draft.db, draft.draft_id)] == [
        "ai_draft",
        "human_edit",
        "human_edit",
        "human_edit",
    ]
    assert dialog.restored_text is None
    assert dialog.restore_button.isEnabled()


def test_a_failed_restore_says_why_and_keeps_history(qtbot: QtBot, background: Background, draft: DemoDraft) -> None:
    dialog = _open(qtbot, background, draft, user="nobody")
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    _wait_compared(qtbot, dialog, newer_seq=2)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Could not restore"), timeout=15_000)
    assert "unknown user 'nobody'" in dialog.message.text()
    assert len(_revisions(draft.db, draft.draft_id)) == 3
    assert dialog.restore_button.isEnabled()


def test_hostile_text_is_shown_literally(qtbot: QtBot, background: Background, demo_db: Database) -> None:
    draft_id, ai_text = _new_draft(demo_db)
    revise_draft(demo_db, draft_id=draft_id, body="Hello.", author="marta")
    revise_draft(demo_db, draft_id=draft_id, body=f"Hello. {HOSTILE}", subject="<i>s</i>", author="marta")
    dialog = _open(qtbot, background, DemoDraft(demo_db, draft_id, ai_text))
    assert dialog.diff.toPlainText() == f"Hello. {HOSTILE}"
    assert _is_plain(_format_of(dialog, "Hello"))
    assert _is_inserted(_format_of(dialog, "<b>x</b>"))
    assert _is_inserted(_format_of(dialog, "<img"))
    block = dialog.diff.document().begin()
    while block.isValid():
        fragment = block.begin()
        while not fragment.atEnd():
            assert not fragment.fragment().charFormat().isImageFormat()
            fragment += 1
        block = block.next()
    assert dialog.subject.isVisible() and "<i>s</i>" in dialog.subject.text()
    assert dialog.subject.textFormat() == Qt.TextFormat.PlainText
    assert dialog.model.data(dialog.model.index(0, HistoryModel.TEXT)) == f"Hello. {HOSTILE}"


@pytest.mark.slow
def test_a_long_history_loads_more_as_it_scrolls(qtbot: QtBot, background: Background, demo_db: Database) -> None:
    draft_id, _ai_text = _new_draft(demo_db)
    for n in range(2, 121):
        revise_draft(demo_db, draft_id=draft_id, body=f"Edit number {n}.", author="marta")
    dialog = RevisionHistoryDialog(background, demo_db, draft_id, "marta")
    qtbot.addWidget(dialog)
    dialog.show()
    model, table = dialog.model, dialog.table
    qtbot.waitUntil(lambda: model.rowCount() == PAGE, timeout=15_000)
    assert model.canFetchMore()
    for expected in (2 * PAGE, 120):
        qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 0 and not model.loading, timeout=15_000)
        table.scrollToBottom()
        qtbot.waitUntil(lambda expected=expected: model.rowCount() == expected, timeout=15_000)
    qtbot.waitUntil(lambda: not model.loading, timeout=15_000)
    assert not model.canFetchMore()
    assert [r.seq for r in model.rows] == list(range(120, 0, -1))
    assert model.rows[-1].kind == "ai_draft"

    # The oldest version, compared with nothing before it: everything in it was added.
    _click(qtbot, dialog, 119)
    _wait_compared(qtbot, dialog, newer_seq=1, older_seq=None)
    assert dialog.comparison is not None and dialog.comparison.removed == 0
    assert dialog.diff.toPlainText() == model.rows[-1].body
    assert _is_inserted(_format_of(dialog, model.rows[-1].body.split()[0]))


def test_open_history_is_modal_and_esc_closes_it(qtbot: QtBot, background: Background, draft: DemoDraft) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialog = open_history(parent, background, draft.db, draft.draft_id, "marta")
    assert dialog.isVisible() and dialog.isModal()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    _wait_compared(qtbot, dialog, newer_seq=3)
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not background.busy, timeout=15_000)


def test_the_diff_keeps_readable_shades_in_a_dark_theme(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPlainTextEdit

    from drafting.metrics import word_diff

    older, newer = "Thanks for your patience", "Thanks so much for waiting"
    for palette in (None, dark_palette()):
        view = QPlainTextEdit()
        qtbot.addWidget(view)
        if palette is not None:
            view.setPalette(palette)
        render_diff(view, older, newer, word_diff(older, newer))
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.toPlainText().index("so") + 1)
        fmt = cursor.charFormat()
        shown = view.palette()
        assert fmt.background().color() == tone("inserted", shown)
        assert fmt.foreground().color() == tone("inserted_text", shown)
        # Text and its background are far apart in lightness whichever theme is on.
        assert abs(fmt.background().color().lightness() - fmt.foreground().color().lightness()) > 100
        assert (fmt.background().color().lightness() < 128) == (palette is not None)
