"""The voice guide editor: tone, words to use and avoid, signatures and example replies, per language.

Everything is read and written in workers (`drafting.voice`). Example replies
are customer and team text: plain-text editors only. Closing (or switching
language) with unsaved changes asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.inbox import channel_name
from desktop.widgets import choice_box
from desktop.windows import open_with_database
from drafting.voice import (
    EXAMPLE_CHANNELS,
    MAX_COMMENT_LIMIT,
    MIN_COMMENT_LIMIT,
    Example,
    Guide,
    add_example,
    list_examples,
    load_guide,
    parse_words,
    promote_reply,
    remove_example,
    save_guide,
)
from storage.database import Database

__all__ = ["AddExampleDialog", "Promotion", "VoiceGuideDialog", "open_voice_guide", "promote_to_example"]

LANGUAGES = ("es", "en")
SNIPPET_CHARS = 80


def _first_line(error: BaseException) -> str:
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


@dataclass(frozen=True)
class _Loaded:
    guide: Guide
    examples: list[Example]


def _load(db: Database, language: str) -> _Loaded:
    with db.session() as session:
        return _Loaded(load_guide(session, language=language), list_examples(session, language=language))


def _editor(name: str, *, lines: int) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setAccessibleName(name)
    editor.setTabChangesFocus(True)
    editor.setMaximumHeight(24 + 18 * lines)
    return editor


class AddExampleDialog(QDialog):
    """A new example: its channel, the message it answers, and the reply."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an example reply"))
        self.setAccessibleName(self.tr("Add an example reply"))
        self.channel = choice_box(self.tr("Channel"), EXAMPLE_CHANNELS, channel_name)
        self.incoming = _editor(self.tr("Message answered"), lines=4)
        self.reply = _editor(self.tr("Reply"), lines=6)
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Channel:"), self.channel),
            (self.tr("&Message answered:"), self.incoming),
            (self.tr("&Reply:"), self.reply),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Add"))
        ok.setAccessibleName(self.tr("Add the example"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 380)


class VoiceGuideDialog(QDialog):
    """Edit one language's voice guide at a time; Save is Ctrl+S."""

    loaded = Signal()
    saved = Signal()
    examples_changed = Signal()

    def __init__(self, background: Background, db: Database, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.db = db
        self.user = user
        self.guide: Guide | None = None
        self.examples: list[Example] = []
        self.dirty = False
        self._filling = False
        self._busy = False
        self._language = LANGUAGES[0]
        self._after_save: Callable[[], None] | None = None
        self.setWindowTitle(self.tr("Voice guide"))
        self.setAccessibleName(self.tr("Voice guide"))
        self.resize(980, 720)

        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language"))
        self.language.addItem(self.tr("Spanish"), "es")
        self.language.addItem(self.tr("English"), "en")
        self.language.activated.connect(self._language_chosen)
        language_label = QLabel(self.tr("&Language:"))
        language_label.setBuddy(self.language)

        self.tone = _editor(self.tr("Tone rules"), lines=6)
        self.words_use = _editor(self.tr("Words to use, one per line"), lines=5)
        self.words_avoid = _editor(self.tr("Words to avoid, one per line"), lines=5)
        self.words_avoid.setToolTip(self.tr("Drafts that use these are flagged as robotic."))
        self.signature_email = _editor(self.tr("Email signature"), lines=3)
        self.signature_comment = _editor(self.tr("Comment signature"), lines=2)
        self.signature_comment.setToolTip(
            self.tr("Public comments go out from the brand's account unsigned; DMs use this when they have none.")
        )
        self.signature_dm = _editor(self.tr("Direct message signature"), lines=2)
        self.comment_limit = QSpinBox()
        self.comment_limit.setAccessibleName(self.tr("Comment length limit"))
        self.comment_limit.setRange(MIN_COMMENT_LIMIT, MAX_COMMENT_LIMIT)
        self.comment_limit.setSuffix(self.tr(" characters"))
        for editor in (
            self.tone,
            self.words_use,
            self.words_avoid,
            self.signature_email,
            self.signature_comment,
            self.signature_dm,
        ):
            editor.textChanged.connect(self._changed)
        self.comment_limit.valueChanged.connect(self._changed)

        form = QFormLayout()
        for text, widget in (
            (self.tr("&Tone:"), self.tone),
            (self.tr("Words to &use:"), self.words_use),
            (self.tr("Words to a&void:"), self.words_avoid),
            (self.tr("&Email signature:"), self.signature_email),
            (self.tr("C&omment signature:"), self.signature_comment),
            (self.tr("&DM signature:"), self.signature_dm),
            (self.tr("Comment le&ngth limit:"), self.comment_limit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        guide_box = QWidget()
        guide_box.setLayout(form)

        self.example_list = QListWidget()
        self.example_list.setAccessibleName(self.tr("Example replies"))
        self.example_list.currentRowChanged.connect(self._show_example)
        self.example_view = QPlainTextEdit()
        self.example_view.setReadOnly(True)
        self.example_view.setAccessibleName(self.tr("Selected example"))
        self.add_button = QPushButton(self.tr("&Add example…"))
        self.add_button.setAccessibleName(self.tr("Add an example reply"))
        self.add_button.setShortcut(QKeySequence("Ctrl+N"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_example)
        self.remove_button = QPushButton(self.tr("&Remove example"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected example"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.example_list, activated=self.remove_selected)
        example_buttons = QHBoxLayout()
        example_buttons.addWidget(self.add_button)
        example_buttons.addWidget(self.remove_button)
        example_buttons.addStretch(1)
        examples_box = QGroupBox(self.tr("Example replies"))
        examples_layout = QVBoxLayout(examples_box)
        examples_layout.addWidget(self.example_list, 1)
        examples_layout.addWidget(self.example_view, 1)
        examples_layout.addLayout(example_buttons)

        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Status"))
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save the voice guide"))
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close the voice guide"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)

        top = QHBoxLayout()
        top.addWidget(language_label)
        top.addWidget(self.language)
        top.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(guide_box)
        splitter.addWidget(examples_box)
        splitter.setSizes([560, 420])
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._set_enabled(False)
        self.reload()

    # -- loading -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the chosen language's guide and examples again (unsaved edits are dropped)."""
        self._busy = True
        self.status.setText(self.tr("Loading…"))
        language = self._language
        self.background.run(_load, self.db, language, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, loaded: _Loaded) -> None:
        self._busy = False
        if loaded.guide.language != self._language:
            return  # the language was switched again meanwhile
        self.guide = loaded.guide
        self._filling = True
        try:
            self._fill(loaded.guide)
        finally:
            self._filling = False
        self._set_dirty(False)
        self._show_examples(loaded.examples)
        self._set_enabled(True)
        self.status.setText(
            self.tr("No guide for this language yet: write one and save it.") if loaded.guide.updated_at is None else ""
        )
        self.loaded.emit()

    def _fill(self, guide: Guide) -> None:
        self.tone.setPlainText(guide.tone)
        self.words_use.setPlainText("\n".join(guide.words_use))
        self.words_avoid.setPlainText("\n".join(guide.words_avoid))
        self.signature_email.setPlainText(guide.signature_email)
        self.signature_comment.setPlainText(guide.signature_comment)
        self.signature_dm.setPlainText(guide.signature_dm)
        self.comment_limit.setValue(guide.comment_limit)

    def _show_examples(self, examples: list[Example]) -> None:
        self.examples = examples
        current = self.example_list.currentRow()
        self.example_list.clear()
        for example in examples:
            text = " ".join(example.reply.split())
            short = text[:SNIPPET_CHARS] + "…" if len(text) > SNIPPET_CHARS else text
            item = QListWidgetItem(f"[{channel_name(example.channel)}] {short}")
            item.setData(Qt.ItemDataRole.UserRole, example.id)
            self.example_list.addItem(item)
        if examples:
            self.example_list.setCurrentRow(min(max(current, 0), len(examples) - 1))
        self.remove_button.setEnabled(bool(examples))

    def _show_example(self, row: int) -> None:
        if 0 <= row < len(self.examples):
            example = self.examples[row]
            answered = example.incoming or self.tr("(no message: a new message)")
            self.example_view.setPlainText(
                self.tr("Message:\n{incoming}\n\nReply:\n{reply}").format(incoming=answered, reply=example.reply)
            )
        else:
            self.example_view.clear()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._after_save = None  # a refused save does not go on to close or switch
        self._set_enabled(self.guide is not None)
        self.status.setText(self.tr("Could not do that: {reason}").format(reason=_first_line(error)))

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.save_button, self.add_button, self.language):
            widget.setEnabled(enabled)

    # -- editing -----------------------------------------------------------------------------------

    def _changed(self) -> None:
        if not self._filling:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        title = self.tr("Voice guide")
        self.setWindowTitle(f"{title} *" if dirty else title)

    def edited_guide(self) -> Guide:
        """The guide as the editors show it now."""
        return Guide(
            language=self._language,
            tone=self.tone.toPlainText(),
            words_use=parse_words(self.words_use.toPlainText()),
            words_avoid=parse_words(self.words_avoid.toPlainText()),
            signature_email=self.signature_email.toPlainText(),
            signature_comment=self.signature_comment.toPlainText(),
            signature_dm=self.signature_dm.toPlainText(),
            comment_limit=self.comment_limit.value(),
        )

    def save(self) -> None:
        """Ctrl+S: validate and keep the guide (in a worker); a refusal keeps every edit on screen."""
        if self._busy or self.guide is None:
            return
        self._busy = True
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        guide = self.edited_guide()
        self.background.run(
            lambda: save_guide(self.db, guide=guide, actor=self.user), on_done=self._saved, on_error=self._failed
        )

    def _saved(self, guide: Guide) -> None:
        self._busy = False
        self.guide = guide
        self._set_dirty(False)
        self._set_enabled(True)
        self.status.setText(self.tr("Saved. New drafts and checks use it now."))
        self.saved.emit()
        after, self._after_save = self._after_save, None
        if after is not None:
            after()

    # -- languages and closing ------------------------------------------------------------------------

    def _confirm_then(self, go: Callable[[], None]) -> bool:
        """With unsaved edits, ask first: Save (then `go` once saved), Discard (then `go`), or Cancel (False)."""
        if not self.dirty:
            go()
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The voice guide has changes that are not saved. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self._after_save = go
            self.save()
            return True
        if answer == QMessageBox.StandardButton.Discard:
            self._set_dirty(False)
            go()
            return True
        return False

    def _language_chosen(self, index: int) -> None:
        wanted = str(self.language.itemData(index))
        if wanted == self._language:
            return

        def switch() -> None:
            self._language = wanted
            self.language.setCurrentIndex(self.language.findData(wanted))
            self._set_enabled(False)
            self.reload()

        # Until the switch happens (now, or once saved), the picker shows the language being edited.
        self.language.setCurrentIndex(self.language.findData(self._language))
        self._confirm_then(switch)

    def reject(self) -> None:
        self._confirm_then(super().reject)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty:
            event.ignore()
            # Closing again from inside this close event would be ignored: close once the event is over.
            self._confirm_then(lambda: QTimer.singleShot(0, self.close))
            return
        self.background.quit_all()
        event.accept()

    # -- examples ------------------------------------------------------------------------------------

    def add_example(self) -> None:
        """Ctrl+N: write a new example reply for this language."""
        dialog = AddExampleDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        language, channel = self._language, str(dialog.channel.currentData())
        incoming, reply = dialog.incoming.toPlainText(), dialog.reply.toPlainText()
        self.status.setText(self.tr("Adding the example…"))
        self.background.run(
            lambda: (
                add_example(
                    self.db, language=language, channel=channel, incoming=incoming, reply=reply, actor=self.user
                ),
                _load(self.db, language),
            ),
            on_done=lambda result: self._examples_done(result[1], self.tr("Example added.")),
            on_error=self._failed,
        )

    def remove_selected(self) -> None:
        """Delete: remove the selected example (the audit log keeps what it said)."""
        row = self.example_list.currentRow()
        if not 0 <= row < len(self.examples):
            return
        example = self.examples[row]
        language = self._language
        self.status.setText(self.tr("Removing the example…"))
        self.background.run(
            lambda: (remove_example(self.db, example_id=example.id, actor=self.user), _load(self.db, language)),
            on_done=lambda result: self._examples_done(result[1], self.tr("Example removed.")),
            on_error=self._failed,
        )

    def _examples_done(self, loaded: _Loaded, message: str) -> None:
        if loaded.guide.language == self._language:
            self._show_examples(loaded.examples)
        self.status.setText(message)
        self.examples_changed.emit()


# -- what the main window calls ------------------------------------------------------------------------------


def open_voice_guide(parent: QWidget | None, *, database_url: str | None, user: str) -> VoiceGuideDialog:
    """Team → Voice guide…: the editor (window-modal); it asks before dropping unsaved changes."""
    return open_with_database(
        database_url, lambda background, db: VoiceGuideDialog(background, db, user, parent), modal=True
    )


class Promotion(QObject):
    """One "Use as voice example" action: it says how it went, then deletes itself."""

    promoted = Signal(int)
    """The new example's id."""
    refused = Signal(str)
    """Why not, in one line."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.background = Background(self)
        self.message: QMessageBox | None = None

    def _finish(self, example: Example | None, reason: str, parent: QWidget | None) -> None:
        if example is not None:
            text = self.tr("The reply is now a {language} voice example ({channel}).").format(
                language=example.language, channel=example.channel
            )
            icon = QMessageBox.Icon.Information
        else:
            text = self.tr("Not added as a voice example: {reason}").format(reason=reason)
            icon = QMessageBox.Icon.Warning
        self.message = QMessageBox(icon, self.tr("Use as voice example"), text, QMessageBox.StandardButton.Ok, parent)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message.open()
        if example is not None:
            self.promoted.emit(example.id)
        else:
            self.refused.emit(reason)
        self.db.dispose()


def promote_to_example(parent: QWidget | None, *, database_url: str | None, user: str, draft_id: int) -> Promotion:
    """Reply → Use as voice example: copy the draft's approved reply into its language's guide, then say so."""
    promotion = Promotion(Database(database_url), parent)
    promotion.background.run(
        lambda: promote_reply(promotion.db, draft_id=draft_id, actor=user),
        on_done=lambda example: promotion._finish(example, "", parent),
        on_error=lambda error: promotion._finish(None, _first_line(error), parent),
    )
    return promotion
