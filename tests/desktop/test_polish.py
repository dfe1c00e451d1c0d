"""Theme, applying a finding, relative times in the interface's language, and every action reachable by keyboard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QPushButton
from pytestqt.qtbot import QtBot
from sqlmodel import select

from desktop.app import install_translations
from desktop.background import Background
from desktop.draft_editor import DraftEditor
from desktop.main_window import MainWindow
from desktop.settings_dialog import SettingsDialog
from desktop.theme import tone
from drafting.secrets import SecretStore
from storage import config
from storage.database import Database
from storage.models import Revision


def _open(qtbot: QtBot, url: str) -> MainWindow:
    win = MainWindow(database_url=url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0 and win.editor.item_id is not None, timeout=15_000)
    return win


def _close(qtbot: QtBot, win: MainWindow) -> None:
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


@pytest.fixture
def window(qtbot: QtBot, demo_url: str) -> Iterator[MainWindow]:
    win = _open(qtbot, demo_url)
    yield win
    _close(qtbot, win)


def _click_item(qtbot: QtBot, window: MainWindow, customer: str, channel: str) -> int:
    """Click the inbox row of `customer`'s `channel` item, as a person does; returns the item id."""
    row = next(
        i for i, r in enumerate(window.inbox.rows) if r.customer_name.startswith(customer) and r.channel == channel
    )
    window.table.scrollTo(window.inbox.index(row, 1))
    rect = window.table.visualRect(window.inbox.index(row, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    item_id = window.inbox.rows[row].id
    qtbot.waitUntil(
        lambda: window.editor.item_id == item_id and window.customer_card.text().startswith(customer), timeout=15_000
    )
    return item_id


def _paste(qtbot: QtBot, editor: DraftEditor, text: str) -> None:
    """Paste `text` into the reply as a person would (Ctrl+V)."""
    QApplication.clipboard().setText(text)
    editor.editor.setFocus()
    qtbot.keyClick(editor.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _revisions(url: str, draft_id: int) -> list[Revision]:
    db = Database(url)
    with db.session() as s:
        rows = list(s.exec(select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.seq)))  # type: ignore[arg-type]  # column
    db.dispose()
    return rows


# -- theme -------------------------------------------------------------------------------------


def _window_lightness() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


def _save_theme(qtbot: QtBot, background: Background, key: Qt.Key) -> None:
    dialog = SettingsDialog(background, None, secrets=SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.key_state is not None, timeout=15_000)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)  # Appearance
    dialog.theme.setFocus()
    qtbot.keyClick(dialog.theme, key)
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_theme_changes_live_when_saved_in_settings(qtbot: QtBot) -> None:
    background = Background()
    system = QApplication.palette().color(QPalette.ColorRole.Window)
    try:
        _save_theme(qtbot, background, Qt.Key.Key_End)  # the last choice: Dark
        assert config.get("ui.theme") == "dark"
        assert _window_lightness() < 100
        assert tone("recent").lightness() > 150  # accents switch to the shade that reads on dark

        _save_theme(qtbot, background, Qt.Key.Key_Up)  # Light
        assert config.get("ui.theme") == "light"
        assert _window_lightness() > 200

        _save_theme(qtbot, background, Qt.Key.Key_Home)  # System: the platform's own colours again
        assert config.get("ui.theme") == "system"
        assert QApplication.palette().color(QPalette.ColorRole.Window) == system
    finally:
        background.quit_all()
        qtbot.waitUntil(lambda: not background.busy, timeout=15_000)


# -- findings: apply -------------------------------------------------------------------------------


def test_apply_replaces_the_finding_with_its_suggestion_as_one_kept_edit(
    window: MainWindow, qtbot: QtBot, demo_url: str
) -> None:
    _click_item(qtbot, window, "Daniel", "email")
    editor = window.editor
    assert editor.draft_id is None
    reply = "Dear customer,\n\nThe duplicate charge is refunded today.\n\nMarta"
    _paste(qtbot, editor, reply)
    # A person's own words start a draft, with no model involved.
    with qtbot.waitSignal(editor.saved, timeout=15_000):
        pass
    assert editor.draft_id is not None
    qtbot.waitUntil(lambda: any(f.code == "generic_greeting" for f in editor.shown_findings), timeout=15_000)
    row = next(i for i, f in enumerate(editor.shown_findings) if f.code == "generic_greeting")
    widget = editor.findings.itemWidget(editor.findings.item(row))
    button = widget.findChild(QPushButton)
    assert button is not None and button.isVisible()
    assert "Hi Daniel" in button.accessibleName()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    applied = "Hi Daniel,\n\nThe duplicate charge is refunded today.\n\nMarta"
    assert editor.editor.toPlainText() == applied
    qtbot.waitUntil(
        lambda: (
            editor.shown_findings is not None and not any(f.code == "generic_greeting" for f in editor.shown_findings)
        ),
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: _revisions(demo_url, editor.draft_id or 0)[-1].body == applied, timeout=15_000)
    last = _revisions(demo_url, editor.draft_id)[-1]
    assert (last.kind, last.author_kind, last.author) == ("human_edit", "human", "marta")

    editor.editor.setFocus()
    qtbot.keyClick(editor.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.editor.toPlainText() == reply  # one undo takes the whole fix back


def test_ctrl_period_applies_the_finding_under_the_cursor(window: MainWindow, qtbot: QtBot) -> None:
    _click_item(qtbot, window, "Daniel", "email")
    editor = window.editor
    _paste(qtbot, editor, "Hi Daniel,\n\nIt is refunded. Please don't hesitate to contact us.\n\nMarta")
    qtbot.waitUntil(lambda: any(f.code == "robotic_phrase" for f in editor.shown_findings), timeout=15_000)
    cursor = editor.editor.textCursor()
    cursor.setPosition(editor.editor.toPlainText().index("hesitate"))
    editor.editor.setTextCursor(cursor)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert editor.editor.toPlainText() == (
        "Hi Daniel,\n\nIt is refunded. Just reply here if anything else comes up.\n\nMarta"
    )


# -- relative times --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "pattern"),
    [("en", r"\b\d+ minutes? ago\b"), ("es", r"\bhace \d+ minutos?\b")],
)
def test_timeline_times_read_in_the_interface_language(qtbot: QtBot, demo_url: str, lang: str, pattern: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert install_translations(app, lang) == lang
    try:
        win = _open(qtbot, demo_url)
        try:
            _click_item(qtbot, win, "Daniel", "email")
            view = win.conversation
            rows = [view.timeline_list.item(i) for i in range(view.timeline_list.count())]
            recent = [item for item in rows if re.search(pattern, item.text())]
            assert recent, [item.text() for item in rows]
            for item in recent:  # within a day: highlighted, in bold and in the accent colour
                assert item.font().weight() == QFont.Weight.Bold
                assert item.foreground().color() == tone("recent")
            if lang == "es":
                assert not any(re.search(r"\bago\b|\bjust now\b", item.text()) for item in rows)
            assert view.recent_contact.isVisible()
            assert view.recent_contact.textFormat() == Qt.TextFormat.PlainText
            assert re.search(pattern, view.recent_contact.text()), view.recent_contact.text()
        finally:
            _close(qtbot, win)
    finally:
        install_translations(app, "en")


# -- every action by keyboard ------------------------------------------------------------------------


def _own_actions(window: MainWindow) -> list[QAction]:
    """The window's commands: every QAction but menu titles, separators and Qt's own.

    Qt's own are the line edit's clear button (`_q_…`) and a dock's show/hide toggle, which repeats
    the command that opens the dock (Outbox, Ctrl+Shift+O).
    """
    docks = {dock.toggleViewAction() for dock in window.findChildren(QDockWidget)}
    return [
        a
        for a in window.findChildren(QAction)
        if a.menu() is None and not a.isSeparator() and not a.objectName().startswith("_q_") and a not in docks
    ]


def test_every_action_has_text_and_a_shortcut_and_f1_lists_them(window: MainWindow, qtbot: QtBot) -> None:
    window.show_outbox()  # the outbox panel brings its own actions
    actions = _own_actions(window)
    assert len(actions) >= 10
    missing = [a.text() or a.objectName() or repr(a) for a in actions if not a.text().strip() or a.shortcut().isEmpty()]
    assert not missing, f"actions without a text or a shortcut: {missing}"

    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    qtbot.waitUntil(
        lambda: getattr(window, "shortcuts_box", None) is not None and window.shortcuts_box.isVisible(), timeout=5_000
    )
    listed = window.shortcuts_box.text()
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        line = f"{keys} — {action.text().replace('&', '').rstrip('…')}"
        assert line in listed, f"{line!r} is not in F1's list"
    window.shortcuts_box.close()


def test_apply_and_timeline_widgets_have_accessible_names(window: MainWindow, qtbot: QtBot) -> None:
    view = window.conversation
    for widget in (view.timeline_list, view.recent_contact, window.editor.findings):
        assert widget.accessibleName(), widget
    assert window.editor.apply_action.shortcut() == QKeySequence("Ctrl+.")


def test_typing_disables_apply_until_the_findings_are_checked_again(window: MainWindow, qtbot: QtBot) -> None:
    _click_item(qtbot, window, "Daniel", "email")
    editor = window.editor
    _paste(qtbot, editor, "Dear customer,\n\nThe duplicate charge is refunded today.\n\nMarta")
    qtbot.waitUntil(lambda: any(f.code == "generic_greeting" for f in editor.shown_findings), timeout=15_000)

    def button() -> QPushButton:
        row = next(i for i, f in enumerate(editor.shown_findings) if f.code == "generic_greeting")
        found = editor.findings.itemWidget(editor.findings.item(row)).findChild(QPushButton)
        assert found is not None
        return found

    assert button().isEnabled()
    stale = button()
    qtbot.keyClicks(editor.editor, " Thanks")  # the finding's words have moved on; its fix would land wrongly
    assert not stale.isEnabled()
    qtbot.waitUntil(lambda: button() is not stale and button().isEnabled(), timeout=15_000)
    before = editor.editor.toPlainText()
    qtbot.mouseClick(button(), Qt.MouseButton.LeftButton)
    assert editor.editor.toPlainText() == before.replace("Dear customer", "Hi Daniel", 1)
