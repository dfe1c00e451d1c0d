"""The draft editor: write with the AI (or the offline composer), stop it, edit, and keep every version.

Generation streams in a worker thread; chunks reach the editor through a
queued signal, so the GUI thread only appends text. A person's edits are
saved as revisions after a short pause, when the editor loses focus, and
when the window closes, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent, QKeySequence, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.theme import tone

if TYPE_CHECKING:
    # The editor is built before the window is first shown, and the drafting stack (the models, the checks'
    # lexicons) is slow to import: it is imported where it is used, mostly on the worker threads that use it.
    from drafting.checks import Finding
    from drafting.checks.fixes import Fix
    from drafting.context import DraftContext
    from drafting.drafts import Outcome, RewriteOp
    from drafting.empathy import Suggestion
    from drafting.providers.base import CancelToken, Provider
    from storage.database import Database

SAVE_AFTER_MS = 800
REWRITE_OPS: tuple[RewriteOp, ...] = ("warmer", "shorter", "formal", "translate")
"""drafting.drafts.REWRITES, in its order (Ctrl+Alt+1…4); tests/desktop/test_cold_start.py checks they agree."""
SEVERITY_NAMES = {
    "block": QT_TRANSLATE_NOOP("DraftEditor", "block"),
    "warn": QT_TRANSLATE_NOOP("DraftEditor", "warn"),
    "info": QT_TRANSLATE_NOOP("DraftEditor", "info"),
}


def qt_position(text: str, index: int) -> int:
    """A Python string index as a Qt document position (Qt counts UTF-16 units: an emoji is two)."""
    return len(text[:index].encode("utf-16-le")) // 2


class _FindingRow(QWidget):
    """One finding in the side panel: what is wrong, and an Apply button when the fix is exact words."""

    def __init__(self, text: str, apply_label: str, apply_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote the draft: never markup
        self.label.setWordWrap(True)
        self.label.setAccessibleName(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.label, 1)
        self.apply_button: QPushButton | None = None
        if apply_label:
            self.apply_button = QPushButton(apply_label)
            self.apply_button.setAccessibleName(apply_name)
            self.apply_button.setToolTip(apply_name)
            layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignTop)

    def set_selected(self, selected: bool) -> None:
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.WindowText
        self.label.setForegroundRole(role)


class _Relay(QObject):
    """Carries chunks from the worker thread to the GUI thread (a queued connection)."""

    chunk = Signal(str)


class _Editor(QPlainTextEdit):
    focus_lost = Signal()

    def event(self, event: QEvent) -> bool:
        # Ctrl+Enter means "approve", not "new line": let the window's shortcut have it.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.ignore()
            return True
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


@dataclass(frozen=True)
class _Unsaved:
    """A person's text still to keep: a new revision of the draft, or the first words of a draft of their own."""

    db: Database
    item_id: int
    draft_id: int | None
    user: str
    text: str

    def keep(self) -> tuple[int, Outcome]:
        from drafting.drafts import revise_draft
        from drafting.own_reply import start_own_reply

        if self.draft_id is None:
            return self.item_id, start_own_reply(self.db, item_id=self.item_id, body=self.text, author=self.user)
        return self.item_id, revise_draft(self.db, draft_id=self.draft_id, body=self.text, author=self.user)


class DraftEditor(QWidget):
    """Editor for one work item's draft."""

    saved = Signal(str)
    """The new content hash after a revision was kept."""

    def __init__(self, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.db: Database | None = None
        self.user = ""
        self.item_id: int | None = None
        self.draft_id: int | None = None
        self.channel = "email"
        self.language = "en"
        self.max_chars: int | None = None
        self._cancel: CancelToken | None = None
        self._saved_text = ""
        self._before_stream = ""
        self._loading = False

        self.editor = _Editor()
        self.editor.setAccessibleName(self.tr("Draft"))
        self.editor.setPlaceholderText(self.tr("Press Ctrl+D to draft a reply, or start typing."))
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.focus_lost.connect(self.save_now)

        self.draft_button = QPushButton(self.tr("&Draft"))
        self.draft_button.setAccessibleName(self.tr("Draft a reply"))
        self.draft_button.setShortcut(QKeySequence("Ctrl+D"))
        self.draft_button.clicked.connect(self.start_draft)
        self.stop_button = QPushButton(self.tr("&Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop writing"))
        self.stop_button.setShortcut(QKeySequence("Esc"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        # A push button with a menu, like its neighbours; a tool button drew its arrow over the text.
        self.rewrite_button = QPushButton(self.tr("Rewrite"))
        self.rewrite_button.setAccessibleName(self.tr("Rewrite the draft"))
        menu = QMenu(self.rewrite_button)
        labels = {
            "warmer": self.tr("Warmer"),
            "shorter": self.tr("Shorter"),
            "formal": self.tr("More formal"),
            "translate": self.tr("Translate"),
        }
        for index, op in enumerate(REWRITE_OPS, start=1):
            action = QAction(labels[op], self)
            action.setShortcut(QKeySequence(f"Ctrl+Alt+{index}"))
            action.triggered.connect(lambda _checked=False, op=op: self.start_rewrite(op))
            menu.addAction(action)
            self.addAction(action)
        self.rewrite_button.setMenu(menu)

        self.writer_label = QLabel()
        self.writer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.findings = QListWidget()
        self.findings.setAccessibleName(self.tr("Findings (Enter selects the words, Ctrl+. applies the suggestion)"))
        self.findings.setMaximumHeight(150)
        self.findings.setWordWrap(True)
        self.findings.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.findings.itemActivated.connect(self._jump_to_finding)
        self.findings.currentRowChanged.connect(self._finding_selected)
        self.findings.viewport().installEventFilter(self)
        self.shown_findings: list[Finding] = []
        self._fixes: list[Fix | None] = []
        self._finding_rows: list[_FindingRow] = []
        self._findings_text = ""
        """The text the shown findings were found in: their spans count in it."""
        self.apply_action = QAction(self.tr("Apply the suggestion"), self)
        self.apply_action.setShortcut(QKeySequence("Ctrl+."))
        self.apply_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.apply_action.triggered.connect(self.apply_current_suggestion)
        self.addAction(self.apply_action)
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName(self.tr("Empathy suggestions (Enter or double-click to insert)"))
        self.suggestions.setToolTip(self.tr("Enter or double-click inserts a suggestion; Ctrl+Z undoes it"))
        self.suggestions.setMaximumHeight(90)
        self.suggestions.setWordWrap(True)
        self.suggestions.itemActivated.connect(self._insert_suggestion)
        self._offered: list[Suggestion] = []

        buttons = QHBoxLayout()
        for widget in (self.draft_button, self.stop_button, self.rewrite_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.writer_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.findings)
        layout.addWidget(self.suggestions)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_AFTER_MS)
        self._save_timer.timeout.connect(self.save_now)
        self.context: DraftContext | None = None
        # Checks run after typing pauses, not on every keystroke.
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(250)
        self._check_timer.timeout.connect(self._run_checks)
        self._checks_generation = 0
        self._closed = False
        self._relay = _Relay(self)
        self._relay.chunk.connect(self._append_chunk)

    # -- what is shown -------------------------------------------------------------

    def show_item(
        self,
        *,
        item_id: int,
        draft_id: int | None,
        text: str,
        channel: str,
        language: str,
        max_chars: int | None,
        context: DraftContext | None = None,
    ) -> None:
        """Show an item's current draft text (or an empty editor)."""
        self.save_now()
        self.context = context
        self.item_id, self.draft_id = item_id, draft_id
        self.channel, self.language, self.max_chars = channel, language, max_chars
        self._loading = True
        self.editor.setPlainText(text)
        self._loading = False
        # Compare later edits with what the editor holds: it turns NBSP and U+2028/9 into plain
        # spaces and newlines, and that alone is no edit of the person's.
        self._saved_text = self.editor.toPlainText()
        self.writer_label.setText("")
        self._refresh_meta()

    @property
    def streaming(self) -> bool:
        return self._cancel is not None

    def _refresh_meta(self) -> None:
        text = self.editor.toPlainText()
        words = len(text.split())
        if self.max_chars:
            self.count_label.setText(
                self.tr("{chars} / {limit} characters · {words} words").format(
                    chars=len(text), limit=self.max_chars, words=words
                )
            )
        else:
            self.count_label.setText(self.tr("{chars} characters · {words} words").format(chars=len(text), words=words))
        self._check_timer.start()

    def _run_checks(self) -> None:
        """Check the draft in a worker (the first check loads a language model); show it if still current."""
        text = self.editor.toPlainText()
        self._checks_generation += 1
        generation = self._checks_generation
        if not text.strip():
            self._show_suggestions([])
            self._show_findings([], text)
            return
        language = self.context.language if self.context else self.language
        self.background.run(
            _check,
            text,
            self.channel,
            language,
            self.context,
            self.max_chars,
            on_done=lambda result: self._checks_done(generation, text, result),
            on_error=lambda error: self._checks_done(generation, text, ([], []), error),
        )

    def _checks_done(
        self,
        generation: int,
        text: str,
        result: tuple[list[Finding], list[Suggestion]],
        error: BaseException | None = None,
    ) -> None:
        if self._closed or generation != self._checks_generation or text != self.editor.toPlainText():
            return  # the person kept typing: a newer check is on its way
        findings, offered = result
        self._show_suggestions(offered)
        self._show_findings(findings, text)
        if error is not None:
            self.findings.addItem(
                self.tr("The checks could not run: {error}").format(
                    error=str(error).splitlines()[0] if str(error) else type(error).__name__
                )
            )

    def _show_suggestions(self, offered: list[Suggestion]) -> None:
        self.suggestions.clear()
        self._offered = offered
        self.suggestions.setVisible(bool(self._offered))
        for suggestion in self._offered:
            item = QListWidgetItem(f"{suggestion.reason} → {suggestion.text}")
            item.setToolTip(suggestion.text)
            self.suggestions.addItem(item)

    def _insert_suggestion(self, item: QListWidgetItem) -> None:
        """Apply one suggestion as a single undoable edit: nothing is inserted without this click."""
        row = self.suggestions.row(item)
        if self.editor.isReadOnly() or not 0 <= row < len(self._offered):
            return
        from drafting.empathy import insert_suggestion  # loaded already: the check that offered it imported it

        updated = insert_suggestion(self.editor.toPlainText(), self._offered[row])
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(updated)
        cursor.endEditBlock()
        self.editor.setFocus()

    def _show_findings(self, findings: list[Finding], text: str) -> None:
        self.findings.clear()
        self.shown_findings = list(findings)
        self._findings_text = text
        self._fixes = []
        if findings:
            from drafting.checks.fixes import fix_for  # its findings module is loaded: the check made them

            self._fixes = [fix_for(finding, text) for finding in findings]
        self._finding_rows = []
        for index, (finding, fix) in enumerate(zip(findings, self._fixes, strict=True)):
            value = finding.severity.value
            severity = QCoreApplication.translate("DraftEditor", SEVERITY_NAMES.get(value, value))
            line = f"{severity}: {finding.message} {finding.suggestion}".strip()
            item = QListWidgetItem(line)  # the item keeps the text for screen readers; the row widget draws it
            item.setForeground(Qt.GlobalColor.transparent)
            self.findings.addItem(item)
            apply_name = ""
            if fix is not None:
                apply_name = (
                    self.tr("Apply: replace “{old}” with “{new}”").format(old=text[fix.start : fix.end], new=fix.text)
                    if fix.text
                    else self.tr("Apply: remove “{old}”").format(old=text[fix.start : fix.end])
                )
            row = _FindingRow(line, self.tr("Apply") if fix is not None else "", apply_name)
            if row.apply_button is not None:
                row.apply_button.clicked.connect(lambda _checked=False, i=index: self.apply_finding(i))
            self.findings.setItemWidget(item, row)
            self._finding_rows.append(row)
        self._size_finding_rows()
        self._underline(findings, text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.findings.viewport() and event.type() == QEvent.Type.Resize:
            self._size_finding_rows()  # wrapped text needs a new height for the new width
        return super().eventFilter(watched, event)

    def _size_finding_rows(self) -> None:
        width = self.findings.viewport().width()
        for index, row in enumerate(self._finding_rows):
            height = row.heightForWidth(width) if row.hasHeightForWidth() else row.sizeHint().height()
            self.findings.item(index).setSizeHint(QSize(0, max(height, row.minimumSizeHint().height())))

    def _finding_selected(self, current: int) -> None:
        for index, row in enumerate(self._finding_rows):
            row.set_selected(index == current)

    def _underline(self, findings: list[Finding], text: str) -> None:
        """Wavy underlines under each finding's span, red when it blocks approval (formatting only, no markup)."""
        if text != self.editor.toPlainText():
            return
        selections = []
        for finding in findings:
            if not 0 <= finding.start < finding.end <= len(text):
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            selection.format.setUnderlineColor(
                tone("danger" if finding.severity.value == "block" else "warning", self.palette())
            )
            selection.format.setToolTip(finding.message)
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(qt_position(text, finding.start))
            cursor.setPosition(qt_position(text, finding.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    def _jump_to_finding(self, item: QListWidgetItem) -> None:
        """Enter on a finding selects its words in the draft."""
        row = self.findings.row(item)
        text = self.editor.toPlainText()
        if 0 <= row < len(self.shown_findings) and text == self._findings_text:
            finding = self.shown_findings[row]
            cursor = self.editor.textCursor()
            cursor.setPosition(qt_position(text, finding.start))
            cursor.setPosition(qt_position(text, finding.end), QTextCursor.MoveMode.KeepAnchor)
            self.editor.setTextCursor(cursor)
            self.editor.setFocus()

    def apply_current_suggestion(self) -> None:
        """Ctrl+.: apply the finding selected in the panel, or else the one under the text cursor."""
        row = self.findings.currentRow() if self.findings.hasFocus() else -1
        if row < 0:
            text = self.editor.toPlainText()
            position = self.editor.textCursor().position()
            row = next(
                (
                    i
                    for i, f in enumerate(self.shown_findings)
                    if self._fixes[i] is not None and qt_position(text, f.start) <= position <= qt_position(text, f.end)
                ),
                -1,
            )
        if row >= 0:
            self.apply_finding(row)

    def apply_finding(self, row: int) -> None:
        """Replace a finding's words with its suggestion: one undo step, kept as a revision like any edit."""
        text = self.editor.toPlainText()
        if self.editor.isReadOnly() or self.streaming or not 0 <= row < len(self._fixes):
            return
        fix = self._fixes[row]
        if fix is None:
            return
        if text != self._findings_text:
            self._check_timer.start()  # the text moved on since these findings: check it again first
            return
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.setPosition(qt_position(text, fix.start))
        cursor.setPosition(qt_position(text, fix.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(fix.text)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    # -- generating ----------------------------------------------------------------

    def _provider(self) -> Provider:
        from drafting.providers.choice import choose_provider

        return choose_provider()

    def start_draft(self) -> None:
        if self.db is None or self.item_id is None or self.streaming:
            return
        self.save_now()  # what the person typed is kept before the model's text replaces it
        self._begin_stream()
        db, item_id, user, cancel = self.db, self.item_id, self.user or None, self._cancel
        provider = self._provider()
        self.writer_label.setText(self._writer(provider))
        on_chunk = self._relay.chunk.emit

        def job() -> Outcome:
            from drafting.drafts import generate_draft

            return generate_draft(db, item_id=item_id, provider=provider, author=user, on_chunk=on_chunk, cancel=cancel)

        self._run_stream(job)

    def start_rewrite(self, operation: str) -> None:
        if self.db is None or self.draft_id is None or self.streaming:
            return
        self.save_now()
        self._begin_stream()
        db, draft_id, cancel = self.db, self.draft_id, self._cancel
        provider = self._provider()
        self.writer_label.setText(self._writer(provider))
        on_chunk = self._relay.chunk.emit

        def job() -> Outcome:
            from drafting.drafts import rewrite_draft

            return rewrite_draft(
                db,
                draft_id=draft_id,
                operation=operation,  # type: ignore[arg-type]  # one of REWRITE_OPS
                provider=provider,
                on_chunk=on_chunk,
                cancel=cancel,
            )

        self._run_stream(job)

    def _begin_stream(self) -> None:
        from drafting.providers.base import CancelToken  # the standard library only

        self._save_timer.stop()
        self._cancel = CancelToken()
        self._loading = True
        self._before_stream = self.editor.toPlainText()
        self.editor.clear()
        self.editor.setReadOnly(True)
        self.draft_button.setEnabled(False)
        self.rewrite_button.setEnabled(False)
        self.stop_button.setEnabled(True)

    def _writer(self, provider: Provider) -> str:
        if provider.name == "offline":
            return self.tr("offline composer (no AI)")  # the composer's own label, in the interface's language
        return str(getattr(provider, "label", provider.name))

    def _run_stream(self, job: Callable[[], Outcome]) -> None:
        self.background.run(job, on_done=self._stream_done, on_error=self._stream_failed)

    def _append_chunk(self, text: str) -> None:
        cursor = self.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(text)
        self.editor.setTextCursor(cursor)

    def _end_stream(self) -> None:
        self._cancel = None
        self._loading = False
        self.editor.setReadOnly(False)
        self.draft_button.setEnabled(True)
        self.rewrite_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _stream_done(self, outcome: Outcome) -> None:
        self._end_stream()
        self.draft_id = outcome.draft_id
        self._loading = True
        self.editor.setPlainText(outcome.text)
        self._loading = False
        self._saved_text = self.editor.toPlainText()
        if outcome.partial:
            self.writer_label.setText(self.writer_label.text() + " · " + self.tr("stopped: partial text kept"))
        self._refresh_meta()
        if outcome.content_hash:
            self.saved.emit(outcome.content_hash)

    def _stream_failed(self, error: BaseException) -> None:
        self._end_stream()
        if not self.editor.toPlainText():
            # Nothing was written (an escalated item refused, an endpoint down): the text from before comes back.
            self._loading = True
            self.editor.setPlainText(self._before_stream)
            self._loading = False
        self._saved_text = self.editor.toPlainText()  # the partial text is already kept as a revision
        self.writer_label.setText(
            self.tr("Could not write: {error}").format(
                error=str(error).splitlines()[0] if str(error) else type(error).__name__
            )
        )
        self._refresh_meta()

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()

    # -- saving a person's edits -----------------------------------------------------

    def _on_text_changed(self) -> None:
        if self._loading:
            return
        self._refresh_meta()
        self._save_timer.start()
        # The shown findings' positions are for the text before this edit: Apply waits for the next check.
        for row in self._finding_rows:
            if row.apply_button is not None:
                row.apply_button.setEnabled(False)

    def _take_unsaved(self) -> _Unsaved | None:
        """The edit still to keep, marked as taken; None when there is nothing new."""
        self._save_timer.stop()
        text = self.editor.toPlainText()
        if self.db is None or self.item_id is None or self.streaming or not self.user:
            return None
        if not text.strip() or text == self._saved_text:
            return None
        self._saved_text = text
        return _Unsaved(self.db, self.item_id, self.draft_id, self.user, text)

    def save_now(self) -> None:
        """Keep the current text as a revision if it changed (runs in the background)."""
        pending = self._take_unsaved()
        if pending is None:
            return
        self.background.run(pending.keep, on_done=self._revision_saved, on_error=self._save_failed)

    def shut_down(self) -> None:
        """The window is closing: stop timers, keep the last edit, ignore results that arrive later."""
        self.stop()
        self._check_timer.stop()
        self.save_blocking()
        self._closed = True

    def save_blocking(self) -> None:
        """On close: keep the last edit before the window goes away."""
        pending = self._take_unsaved()
        if pending is not None:
            self._revision_saved(pending.keep())

    def _revision_saved(self, outcome: tuple[int, Outcome]) -> None:
        item_id, kept = outcome
        if item_id == self.item_id and self.draft_id is None:
            # The person's own words started this draft (an escalated item, or no AI draft wanted).
            self.draft_id = kept.draft_id
            self.writer_label.setText(self.tr("written by {user}").format(user=self.user))
        if kept.content_hash:
            self.saved.emit(kept.content_hash)

    def _save_failed(self, error: BaseException) -> None:
        self._saved_text = ""  # try again on the next change
        self.writer_label.setText(
            self.tr("Not saved: {error}").format(
                error=str(error).splitlines()[0] if str(error) else type(error).__name__
            )
        )


def _check(
    text: str, channel: str, language: str, context: DraftContext | None, max_chars: int | None
) -> tuple[list[Finding], list[Suggestion]]:
    """The checks' findings and the empathy suggestions for a text; runs on a worker thread, which imports them."""
    from drafting.checks import CheckInput, check_draft
    from drafting.empathy import suggest

    draft = CheckInput(body=text, channel=channel, language=language, context=context, max_chars=max_chars)
    return check_draft(draft), suggest(text, context) if context is not None else []
