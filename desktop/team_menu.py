"""The Team menu (a lead's tools) and the Reply menu's extra actions, each window imported only when opened.

Opening the main window imports none of these modules: they load on first use, which keeps start-up fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    from desktop.main_window import MainWindow
    from storage.database import Database


def _customer_of_item(db: Database | None, item_id: int) -> int:
    """The database id of the customer an item is from (read in the background)."""
    from storage.models import WorkItem

    if db is None:
        raise LookupError("the workspace is not open")
    with db.session() as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise LookupError(f"no work item {item_id}")
        return item.customer_id


def _call(module: str, function: str, *args: Any, **kwargs: Any) -> Any:
    return getattr(importlib.import_module(module), function)(*args, **kwargs)


class TeamActions(QObject):
    """Builds the actions and opens each tool with the window's workspace, user and current item."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.open_windows: list[QWidget] = []

    def _workspace(self) -> tuple[str, str] | None:
        db, user = self.window.db, self.window.editor.user
        if db is None:
            self.window.statusBar().showMessage(self.tr("The workspace is still opening; try again in a moment."))
            return None
        return db.url, user

    def _action(self, menu: QMenu, text: str, shortcut: str | None, run: Callable[[str, str], object]) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(text.replace("&", "").rstrip("…"))

        def triggered() -> None:
            workspace = self._workspace()
            if workspace is None:
                return
            self._remember(run(*workspace))

        action.triggered.connect(triggered)
        menu.addAction(action)
        self.window.addAction(action)
        return action

    def _remember(self, opened: object) -> None:
        """Keep a reference to an opened tool until it is destroyed (most delete themselves on close)."""
        if isinstance(opened, QWidget):
            self.open_windows.append(opened)
            opened.destroyed.connect(lambda _obj=None, w=opened: self._forget(w))

    def _forget(self, widget: QWidget) -> None:
        self.open_windows = [w for w in self.open_windows if w is not widget]

    def _tool(self, menu: QMenu, text: str, shortcut: str, module: str, function: str) -> QAction:
        """An action that opens `module.function(window, database_url=…, user=…)`, imported on first use."""
        return self._action(
            menu, text, shortcut, lambda url, user: _call(module, function, self.window, database_url=url, user=user)
        )

    def _need_item(self) -> int | None:
        item_id = self.window.editor.item_id
        if item_id is None:
            self.window.statusBar().showMessage(self.tr("Pick an item in the inbox first."))
        return item_id

    def _need_draft(self) -> int | None:
        draft_id = self.window.editor.draft_id
        if draft_id is None:
            self.window.statusBar().showMessage(self.tr("This item has no draft yet."))
        return draft_id

    def build(self, reply_menu: QMenu) -> None:
        w = self.window
        reply_menu.addSeparator()

        def note(url: str, user: str) -> object:
            item_id = self._need_item()
            if item_id is None:
                return None
            return _call("desktop.feedback", "add_feedback_note", w, database_url=url, user=user, item_id=item_id)

        def example(url: str, user: str) -> object:
            draft_id = self._need_draft()
            if draft_id is None:
                return None
            return _call("desktop.voice_guide", "promote_to_example", w, database_url=url, user=user, draft_id=draft_id)

        self.add_note = self._action(reply_menu, self.tr("Add &note…"), "Ctrl+Shift+N", note)
        self.use_as_example = self._action(reply_menu, self.tr("Use as voice &example"), "Ctrl+Alt+E", example)

        def new_message(url: str, user: str) -> object:
            item_id = self._need_item()
            if item_id is None:
                return None
            w.background.run(
                _customer_of_item,
                w.db,
                item_id,
                on_done=lambda customer_id: self._remember(
                    _call(
                        "desktop.outreach_new", "new_message", w, database_url=url, user=user, customer_id=customer_id
                    )
                ),
                on_error=lambda error: w.statusBar().showMessage(str(error).splitlines()[0] if str(error) else ""),
            )
            return None

        self.new_message = self._action(
            reply_menu, self.tr("New &message to this customer…"), "Ctrl+Alt+M", new_message
        )

        team = w.menuBar().addMenu(self.tr("&Team"))

        def policy(url: str, user: str) -> object:
            from desktop.policy_dialog import PolicyDialog
            from storage.database import Database

            db = Database(url)
            dialog = PolicyDialog(db, user=user, parent=w)
            dialog.finished.connect(lambda _result: db.dispose())
            dialog.open()
            return dialog

        self.history = self._tool(
            team, self.tr("Approval &history…"), "Ctrl+Shift+H", "desktop.approval_history", "open_approval_history"
        )
        self.insights = self._tool(
            team, self.tr("&Insights…"), "Ctrl+Shift+I", "desktop.insights_view", "open_insights"
        )
        team.addSeparator()
        self.outreach = self._tool(
            team, self.tr("New &outreach batch…"), "Ctrl+Shift+B", "desktop.outreach_batch", "open_outreach"
        )
        self.batches = self._tool(
            team, self.tr("Outreach &batches…"), "Ctrl+Alt+B", "desktop.outreach_review", "open_batch_history"
        )
        team.addSeparator()
        self.policy = self._action(team, self.tr("Approval &policy…"), "Ctrl+Alt+P", policy)
        self.feedback = self._tool(team, self.tr("&Feedback notes…"), "Ctrl+Alt+F", "desktop.feedback", "open_feedback")
        self.themes = self._tool(team, self.tr("Comment &themes…"), "Ctrl+Alt+C", "desktop.themes_view", "open_themes")
        self.voice = self._tool(team, self.tr("&Voice guide…"), "Ctrl+Alt+V", "desktop.voice_guide", "open_voice_guide")
