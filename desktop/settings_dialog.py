"""Settings: the AI endpoint and its key, the database, who you are, language and theme.

Everything slow (listing models, testing the endpoint or a database, the keyring,
loading users) runs through `Background`; the dialog only shows results. Saving is
all or nothing: every changed setting is validated by `storage.config` on a staged
copy of the config file, the key goes to the keyring, and only then does the staged
file replace the real one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from drafting.providers.base import ProviderError
from drafting.secrets import SecretStore, Where, keyring_status
from storage import config
from storage.database import Database, DatabaseError
from storage.location import normalize_url

MODEL_FETCH_DELAY_MS = 500
DATABASE_KEY = "database.url"
# The dialog asks quickly and once: a person is waiting for the answer.
PROBE_TIMEOUT_S = 10.0

_session_secrets = SecretStore()


def session_secrets() -> SecretStore:
    """The store this process shares, so a key kept in memory (no keyring) outlives the dialog."""
    return _session_secrets


# -- work done in the background --------------------------------------------------------------------


@dataclass(frozen=True)
class ModelListing:
    url: str
    names: list[str]
    error: str


@dataclass(frozen=True)
class Verdict:
    ok: bool
    text: str


@dataclass(frozen=True)
class KeyState:
    keyring_available: bool
    stored: bool


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    signature: str


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def fetch_models(url: str, key: str | None, secrets: SecretStore) -> ModelListing:
    """The endpoint's models, or the provider's one-line reason why not."""
    from drafting.providers.openai_compat import OpenAIProvider

    provider = OpenAIProvider(url, "", api_key=key, timeout=PROBE_TIMEOUT_S, max_retries=0, secrets=secrets)
    try:
        return ModelListing(url, provider.list_models(), "")
    except ProviderError as exc:
        return ModelListing(url, [], _one_line(exc))
    finally:
        provider.close()


def check_endpoint(url: str, model: str, key: str | None, secrets: SecretStore) -> Verdict:
    from drafting.providers.openai_compat import OpenAIProvider

    provider = OpenAIProvider(url, model, api_key=key, timeout=PROBE_TIMEOUT_S, max_retries=0, secrets=secrets)
    try:
        return Verdict(True, provider.check())
    except ProviderError as exc:
        return Verdict(False, _one_line(exc))
    finally:
        provider.close()


def key_state(secrets: SecretStore) -> KeyState:
    return KeyState(keyring_status().available, secrets.get("ai.api_key") is not None)


def store_key(secrets: SecretStore, value: str) -> Where:
    return secrets.set("ai.api_key", value, allow_memory=True)


def database_url_from(text: str) -> str:
    """A database URL from what a person typed: a URL as is, a file path as a SQLite URL."""
    text = text.strip()
    if "://" in text:
        return normalize_url(text)
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    return make_url(url).password


def probe_database(url: str) -> Verdict:
    """Open the database, run SELECT 1 and report its schema revision, or the one-line reason it failed."""
    import sqlalchemy as sa

    try:
        shown = _hide_password(url)
        secret = _password(url)
    except (sa.exc.ArgumentError, ValueError) as exc:
        return Verdict(False, f"{url!r} is not a database URL ({_one_line(exc)})")
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            # Opening would create an empty file; a test should leave no trace.
            return Verdict(False, f"There is no database file at {path} yet: Latido creates it when it opens it")
    try:
        db = Database(url)
    except (DatabaseError, sa.exc.ArgumentError, ValueError, OSError) as exc:
        return Verdict(False, _redact(_one_line(exc), secret))
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1").scalar_one()
        current, head = db.current_revision(), db.head_revision()
    except sa.exc.DBAPIError as exc:
        reason = _one_line(exc.orig) if exc.orig is not None else _one_line(exc)
        return Verdict(False, _redact(f"Cannot open the database at {shown}: {reason}", secret))
    except sa.exc.SQLAlchemyError as exc:
        return Verdict(False, _redact(f"Cannot open the database at {shown}: {_one_line(exc)}", secret))
    finally:
        db.dispose()
    if current is None:
        return Verdict(True, f"Connected to {shown}: an empty database (Latido creates its tables when it opens it)")
    if current == head:
        return Verdict(True, f"Connected to {shown}: schema at revision {current} (the newest)")
    return Verdict(True, f"Connected to {shown}: schema at revision {current}; Latido upgrades it to {head} on start")


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def load_users(db: Database) -> list[UserRow]:
    from sqlmodel import select

    from storage.models import User

    with db.session() as session:
        users = session.exec(select(User).order_by(User.name)).all()
        return [UserRow(u.name, u.role, u.signature) for u in users]


# -- staging the config file ------------------------------------------------------------------------


class _Staged:
    """A copy of the config file with every change applied (and so validated); nothing real changes yet."""

    def __init__(self, changes: dict[str, tuple[str, str]]) -> None:
        self.target = config.config_path()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._folder = Path(tempfile.mkdtemp(dir=self.target.parent, prefix=".settings-"))
        self.path = self._folder / self.target.name
        try:
            if self.target.exists():
                shutil.copyfile(self.target, self.path)
            for key, (label, value) in changes.items():
                try:
                    config.set_value(key, value, path=self.path)
                except config.ConfigError as exc:
                    raise config.ConfigError(f"{label}: {exc}") from exc
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        # Same folder, so the replacement is atomic: the old file or the new one, never a mix.
        try:
            os.replace(self.path, self.target)
        finally:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


# -- the dialog ---------------------------------------------------------------------------------------


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _message() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote servers and databases: never rich text
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SettingsDialog(QDialog):
    """AI endpoint and key, database, profile and appearance; Save writes all of it or none of it."""

    def __init__(
        self,
        background: Background,
        db: Database | None = None,
        parent: QWidget | None = None,
        *,
        secrets: SecretStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.background = background
        self.db = db
        self.secrets = secrets or session_secrets()
        self._closed = False
        self._saving = False
        self._fetching: str | None = None
        self._listed: str | None = None
        self._testing = False
        self._staged: _Staged | None = None
        self._users: dict[str, UserRow] = {}
        self.key_state: KeyState | None = None

        self.error_label = _message()
        self.error_label.setAccessibleName(self.tr("Problem"))
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        try:
            self._initial = config.all_values()
        except config.ConfigError as exc:
            self._initial = {name: spec.default for name, spec in config.KEYS.items()}
            self._show_error(str(exc))

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self._ai_page(), self.tr("&AI"))
        self.tabs.addTab(self._database_page(), self.tr("&Database"))
        self.tabs.addTab(self._profile_page(), self.tr("&Profile"))
        self.tabs.addTab(self._appearance_page(), self.tr("Appeara&nce"))

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName(self.tr("Save settings"))
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(self.tr("&Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName(self.tr("Discard changes"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(620, 460)

        self._model_timer = QTimer(self)
        self._model_timer.setSingleShot(True)
        self._model_timer.setInterval(MODEL_FETCH_DELAY_MS)
        self._model_timer.timeout.connect(self.fetch_models)
        self.base_url.textChanged.connect(self._url_edited)

        self.background.run(key_state, self.secrets, on_done=self._key_state_known, on_error=self._key_failed)
        if self.db is not None:
            self.background.run(load_users, self.db, on_done=self._users_loaded, on_error=self._users_failed)
        if self.base_url.text():
            self.fetch_models()

    # -- building the pages --

    def _ai_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)

        self.base_url = QLineEdit(self._initial["ai.base_url"])
        self.base_url.setAccessibleName(self.tr("AI endpoint base URL"))
        self.base_url.setPlaceholderText(self.tr("e.g. http://127.0.0.1:11434/v1 (empty: the offline composer)"))
        self.base_url.setClearButtonEnabled(True)
        form.addRow(_label(self.tr("Base &URL:"), self.base_url), self.base_url)

        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setAccessibleName(self.tr("Model"))
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.setCurrentText(self._initial["ai.model"])
        self.model_busy = QProgressBar()
        self.model_busy.setRange(0, 0)  # a spinner: busy, with no known end
        self.model_busy.setMaximumWidth(60)
        self.model_busy.setTextVisible(False)
        self.model_busy.setAccessibleName(self.tr("Fetching models"))
        self.model_busy.hide()
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.model_busy)
        form.addRow(_label(self.tr("&Model:"), self.model), model_row)
        self.model_status = _message()
        self.model_status.setAccessibleName(self.tr("Model list status"))
        form.addRow("", self.model_status)

        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.setAccessibleName(self.tr("Test the connection to the AI endpoint"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = _message()
        self.test_result.setAccessibleName(self.tr("Connection test result"))
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        form.addRow("", test_row)

        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName(self.tr("API key"))
        self.api_key.setPlaceholderText(self.tr("type a new key to replace the stored one"))
        form.addRow(_label(self.tr("API &key:"), self.api_key), self.api_key)
        self.key_status = _message()
        self.key_status.setAccessibleName(self.tr("API key status"))
        self.key_status.setText(self.tr("Checking the keyring…"))
        form.addRow("", self.key_status)
        return page

    def _database_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.current_database = _message()
        self.current_database.setAccessibleName(self.tr("Database in use"))
        self.current_database.setText(self.db.display_url if self.db is not None else self.tr("not open yet"))
        form.addRow(self.tr("In use:"), self.current_database)

        self.database_url = QLineEdit(self._initial.get(DATABASE_KEY, ""))
        self.database_url.setAccessibleName(self.tr("Database location"))
        self.database_url.setPlaceholderText(self.tr("postgresql://user@host/latido, or a SQLite file path"))
        self.database_test = QPushButton(self.tr("T&est database"))
        self.database_test.setAccessibleName(self.tr("Test the database connection"))
        self.database_test.clicked.connect(self.test_database)
        row = QHBoxLayout()
        row.addWidget(self.database_url, 1)
        row.addWidget(self.database_test)
        form.addRow(_label(self.tr("Database &location:"), self.database_url), row)
        self.database_result = _message()
        self.database_result.setAccessibleName(self.tr("Database test result"))
        form.addRow("", self.database_result)

        note = _message()
        if DATABASE_KEY in config.KEYS:
            text = self.tr(
                "Used the next time Latido starts. A password never goes into the settings file: "
                "PostgreSQL reads it from ~/.pgpass."
            )
        else:
            text = self.tr(
                "Latido opens the database given by --database-url or LATIDO_DATABASE_URL; "
                "here you can test a location before using it."
            )
        if os.environ.get("LATIDO_DATABASE_URL"):
            text += " " + self.tr("LATIDO_DATABASE_URL is set, and it takes precedence.")
        note.setText(text)
        form.addRow("", note)
        return page

    def _profile_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.user = QComboBox()
        self.user.setAccessibleName(self.tr("Who you are"))
        self.user.addItem(self.tr("The first agent (default)"), "")
        current = self._initial["user.name"]
        if current:
            self.user.addItem(current, current)
            self.user.setCurrentIndex(1)
        self.user.currentIndexChanged.connect(self._user_changed)
        form.addRow(_label(self.tr("&Who you are:"), self.user), self.user)
        self.users_status = _message()
        self.users_status.setAccessibleName(self.tr("Users status"))
        if self.db is not None:
            self.users_status.setText(self.tr("Loading users…"))
        form.addRow("", self.users_status)
        self.signature = QPlainTextEdit()
        self.signature.setReadOnly(True)
        self.signature.setAccessibleName(self.tr("Signature"))
        self.signature.setMaximumHeight(90)
        form.addRow(_label(self.tr("Si&gnature:"), self.signature), self.signature)
        return page

    def _appearance_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Interface language"))
        for text, value in ((self.tr("Follow the system"), ""), ("English", "en"), ("Español", "es")):
            self.language.addItem(text, value)
        self.language.setCurrentIndex(max(0, self.language.findData(self._initial["ui.lang"])))
        form.addRow(_label(self.tr("&Interface language:"), self.language), self.language)
        self.theme = QComboBox()
        self.theme.setAccessibleName(self.tr("Theme"))
        for text, value in ((self.tr("System"), "system"), (self.tr("Light"), "light"), (self.tr("Dark"), "dark")):
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self._initial["ui.theme"])))
        form.addRow(_label(self.tr("T&heme:"), self.theme), self.theme)
        note = _message()
        note.setText(self.tr("The theme changes when you save; the language, the next time Latido starts."))
        form.addRow("", note)
        return page

    # -- AI endpoint --

    def _url_edited(self, _text: str) -> None:
        self._testing = False  # a verdict still on its way is about the old URL
        self.test_result.clear()
        self._model_timer.start()

    def _typed_key(self) -> str | None:
        return self.api_key.text() or None

    def fetch_models(self) -> None:
        """List the endpoint's models in the background (after typing pauses, or when the dialog opens)."""
        if self._closed:
            return
        url = self.base_url.text().strip()
        if not url:
            self.model_status.setText(self.tr("No endpoint: drafts come from the offline composer."))
            self._fetching = self._listed = None
            self.model_busy.hide()
            return
        try:
            url = config.KEYS["ai.base_url"].check(url)
        except config.ConfigError as exc:
            self.model_status.setText(str(exc))
            self._fetching = self._listed = None
            self.model_busy.hide()
            return
        if url == self._fetching or (self._fetching is None and url == self._listed):
            return  # already asked, or already shown
        self._fetching = url
        self.model_busy.show()
        self.model_status.setText(self.tr("Fetching the models at {url}…").format(url=url))
        self.background.run(
            fetch_models,
            url,
            self._typed_key(),
            self.secrets,
            on_done=self._models_listed,
            on_error=self._models_failed,
        )

    def _models_listed(self, listing: ModelListing) -> None:
        if self._closed or listing.url != self._fetching:
            return  # an answer for a URL the person has since changed
        self._fetching = None
        self.model_busy.hide()
        if listing.error:
            self._listed = None
            self.model_status.setText(listing.error)
            return
        self._listed = listing.url
        chosen = self.model.currentText()
        self.model.clear()
        self.model.addItems(listing.names)
        self.model.setCurrentText(chosen or (listing.names[0] if listing.names else ""))
        self.model_status.setText(self.tr("{count} models available").format(count=len(listing.names)))

    def _models_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self._fetching = None
        self.model_busy.hide()
        self.model_status.setText(_one_line(error))

    def test_connection(self) -> None:
        url = self.base_url.text().strip()
        try:
            url = config.KEYS["ai.base_url"].check(url) if url else ""
        except config.ConfigError as exc:
            self.test_result.setText(str(exc))
            return
        if not url:
            self.test_result.setText(self.tr("No endpoint to test: enter its base URL."))
            return
        self.test_button.setEnabled(False)
        self._testing = True
        self.test_result.setText(self.tr("Testing…"))
        self.background.run(
            check_endpoint,
            url,
            self.model.currentText().strip(),
            self._typed_key(),
            self.secrets,
            on_done=self._tested,
            on_error=self._test_failed,
        )

    def _tested(self, verdict: Verdict) -> None:
        if self._closed:
            return
        self.test_button.setEnabled(True)
        if self._testing:
            self.test_result.setText(verdict.text)
        self._testing = False

    def _test_failed(self, error: BaseException) -> None:
        self._tested(Verdict(False, _one_line(error)))

    # -- the key --

    def _key_state_known(self, state: KeyState) -> None:
        if self._closed:
            return
        self.key_state = state
        self._show_key_state(stored=state.stored, where=None if state.keyring_available else Where.MEMORY)

    def _show_key_state(self, *, stored: bool, where: Where | None) -> None:
        if where is Where.MEMORY:
            text = self.tr("No keyring available: the key is kept in memory for this session only")
            if stored:
                text += self.tr(" (a key is kept for this session; it is never written to disk).")
            else:
                text += self.tr(" (no key yet; it is never written to disk).")
        else:
            text = self.tr("A key is stored in the keyring.") if stored else self.tr("No key is stored.")
        self.key_status.setText(text)

    def _key_failed(self, error: BaseException) -> None:
        if not self._closed:
            self.key_status.setText(self.tr("The keyring could not be read: {error}").format(error=_one_line(error)))

    # -- database --

    def test_database(self) -> None:
        text = self.database_url.text().strip()
        if not text:
            self.database_result.setText(self.tr("Enter a PostgreSQL URL or a SQLite file path to test."))
            return
        self.database_test.setEnabled(False)
        self.database_result.setText(self.tr("Testing…"))
        self.background.run(
            probe_database, database_url_from(text), on_done=self._database_tested, on_error=self._database_failed
        )

    def _database_tested(self, verdict: Verdict) -> None:
        if self._closed:
            return
        self.database_test.setEnabled(True)
        self.database_result.setText(verdict.text)

    def _database_failed(self, error: BaseException) -> None:
        self._database_tested(Verdict(False, _one_line(error)))

    # -- profile --

    def _users_loaded(self, users: list[UserRow]) -> None:
        if self._closed:
            return
        self._users = {u.name: u for u in users}
        chosen = self.user.currentData() or ""
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem(self.tr("The first agent (default)"), "")
        for row in users:
            self.user.addItem(self.tr("{name} ({role})").format(name=row.name, role=row.role), row.name)
        if chosen and chosen not in self._users:
            self.user.addItem(self.tr("{name} (not in this database)").format(name=chosen), chosen)
        self.user.setCurrentIndex(max(0, self.user.findData(chosen)))
        self.user.blockSignals(False)
        self.users_status.setText(self.tr("{count} users in this database").format(count=len(users)))
        self._user_changed()

    def _users_failed(self, error: BaseException) -> None:
        if not self._closed:
            self.users_status.setText(self.tr("Users could not be loaded: {error}").format(error=_one_line(error)))

    def _user_changed(self, _index: int = 0) -> None:
        row = self._users.get(self.user.currentData() or "")
        self.signature.setPlainText(row.signature if row is not None else "")

    # -- saving --

    def _wanted(self) -> dict[str, tuple[str, str]]:
        """Each setting the dialog edits: key -> (its label, the value shown)."""
        values = {
            "ai.base_url": (self.tr("Base URL"), self.base_url.text().strip()),
            "ai.model": (self.tr("Model"), self.model.currentText().strip()),
            "user.name": (self.tr("Who you are"), str(self.user.currentData() or "")),
            "ui.lang": (self.tr("Interface language"), str(self.language.currentData())),
            "ui.theme": (self.tr("Theme"), str(self.theme.currentData())),
        }
        if DATABASE_KEY in config.KEYS:
            values[DATABASE_KEY] = (self.tr("Database location"), self.database_url.text().strip())
        return values

    def _changes(self) -> dict[str, tuple[str, str]]:
        changes: dict[str, tuple[str, str]] = {}
        for key, (label, shown) in self._wanted().items():
            value = database_url_from(shown) if key == DATABASE_KEY and shown else shown
            if key == DATABASE_KEY and value:
                try:
                    has_password = _password(value) is not None
                except ValueError as exc:
                    raise config.ConfigError(f"{label}: {_one_line(exc)}") from exc
                if has_password:
                    # Promise: secrets never reach a settings file.
                    raise config.ConfigError(
                        self.tr("{label}: leave the password out; PostgreSQL reads it from ~/.pgpass").format(
                            label=label
                        )
                    )
            if value != self._initial.get(key, ""):
                changes[key] = (label, value)
        return changes

    def save(self) -> None:
        """Validate everything, store the key, then write the settings; on any problem, write nothing."""
        if self._saving:
            return
        self.error_label.hide()
        try:
            changes = self._changes()
            self._staged = _Staged(changes) if changes else None
        except (config.ConfigError, OSError) as exc:
            self._show_error(str(exc))
            return
        key = self.api_key.text()
        if not key:
            self._commit(None)
            return
        self._set_saving(True)
        self.background.run(store_key, self.secrets, key, on_done=self._commit, on_error=self._key_not_stored)

    def _key_not_stored(self, error: BaseException) -> None:
        if self._staged is not None:
            self._staged.discard()
            self._staged = None
        if self._closed:
            return
        self._set_saving(False)
        self._show_error(
            self.tr("The key was not stored, and nothing was saved: {error}").format(error=_one_line(error))
        )

    def _commit(self, where: Where | None) -> None:
        staged, self._staged = self._staged, None
        try:
            if staged is not None:
                staged.commit()
        except OSError as exc:
            if not self._closed:
                self._set_saving(False)
                self._show_error(self.tr("The settings could not be written: {error}").format(error=_one_line(exc)))
            return
        if self._closed:
            return  # closed while the key was being stored: what Save started is finished, quietly
        self._set_saving(False)
        theme_before = self._initial.get("ui.theme")
        self._initial = config.all_values()
        if self._initial["ui.theme"] != theme_before:
            self._apply_theme(self._initial["ui.theme"])
        if where is None:
            self.accept()
            return
        self.api_key.clear()
        self._show_key_state(stored=True, where=where)
        if where is Where.MEMORY:
            # The person must see this: the dialog stays open until they close it.
            self.cancel_button.setText(self.tr("&Close"))
            self.cancel_button.setAccessibleName(self.tr("Close settings"))
            return
        self.accept()

    def _apply_theme(self, theme: str) -> None:
        """A saved theme shows at once, in every window."""
        from desktop.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text.splitlines()[0] if text else "")
        self.error_label.show()

    def done(self, result: int) -> None:
        # Late answers from workers must not touch a dialog the person has closed.
        self._closed = True
        self._model_timer.stop()
        if self._staged is not None and not self._saving:
            self._staged.discard()
            self._staged = None
        super().done(result)


def open_settings(parent: QWidget | None, background: Background, db: Database | None) -> SettingsDialog:
    """Show the settings dialog (window-modal, without blocking the event loop) and return it."""
    dialog = SettingsDialog(background, db, parent)
    dialog.open()
    return dialog
