"""The main window: the inbox on the left, the selected conversation and its reply on the right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.deferred import deferred
from desktop.inbox import PAGE, InboxFilter, InboxFilterBar, InboxModel, InboxTable, age, load_page
from storage.first_page import first_inbox_page
from storage.location import database_url, home

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QPlainTextEdit

    from desktop.approval_dialog import ApprovalDialog, ApprovalView
    from desktop.conversation import ConversationView
    from desktop.draft_editor import DraftEditor
    from desktop.history_dialog import RevisionHistoryDialog, open_history
    from desktop.mail_fetch import fetch_mail
    from desktop.outbox_panel import OutboxPanel
    from desktop.settings_dialog import open_settings
    from drafting.approval import Approval, Decided, approve, reject, request_changes
    from drafting.context import DraftContext, build_context
    from drafting.language import preload as preload_language_model
    from storage.database import Database
    from storage.timeline import CustomerContext, ItemDetail, ItemRow, customer_context, item_detail
else:
    # What opening the window does not need (mail and its keyring, the outbox, settings, history, the language
    # model) is imported when first used, so the window is on screen sooner (bench/bench_desktop.py). What runs
    # on a worker thread here is Qt-free: Qt modules are imported on the GUI thread only.
    open_history = deferred("desktop.history_dialog", "open_history")
    fetch_mail = deferred("desktop.mail_fetch", "fetch_mail")
    OutboxPanel = deferred("desktop.outbox_panel", "OutboxPanel")
    open_settings = deferred("desktop.settings_dialog", "open_settings")
    approve = deferred("drafting.approval", "approve")
    reject = deferred("drafting.approval", "reject")
    request_changes = deferred("drafting.approval", "request_changes")
    build_context = deferred("drafting.context", "build_context")
    preload_language_model = deferred("drafting.language", "preload")
    customer_context = deferred("storage.timeline", "customer_context")
    item_detail = deferred("storage.timeline", "item_detail")

__all__ = ["Conversation", "MainWindow", "age"]

OPEN_AT_LATEST_MS = 500
"""With the quick first page shown, the workspace opens after the first paint, or after this long at the latest."""

SETTLE_PAINTS_MS = 50
"""How long after the work area's first paint the workspace starts opening."""

SEEN_KEPT = 5000
"""How many opened items the window remembers as read (the newest ids)."""


@dataclass(frozen=True)
class Conversation:
    detail: ItemDetail
    context: CustomerContext
    draft_context: DraftContext


@dataclass(frozen=True)
class Workspace:
    db: Database
    user: str
    user_id: int | None
    inbox_filter: InboxFilter
    first_page: list[ItemRow]
    """The inbox's first page for `inbox_filter`, read with the workspace so it is on screen one step sooner."""


# What the first reply, check and approval import, imported on a worker once the inbox is on screen (Qt-free
# modules only), so the first Ctrl+D or Ctrl+Enter does not wait for them. Dependencies first.
WARM_MODULES = (
    "storage.timeline",
    "drafting.context",
    "drafting.checks",
    "drafting.checks.fixes",
    "drafting.empathy",
    "drafting.drafts",
    "drafting.own_reply",
    "drafting.approval",
    "drafting.providers.choice",
)


class MainWindow(QMainWindow):
    warmed = Signal()
    """The workspace is open, its first page shown and what working on it needs imported (desktop.app freezes the GC)."""

    def __init__(self, *, database_url: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Latido")
        self.resize(1320, 840)
        self._database_url = database_url
        self.db: Database | None = None
        self.background = Background(self)
        self.filters = InboxFilterBar()
        # The workspace opens on a worker (importing the database layer). An up-to-date SQLite workspace's first
        # page is read now with sqlite3 alone (a few ms, without those imports) and shown as soon as the event loop
        # runs; the workspace opens after that, so its imports do not compete with the first paint (the worker's
        # page then confirms the quick one).
        quick = first_inbox_page(database_url, limit=PAGE) if self.filters.current() == InboxFilter() else None
        if quick is None:
            self._open_workspace()
        else:
            QTimer.singleShot(0, self, lambda: self._show_quick(quick))
        # Window state lives beside the workspace's data, so each LATIDO_HOME keeps its own.
        self.settings = QSettings(str(home() / "ui.ini"), QSettings.Format.IniFormat)
        self._restore_item: int | None = self.settings.value("inbox/selected", None, type=int) or None
        self._wanted_item: int | None = None
        self.user: str | None = None  # who is working, once the workspace is open
        self._preloaded = False
        self._opening = False
        self._reload_wanted = False

        self.inbox = InboxModel(self.background, self)
        seen = str(self.settings.value("inbox/seen", "", type=str) or "")
        self.inbox.seen = {int(part) for part in seen.split(",") if part.isdigit()}
        self.inbox.loaded.connect(self._items_loaded)
        self.inbox.failed.connect(self._show_problem)
        self.filters.changed.connect(self._filter_changed)
        self.table = InboxTable(self.inbox)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.tips = self._tip_strip()
        left_layout.addWidget(self.tips)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.table)

        # The conversation and the reply editor are built once the inbox has been painted (or when first needed):
        # importing and building them would otherwise delay the first page by a sixth.
        self._conversation: ConversationView | None = None
        self._editor: DraftEditor | None = None
        self.history_dialog: RevisionHistoryDialog | None = None
        self.work_area = QSplitter(Qt.Orientation.Vertical)
        self._painted = self.table.painted.connect(self._inbox_painted)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.work_area)
        splitter.setSizes([640, 680])
        self.setCentralWidget(splitter)
        self.outbox_dock: QDockWidget | None = None
        self.outbox_panel: OutboxPanel | None = None
        self._build_menus()

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.counts)
        if self.db is None:
            self.statusBar().showMessage(self.tr("Opening the workspace…"))

    # -- the work area: the conversation and its reply ---------------------------------

    @property
    def conversation(self) -> ConversationView:
        if self._conversation is None:
            self._build_work_area()
        assert self._conversation is not None
        return self._conversation

    @property
    def editor(self) -> DraftEditor:
        if self._editor is None:
            self._build_work_area()
        assert self._editor is not None
        return self._editor

    def _inbox_painted(self) -> None:
        if self.inbox.rows:  # the first page is on screen
            QObject.disconnect(self._painted)
            # After this paint, not inside it, and in short steps, each 1 ms timer letting input and other timers
            # run in between.
            QTimer.singleShot(1, self, self._prepare_work_area)

    def _prepare_work_area(self) -> None:
        # PySide creates each QtWidgets class when first used, but the first time it wraps a widget whose class Qt
        # keeps private (a scroll area's viewport) it creates every class not created yet, about 10 ms at once.
        # That happens here, in a step of its own, not inside the work area's build nor before the first paint.
        self.table.viewport()
        QTimer.singleShot(1, self, self._build_work_area)

    def _build_work_area(self) -> None:
        if self._editor is not None:
            return
        from desktop.conversation import ConversationView
        from desktop.draft_editor import DraftEditor

        self._conversation = ConversationView()
        self._editor = DraftEditor(self.background)
        self._editor.db, self._editor.user = self.db, self.user
        self._editor.saved.connect(lambda _hash: self.reload())
        self._editor.saved.connect(lambda _hash: self._update_history_action())
        self.work_area.addWidget(self._conversation)
        reply = QWidget()
        reply_layout = QVBoxLayout(reply)
        reply_layout.setContentsMargins(0, 0, 0, 0)
        reply_layout.addWidget(QLabel(self.tr("Reply")))
        reply_layout.addWidget(self._editor)
        self.work_area.addWidget(reply)
        self.work_area.setSizes([420, 420])
        self._work_painted = _AfterPaint(self._editor.editor.viewport(), self._work_area_painted)

    def _work_area_painted(self) -> None:
        # The work area's first paint is followed by a few more layout passes and paints; the workspace's imports
        # start once they are done (they took under 50 ms on the bench machine).
        self._work_painted.remove()
        QTimer.singleShot(SETTLE_PAINTS_MS, self, self._open_workspace)

    # -- compatibility with simple callers ---------------------------------------------

    @property
    def customer_card(self) -> QLabel:
        return self.conversation.customer_card

    @property
    def message(self) -> QPlainTextEdit:
        return self.conversation.message

    @property
    def timeline(self) -> QPlainTextEdit:
        return self.conversation.timeline

    def _tip_strip(self) -> QFrame:
        """A short guide on first run; "Got it" hides it for good (kept in ui.ini)."""
        strip = QFrame()
        strip.setFrameShape(QFrame.Shape.StyledPanel)
        strip.setAccessibleName(self.tr("Getting started"))
        row = QHBoxLayout(strip)
        text = QLabel(
            self.tr(
                "Flagged items at the top need a person. Pick a message, press Ctrl+D to draft a reply, "
                "make it sound like you, then Ctrl+Enter to approve. F1 lists every shortcut."
            )
        )
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        done = QPushButton(self.tr("Got it"))
        done.setAccessibleName(self.tr("Hide the getting-started tips"))
        done.clicked.connect(self._dismiss_tips)
        row.addWidget(text, 1)
        row.addWidget(done)
        strip.setVisible(not self.settings.value("tips/dismissed", False, type=bool))
        return strip

    def _dismiss_tips(self) -> None:
        self.tips.hide()
        self.settings.setValue("tips/dismissed", True)

    def _build_menus(self) -> None:
        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.reload)
        find = QAction(self.tr("&Find"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.filters.search.setFocus())
        inbox = QAction(self.tr("Go to &inbox"), self)
        inbox.setShortcut(QKeySequence("Ctrl+1"))
        inbox.triggered.connect(lambda: self.table.setFocus())
        reply = QAction(self.tr("Go to &reply"), self)
        reply.setShortcut(QKeySequence("Ctrl+2"))
        reply.triggered.connect(lambda: self.editor.editor.setFocus())
        # From anywhere, the reply included: answering many short messages without reaching for the list.
        next_item = QAction(self.tr("&Next item"), self)
        next_item.setShortcut(QKeySequence("Ctrl+PgDown"))
        next_item.triggered.connect(lambda: self._step_item(1))
        previous_item = QAction(self.tr("&Previous item"), self)
        previous_item.setShortcut(QKeySequence("Ctrl+PgUp"))
        previous_item.triggered.connect(lambda: self._step_item(-1))
        approve = QAction(self.tr("&Approve…"), self)
        approve.setShortcut(QKeySequence("Ctrl+Return"))
        approve.triggered.connect(self.approve_current)
        self.addAction(approve)
        self.history_action = QAction(self.tr("&History…"), self)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.setEnabled(False)
        self.history_action.triggered.connect(self.show_history)
        self.addAction(self.history_action)
        quit_action = QAction(self.tr("&Quit"), self)
        # Some platforms have no standard Quit key (Windows, bare X11): Ctrl+Q there.
        quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")])
        quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(refresh)
        settings = QAction(self.tr("&Settings…"), self)
        settings.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) or [QKeySequence("Ctrl+,")]
        )
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        settings.triggered.connect(lambda: open_settings(self, self.background, self.db))
        menu.addAction(settings)
        fetch = QAction(self.tr("Fetch &mail"), self)
        fetch.setShortcut(QKeySequence("Ctrl+Shift+F"))
        fetch.triggered.connect(self.fetch_new_mail)
        menu.addAction(fetch)
        menu.addSeparator()
        menu.addAction(quit_action)
        outbox = QAction(self.tr("&Outbox"), self)
        outbox.setShortcut(QKeySequence("Ctrl+Shift+O"))
        outbox.triggered.connect(self.show_outbox)
        shortcuts = QAction(self.tr("&Keyboard shortcuts"), self)
        shortcuts.setShortcut(QKeySequence.StandardKey.HelpContents)
        shortcuts.triggered.connect(self.show_shortcuts)
        reply_menu = self.menuBar().addMenu(self.tr("&Reply"))
        reply_menu.addAction(approve)
        reply_menu.addAction(self.history_action)
        from desktop.team_menu import TeamActions

        self.team = TeamActions(self)
        self.team.build(reply_menu)
        go = self.menuBar().addMenu(self.tr("&Go"))
        for action in (find, inbox, reply, next_item, previous_item):
            go.addAction(action)
        view = self.menuBar().addMenu(self.tr("&View"))
        view.addAction(outbox)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(shortcuts)

    def _step_item(self, step: int) -> None:
        """Select the item `step` rows below (or above) the current one; the focus stays where it is."""
        current = self.table.currentIndex()
        row = current.row() + step if current.isValid() else 0
        if 0 <= row < self.inbox.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.inbox.index(row, 0))
        elif row >= self.inbox.rowCount() and self.inbox.canFetchMore(QModelIndex()):
            self.inbox.fetchMore(QModelIndex())  # the next page; the step after it lands there

    # -- loading ---------------------------------------------------------------

    def _show_quick(self, rows: list[ItemRow]) -> None:
        # Only while nothing newer is shown: the workspace is still opening and no filter has changed.
        if self.db is None and self.filters.current() == InboxFilter():
            self.inbox.show_first_page(None, InboxFilter(), rows)
        # The workspace opens once the page and the work area are painted (see _build_work_area): its imports
        # on a worker would otherwise compete with those paints for the GIL and the two cores. A window that
        # is never painted opens it anyway.
        QTimer.singleShot(OPEN_AT_LATEST_MS, self, self._open_workspace)

    def _open_workspace(self) -> None:
        if self._opening:
            return
        self._opening = True
        flt = self.filters.current()
        self.background.run(_open, self._database_url, flt, on_done=self._opened, on_error=self._failed)

    def _opened(self, workspace: Workspace) -> None:
        self.db = workspace.db
        self.statusBar().clearMessage()
        self.user = workspace.user
        if self._editor is not None:
            self._editor.db, self._editor.user = self.db, workspace.user
        self.filters.user_id = workspace.user_id
        self.filters.mine.setEnabled(workspace.user_id is not None)
        if self.filters.current() != workspace.inbox_filter:
            self.reload()  # the person changed a filter while the workspace was opening
            return
        quick = self.inbox.db is None and bool(self.inbox.rows)
        current = self.table.currentIndex()
        if quick and current.isValid() and current.row() < len(self.inbox.rows):
            self._restore_item = self.inbox.rows[current.row()].id  # the person's place in the quick first page
        if quick and self._reload_wanted:
            self._reload_wanted = False
            self.inbox.reload(self.db, workspace.inbox_filter)  # F5 while the workspace was opening
        elif quick and self.inbox.query == workspace.inbox_filter and self.inbox.rows == workspace.first_page:
            # The quick first page is what the workspace read: keep it, now backed by the database.
            self.inbox.attach(self.db)
            self._items_loaded()
            if current.isValid():
                self._on_current_changed(current, current)
        else:
            self.inbox.show_first_page(self.db, workspace.inbox_filter, workspace.first_page)

    def reload(self) -> None:
        if self.db is not None:
            self.inbox.reload(self.db, self.filters.current())
        else:
            self._reload_wanted = True  # done when the workspace has opened

    def _filter_changed(self, flt: InboxFilter) -> None:
        if self.db is not None:
            self.inbox.reload(self.db, flt)

    def _items_loaded(self) -> None:
        if not self.inbox.rows:  # no page to paint first, no conversation to show first
            self._build_work_area()
            self._warm_up()
        rows = self.inbox.rows
        escalated = sum(r.escalated for r in rows)
        more = "+" if self.inbox.canFetchMore() else ""
        # The quick first page is shown before the workspace is open: its plain SQLite URL is the one shown later.
        shown_url = self.db.display_url if self.db is not None else database_url(self._database_url)
        self.counts.setText(
            self.tr("{count}{more} items, {escalated} escalated — {user} — {db}").format(
                count=len(rows), more=more, escalated=escalated, user=self.user or "?", db=shown_url
            )
        )
        wanted = self._wanted_item or self._restore_item
        keep = self.inbox.row_of(wanted) if wanted is not None else None
        model = self.table.selectionModel()
        if keep is not None:
            # The same item with fresh data needs no new conversation load; another item does (via the signal).
            model.blockSignals(self._wanted_item == wanted)
            self.table.selectRow(keep)
            model.blockSignals(False)
        elif rows and not self.table.currentIndex().isValid() and self._wanted_item is None:
            # Only the first load picks an item; later reloads never move the person away from theirs.
            self.table.selectRow(0)
        self._restore_item = None

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.db is None or current.row() >= len(self.inbox.rows):
            return
        item_id = self.inbox.rows[current.row()].id
        self._wanted_item = item_id
        self.settings.setValue("inbox/selected", item_id)
        if self.inbox.mark_seen(item_id):
            # The newest few thousand opened items are enough to tell what is unread in any inbox page.
            self.settings.setValue("inbox/seen", ",".join(str(i) for i in sorted(self.inbox.seen)[-SEEN_KEPT:]))
        self.background.run(
            _load_conversation, self.db, item_id, on_done=self._show_conversation, on_error=self._failed
        )

    def _show_conversation(self, conversation: Conversation | None) -> None:
        if conversation is None or conversation.detail.item.id != self._wanted_item:
            return  # a slower load for an item the person has already left
        detail, dctx = conversation.detail, conversation.draft_context
        self.conversation.show(detail, dctx, conversation.context)
        revision = detail.draft.revision if detail.draft else None
        self.editor.show_item(
            item_id=detail.item.id,
            draft_id=detail.draft.id if detail.draft else None,
            text=revision.body if revision else "",
            channel=dctx.channel,
            language=dctx.prompt_language,
            max_chars=dctx.rules.max_chars,
            context=dctx,
        )
        self._update_history_action()
        self._warm_up()

    def _warm_up(self) -> None:
        """Once the first conversation is on screen: recover interrupted sends and import what drafting needs.

        Not sooner, so the worker does not compete with the first page, the first conversation and their
        paints; not later, or the first check of a draft would wait for the language model."""
        if not self._preloaded and self.db is not None:
            self._preloaded = True
            self.background.run(_settle, self.db, on_done=lambda _none: self.warmed.emit(), on_error=self._failed)

    # -- approving -----------------------------------------------------------------

    def approve_current(self) -> None:
        """Ctrl+Enter: keep the last edit, then show exactly what would be sent."""
        if self.db is not None and not self.editor.streaming:
            self.editor.save_blocking()  # the last keystrokes, and the first words of a reply a person writes
        if self.db is None or self.editor.draft_id is None or self.editor.streaming:
            self._show_problem(self.tr("nothing to approve yet: draft a reply first"))
            return
        # A Qt module: imported here, on the GUI thread (its drafting imports are warm by now, see _warm_up).
        from desktop.approval_dialog import load_approval_view

        self.background.run(
            load_approval_view, self.db, self.editor.draft_id, on_done=self._ask_approval, on_error=self._failed
        )

    def _ask_approval(self, view: ApprovalView) -> None:
        from desktop.approval_dialog import ApprovalDialog

        self.approval_dialog = ApprovalDialog(view, self)
        self.approval_dialog.accepted.connect(lambda: self._decided(view, self.approval_dialog))
        self.approval_dialog.open()

    def _decided(self, view: ApprovalView, dialog: ApprovalDialog) -> None:
        if dialog.decision == "approve":
            self._approve(view, dialog.acknowledged())
            return
        assert self.db is not None
        db, user, reason = self.db, self.user, dialog.reason
        decide = request_changes if dialog.decision == "request_changes" else reject
        self.background.run(
            lambda: decide(db, draft_id=view.draft_id, reviewer=user, reason=reason),
            on_done=self._reviewed,
            on_error=self._failed,
        )

    def _reviewed(self, decided: Decided) -> None:
        label = self.tr("changes requested") if decided.decision == "request_changes" else self.tr("rejected")
        self.statusBar().showMessage(
            self.tr("Draft {draft}: {what} by {user}").format(draft=decided.draft_id, what=label, user=decided.reviewer)
        )
        self.reload()

    def _approve(self, view: ApprovalView, acknowledged: list[str]) -> None:
        assert self.db is not None
        db, user = self.db, self.user
        self.background.run(
            lambda: approve(
                db, draft_id=view.draft_id, content_hash=view.content_hash, approver=user, acknowledged=acknowledged
            ),
            on_done=self._approved,
            on_error=self._failed,
        )

    def _approved(self, approval: Approval) -> None:
        if approval.outbox_id is None:
            self.statusBar().showMessage(
                self.tr("Approved by {user}; not queued yet: it needs {what}").format(
                    user=approval.approver, what=approval.waiting_for
                )
            )
            self.reload()
            return
        self.statusBar().showMessage(
            self.tr("Approved by {user}: queued for sending (outbox {outbox})").format(
                user=approval.approver, outbox=approval.outbox_id
            )
        )
        self.reload()

    def shortcut_lines(self) -> list[str]:
        """Every action of the window and its children that has a shortcut, as `keys — what`."""
        from PySide6.QtWidgets import QAbstractButton

        self._build_work_area()  # the reply's actions (Ctrl+D…) are listed even before the first item is shown
        lines = set()
        for action in self.findChildren(QAction):
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()
            )
            if keys:
                lines.add(f"{keys} — {action.text().replace('&', '').rstrip('…')}")
        for button in self.findChildren(QAbstractButton):
            key = button.shortcut()
            if not key.isEmpty() and button.text():
                lines.add(f"{key.toString(QKeySequence.SequenceFormat.NativeText)} — {button.text().replace('&', '')}")
        return sorted(lines)

    def show_shortcuts(self) -> None:
        """F1: the keyboard shortcuts, as plain text."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText("\n".join(self.shortcut_lines()))
        box.open()
        self.shortcuts_box = box

    # -- revision history -------------------------------------------------------------

    def _update_history_action(self) -> None:
        self.history_action.setEnabled(self.editor.draft_id is not None)

    def show_history(self) -> None:
        """Ctrl+H: every version of the current draft, with word diffs and restore."""
        if self.db is None or self.editor.draft_id is None or self.editor.streaming:
            self._show_problem(self.tr("no history yet: draft a reply first"))
            return
        self.editor.save_blocking()  # the last keystrokes are a version too
        self.history_dialog = open_history(self, self.background, self.db, self.editor.draft_id, self.editor.user)
        self.history_dialog.restored.connect(self._history_restored)

    def _history_restored(self, _content_hash: str) -> None:
        dialog, editor = self.history_dialog, self.editor
        if dialog is None or dialog.restored_text is None or dialog.draft_id != editor.draft_id:
            return
        assert editor.item_id is not None
        editor.show_item(
            item_id=editor.item_id,
            draft_id=editor.draft_id,
            text=dialog.restored_text,
            channel=editor.channel,
            language=editor.language,
            max_chars=editor.max_chars,
            context=editor.context,
        )
        self.reload()

    # -- outbox and mail ------------------------------------------------------------

    def show_outbox(self) -> None:
        if self.db is None:
            self._show_problem(self.tr("the workspace is still opening"))
            return
        if self.outbox_panel is None:
            self.outbox_panel = OutboxPanel(self.background, self.db, self.user)
            self.outbox_panel.changed.connect(self.reload)
            from PySide6.QtWidgets import QDockWidget

            self.outbox_dock = QDockWidget(self.tr("Outbox"), self)
            self.outbox_dock.setObjectName("outbox")
            self.outbox_dock.setWidget(self.outbox_panel)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.outbox_dock)
        else:
            self.outbox_panel.reload()
        assert self.outbox_dock is not None
        self.outbox_dock.show()
        self.outbox_dock.raise_()
        self.outbox_panel.table.setFocus()

    def fetch_new_mail(self) -> None:
        if self.db is None:
            self._show_problem(self.tr("the workspace is still opening"))
            return
        self.statusBar().showMessage(self.tr("Fetching mail…"))
        fetch_mail(self.background, self.db, self._mail_fetched, self._show_problem, actor=self.user)

    def _mail_fetched(self, summary: str) -> None:
        self.statusBar().showMessage(summary)
        self.reload()

    def _show_problem(self, text: str) -> None:
        self.statusBar().showMessage(self.tr("Problem: {error}").format(error=text))

    def _failed(self, error: BaseException) -> None:
        self._show_problem(str(error).splitlines()[0] if str(error) else type(error).__name__)
        self._warm_up()  # a first conversation that failed to load must not leave drafting cold

    def closeEvent(self, event: QCloseEvent) -> None:
        QObject.disconnect(self._painted)  # a no-op once the work area is built
        if self._editor is not None:
            self._editor.shut_down()
            self._work_painted.remove()
        self.background.quit_all()
        super().closeEvent(event)


def _open(url: str | None, flt: InboxFilter) -> Workspace:
    """Open (and migrate) the database, decide who is working (the user.name setting, else the first agent),
    and read the inbox's first page."""
    # What only opening the workspace needs is imported here, on the worker thread.
    from sqlmodel import select

    from storage import config
    from storage.database import open_database
    from storage.models import Role, User

    db = open_database(url)
    name = config.get("user.name")
    with db.session() as session:
        stmt = (
            select(User).where(User.name == name)
            if name
            else select(User).where(User.role == Role.AGENT.value).order_by(User.id)
        )  # type: ignore[arg-type]  # column
        user = session.exec(stmt).first()
    first_page = load_page(db, flt)
    if user is None:
        return Workspace(db, name, None, flt, first_page)
    return Workspace(db, user.name, user.id, flt, first_page)


class _AfterPaint(QObject):
    """Calls back after each paint of `widget` until removed."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget: QWidget | None = widget
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self._widget:
            QTimer.singleShot(0, self, self._callback)  # after this paint, not inside it
        return False

    def remove(self) -> None:
        if self._widget is not None:
            self._widget.removeEventFilter(self)
            self._widget = None


def _settle(db: Database) -> None:
    """Once the first page is on screen: recover interrupted sends, then import what working on an item needs."""
    import importlib

    from drafting.delivery.outbox import recover_interrupted

    # A send that was cut off by a crash is left for a person to decide on, never resent by itself. Nothing sends
    # before this runs: sending starts from an approval or the outbox, after the inbox is on screen.
    recover_interrupted(db)
    for module in WARM_MODULES:
        importlib.import_module(module)
    preload_language_model()


def _load_conversation(db: Database, item_id: int) -> Conversation | None:
    with db.session() as session:
        detail = item_detail(session, item_id=item_id)
        if detail is None:
            return None
        return Conversation(
            detail=detail,
            context=customer_context(session, customer_id=detail.customer.id, limit=200),
            draft_context=build_context(session, item_id=item_id),
        )
