"""The lead's feedback tools driven as people use them: a tagged note, comment themes, the voice guide."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from desktop.background import Background
from desktop.draft_editor import DraftEditor
from desktop.feedback import FeedbackNoteDialog, FeedbackWindow, add_feedback_note, open_feedback
from desktop.themes_view import ThemesWindow, open_themes
from desktop.voice_guide import VoiceGuideDialog, open_voice_guide, promote_to_example
from drafting.context import build_context
from storage.database import Database
from storage.demo import load_demo_files
from storage.models import Draft, FeedbackNote, Interaction, Review, Revision, VoiceExample, WorkItem

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[QWidget]]:
    """Windows a test opened; closed (and their workers waited for) at the end."""
    opened: list[QWidget] = []
    yield opened
    for widget in opened:
        try:
            if isinstance(widget, VoiceGuideDialog):
                widget.dirty = False  # the test is over: nothing to ask about
            background = widget.findChild(Background)
            widget.close()
            if background is not None:
                qtbot.waitUntil(lambda b=background: not b.busy, timeout=30_000)  # type: ignore[misc]  # default binds the loop's value
        except RuntimeError:  # already deleted when it closed
            pass


def _query(url: str, stmt: sa.Executable) -> list[object]:
    db = Database(url)
    try:
        with db.session() as s:
            return list(s.execute(stmt).scalars())
    finally:
        db.dispose()


def _click_in_next_message_box(button: QMessageBox.StandardButton) -> None:
    """Answer the modal question that is about to open."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(button).click()
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


# -- feedback ------------------------------------------------------------------------------------------------


# The completion popup asks the window system to raise it and grab the keyboard, which offscreen cannot.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing the keyboard")
def test_an_agent_adds_a_tagged_note_with_the_keyboard_and_the_lead_sees_it(
    qtbot: QtBot, demo_url: str, windows: list[QWidget]
) -> None:
    item_id = _query(demo_url, sa.select(col(WorkItem.id)).where(col(WorkItem.status) == "new").limit(1))[0]
    dialog = add_feedback_note(None, database_url=demo_url, user="marta", item_id=int(item_id))  # type: ignore[call-overload]  # an id
    assert isinstance(dialog, FeedbackNoteDialog)
    windows.append(dialog)
    qtbot.waitUntil(lambda: dialog.completer.model().rowCount() > 0, timeout=15_000)

    qtbot.keyClicks(dialog.body, "Customers confused by the new pricing, again")
    qtbot.keyClick(dialog.body, Qt.Key.Key_Return, CTRL)  # no tags yet: refused, nothing lost
    qtbot.waitUntil(lambda: "at least one tag" in dialog.message.text(), timeout=15_000)
    assert dialog.isVisible() and dialog.body.toPlainText() == "Customers confused by the new pricing, again"

    dialog.tags.setFocus()
    qtbot.keyClicks(dialog.tags, "pric")
    popup = dialog.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.tags.text() == "pricing, "
    qtbot.keyClicks(dialog.tags, "Canarias ")
    with qtbot.waitSignal(dialog.saved, timeout=15_000) as saved:
        qtbot.keyClick(dialog.body, Qt.Key.Key_Enter, CTRL)
    note_id = saved.args[0]
    stored = _query(demo_url, select(FeedbackNote).where(FeedbackNote.id == note_id))
    assert len(stored) == 1
    note = stored[0]
    assert isinstance(note, FeedbackNote)
    assert (note.tags, note.author, note.work_item_id) == ("pricing,canarias", "marta", item_id)

    window = open_feedback(None, database_url=demo_url, user="lucia")
    assert isinstance(window, FeedbackWindow)
    windows.append(window)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0 and window.series is not None, timeout=15_000)
    first = window.model.rows[0]
    assert (first.id, first.tags, first.body) == (note_id, ("pricing", "canarias"), note.body)
    assert window.note_view.toPlainText() == note.body
    assert window.series is not None and window.series.total("pricing") == 2  # the demo's note and this one

    qtbot.waitUntil(lambda: window.tag_filter.findData("canarias") >= 0, timeout=15_000)
    window.tag_filter.setFocus()
    qtbot.keyClicks(window.tag_filter, "canarias")
    assert window.tag_filter.currentData() == "canarias"
    qtbot.waitUntil(lambda: [n.id for n in window.model.rows] == [note_id], timeout=15_000)
    qtbot.waitUntil(lambda: window.series is not None and list(window.series.counts) == ["canarias"], timeout=15_000)
    assert [s.name() for s in window.chart.series()] == ["canarias"]


# -- comment themes -------------------------------------------------------------------------------------------


def test_a_lead_opens_the_themes_and_sees_the_demos_two_themes(
    qtbot: QtBot, demo_url: str, windows: list[QWidget]
) -> None:
    planted: dict[str, set[int]] = {}
    for spec in load_demo_files().themes:
        found = _query(
            demo_url, sa.select(col(Interaction.id)).where(col(Interaction.source_id) == f"demo-{spec['id']}")
        )
        planted.setdefault(spec["theme"], set()).add(int(found[0]))  # type: ignore[call-overload]  # an id
    window = open_themes(None, database_url=demo_url, user="lucia")
    assert isinstance(window, ThemesWindow)
    windows.append(window)
    qtbot.waitUntil(lambda: window.report is not None and not window.running, timeout=60_000)
    assert window.report is not None
    top = [window.report.themes[i] for i in range(2)]
    labels = [window.themes.topLevelItem(i).text(0) for i in range(2)]
    assert labels == [t.label for t in top]
    assert any("price" in label for label in labels) and any("login" in label for label in labels)
    assert window.themes.topLevelItem(0).text(1) == str(top[0].volume)

    window.themes.setFocus()
    for row, theme in enumerate(top):
        if row:
            qtbot.keyClick(window.themes, Qt.Key.Key_Down)
        assert window.selected_theme() == theme
        wanted = planted["new-pricing" if "price" in theme.label else "app-login"]
        assert {e.interaction_id for e in theme.examples} <= wanted
        shown = window.examples.toPlainText()
        assert all(e.snippet in shown for e in theme.examples)
        (series,) = window.chart.series()
        bars = series.barSets()[0]  # type: ignore[attr-defined]  # a QBarSeries
        assert sum(bars.at(i) for i in range(bars.count())) == theme.volume

    # Another period, stopped at once (Space on the Stop button): what was shown stays.
    window.period.setFocus()
    qtbot.keyClick(window.period, Qt.Key.Key_Down)
    assert window.running and window.stop_button.isEnabled()
    qtbot.keyClick(window.stop_button, Qt.Key.Key_Space)
    assert not window.running and window.status.text() == "Stopped."
    qtbot.waitUntil(lambda: not window.background.busy, timeout=30_000)
    assert window.status.text() == "Stopped." and window.themes.topLevelItem(0).text(0) == labels[0]


# -- the voice guide -------------------------------------------------------------------------------------------


def _open_guide(qtbot: QtBot, url: str, windows: list[QWidget], language: str) -> VoiceGuideDialog:
    dialog = open_voice_guide(None, database_url=url, user="lucia")
    assert isinstance(dialog, VoiceGuideDialog)
    windows.append(dialog)
    qtbot.waitUntil(lambda: dialog.guide is not None, timeout=15_000)
    if language != "es":
        dialog.language.setFocus()
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            qtbot.keyClicks(dialog.language, "English")
    assert dialog.guide is not None and dialog.guide.language == language
    return dialog


def test_words_to_avoid_saved_in_the_guide_are_flagged_in_a_draft(
    qtbot: QtBot, demo_url: str, windows: list[QWidget]
) -> None:
    dialog = _open_guide(qtbot, demo_url, windows, "en")
    assert "we regret to inform you" in dialog.words_avoid.toPlainText()
    dialog.words_avoid.setFocus()
    qtbot.keyClick(dialog.words_avoid, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(dialog.words_avoid, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.words_avoid, "circle back")
    assert dialog.dirty and dialog.windowTitle().endswith("*")
    with qtbot.waitSignal(dialog.saved, timeout=15_000):
        qtbot.keyClick(dialog.words_avoid, Qt.Key.Key_S, CTRL)
    assert not dialog.dirty and dialog.guide is not None and dialog.guide.words_avoid[-1] == "circle back"

    # An English item's draft, checked as the editor checks it, with the context drafts are written from.
    drafts = _query(demo_url, select(Draft).where(Draft.language == "en", Draft.status == "drafting"))
    draft = drafts[0]
    assert isinstance(draft, Draft) and draft.work_item_id is not None
    db = Database(demo_url)
    with db.session() as s:
        context = build_context(s, item_id=draft.work_item_id)
    db.dispose()
    background = Background()
    editor = DraftEditor(background)
    qtbot.addWidget(editor)
    editor.show()
    editor.show_item(
        item_id=draft.work_item_id,
        draft_id=None,
        text="",
        channel=draft.channel,
        language="en",
        max_chars=None,
        context=context,
    )
    editor.editor.setFocus()
    qtbot.keyClicks(editor.editor, "Hi Ben, Mondays are fine. We will circle back on the rest. Marta")
    qtbot.waitUntil(
        lambda: any(
            f.code == "robotic_phrase" and editor.editor.toPlainText()[f.start : f.end] == "circle back"
            for f in editor.shown_findings
        ),
        timeout=20_000,
    )
    qtbot.waitUntil(lambda: not background.busy, timeout=15_000)


def test_closing_with_unsaved_changes_asks_first(qtbot: QtBot, demo_url: str, windows: list[QWidget]) -> None:
    dialog = _open_guide(qtbot, demo_url, windows, "es")
    dialog.tone.setFocus()
    qtbot.keyClick(dialog.tone, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(dialog.tone, " Sin prisas.")
    _click_in_next_message_box(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.dirty
    _click_in_next_message_box(QMessageBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.saved, timeout=15_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15_000)
    db = Database(demo_url)
    with db.session() as s:
        from drafting.voice import load_guide

        assert load_guide(s, language="es").tone.endswith("Sin prisas.")
    db.dispose()


def test_a_sent_reply_is_promoted_in_one_click_and_shows_in_the_examples(
    qtbot: QtBot, demo_url: str, windows: list[QWidget]
) -> None:
    approved = sa.select(col(Review.draft_id)).where(col(Review.decision) == "approve")
    draft_id = int(
        _query(demo_url, sa.select(col(Draft.id)).where(col(Draft.language) == "en", col(Draft.id).in_(approved)))[0]
    )  # type: ignore[call-overload]  # an id
    reply = _query(
        demo_url,
        sa.select(col(Revision.body)).where(
            col(Revision.id).in_(sa.select(col(Review.revision_id)).where(col(Review.draft_id) == draft_id))
        ),
    )[0]
    promotion = promote_to_example(None, database_url=demo_url, user="lucia", draft_id=draft_id)
    with qtbot.waitSignal(promotion.promoted, timeout=15_000) as done:
        pass
    assert promotion.message is not None and "voice example" in promotion.message.text()
    promotion.message.close()
    example_id = done.args[0]
    assert _query(demo_url, sa.select(col(VoiceExample.source_draft_id)).where(col(VoiceExample.id) == example_id)) == [
        draft_id
    ]

    again = promote_to_example(None, database_url=demo_url, user="lucia", draft_id=draft_id)
    with qtbot.waitSignal(again.refused, timeout=15_000) as refused:
        pass
    assert refused.args[0] == f"draft {draft_id} is already voice example {example_id}"
    assert again.message is not None
    again.message.close()

    dialog = _open_guide(qtbot, demo_url, windows, "en")
    shown = [dialog.example_list.item(i).text() for i in range(dialog.example_list.count())]
    first_words = " ".join(str(reply).split())[:40]
    assert any(first_words in text for text in shown), shown
    dialog.example_list.setFocus()
    dialog.example_list.setCurrentRow(len(shown) - 1)
    assert str(reply).strip() in dialog.example_view.toPlainText()
    with qtbot.waitSignal(dialog.examples_changed, timeout=15_000):
        qtbot.keyClick(dialog.example_list, Qt.Key.Key_Delete)
    assert dialog.example_list.count() == len(shown) - 1
    assert _query(demo_url, sa.select(col(VoiceExample.id)).where(col(VoiceExample.id) == example_id)) == []
