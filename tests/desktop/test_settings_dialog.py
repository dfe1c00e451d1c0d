"""The settings dialog, driven as a person uses it: type, wait for answers, test, save or cancel."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.background import Background
from desktop.settings_dialog import SettingsDialog, open_settings
from drafting.secrets import MemoryKeyring, SecretStore
from storage import config
from storage.database import Database
from storage.demo import seed_demo
from tests.servers.openai_faults import FaultServer

REFUSED_URL = "http://127.0.0.1:9/v1"
SESSION_ONLY = "No keyring available: the key is kept in memory for this session only"
KEY = "sk-settings-test-6f1d2c"

MakeDialog = Callable[..., SettingsDialog]


@pytest.fixture
def background(qtbot: QtBot) -> Iterator[Background]:
    bg = Background()
    yield bg
    bg.quit_all()
    qtbot.waitUntil(lambda: not bg.busy, timeout=20_000)


@pytest.fixture
def make_dialog(qtbot: QtBot, background: Background) -> Iterator[MakeDialog]:
    """Open dialogs that are closed, with their workers finished, when the test ends."""
    opened: list[SettingsDialog] = []

    def make(db: Database | None = None, secrets: SecretStore | None = None) -> SettingsDialog:
        dialog = SettingsDialog(background, db, secrets=secrets or SecretStore())
        qtbot.addWidget(dialog)
        dialog.show()
        opened.append(dialog)
        qtbot.waitUntil(lambda: dialog.key_state is not None, timeout=15_000)
        return dialog

    yield make
    for dialog in opened:
        dialog.close()
    qtbot.waitUntil(lambda: not background.busy, timeout=20_000)


@pytest.fixture
def demo_db(sqlite_url: str) -> Iterator[Database]:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db)
    yield db
    db.dispose()


def _type(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def _models(dialog: SettingsDialog) -> list[str]:
    return [dialog.model.itemText(i) for i in range(dialog.model.count())]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _files_holding(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_typing_an_endpoint_fills_the_models_and_the_test_says_ok(
    qtbot: QtBot, make_dialog: MakeDialog, fault_server: Callable[..., FaultServer]
) -> None:
    server = fault_server("ok")
    dialog = make_dialog()
    assert dialog.model.count() == 0
    _type(qtbot, dialog.base_url, server.url)
    qtbot.waitUntil(lambda: dialog.model.count() > 0, timeout=15_000)
    assert _models(dialog) == sorted(server.models)
    assert dialog.model_status.text() == "2 models available"
    assert dialog.model_busy.isHidden()
    assert [r.path for r in server.requests] == ["/v1/models"]  # the prefixes typed on the way never reached it

    dialog.model.setCurrentText("model-b")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=15_000)
    assert dialog.test_result.text() == "connection OK: 2 models"


def test_a_refused_endpoint_says_it_cannot_be_reached(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog = make_dialog()
    _type(qtbot, dialog.base_url, REFUSED_URL)
    qtbot.waitUntil(lambda: dialog.model_status.text().startswith("Cannot reach"), timeout=15_000)
    assert "127.0.0.1:9" in dialog.model_status.text()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=15_000)
    assert dialog.test_result.text().startswith("Cannot reach the AI endpoint at 127.0.0.1:9")
    assert dialog.model.count() == 0


def test_a_bad_url_is_refused_inline_and_nothing_is_saved(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    config.set_value("ai.model", "kept-model")
    before = config.config_path().read_bytes()
    dialog = make_dialog()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))  # a valid change that must not be saved alone
    _type(qtbot, dialog.base_url, "ftp://x")
    qtbot.waitUntil(lambda: "not an http(s) URL" in dialog.model_status.text(), timeout=15_000)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Base URL: 'ftp://x' is not an http(s) URL"
    assert config.config_path().read_bytes() == before
    assert not list(config.config_path().parent.glob(".settings-*"))  # no staged copy left behind


def test_save_writes_every_setting(
    qtbot: QtBot, make_dialog: MakeDialog, fault_server: Callable[..., FaultServer]
) -> None:
    server = fault_server("ok")
    dialog = make_dialog()
    _type(qtbot, dialog.base_url, server.url + "/")
    qtbot.waitUntil(lambda: dialog.model.count() == 2, timeout=15_000)
    dialog.model.setCurrentIndex(dialog.model.findText("model-b"))
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    values = config.all_values()
    assert values["ai.base_url"] == server.url
    assert values["ai.model"] == "model-b"
    assert (values["ui.lang"], values["ui.theme"]) == ("es", "dark")
    assert values["user.name"] == ""
    assert not list(config.config_path().parent.glob(".settings-*"))

    again = make_dialog()  # a saved endpoint lists its models as soon as the dialog opens
    qtbot.waitUntil(lambda: again.model.count() == 2, timeout=15_000)
    assert again.model.currentText() == "model-b"
    assert again.base_url.text() == server.url


def test_cancel_discards(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog = make_dialog()
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    _type(qtbot, dialog.base_url, "http://127.0.0.1:1/v1")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not config.config_path().exists()
    assert config.get("ui.theme") == "system"


def test_the_api_key_goes_to_the_keyring_and_never_to_a_file(
    qtbot: QtBot, make_dialog: MakeDialog, latido_home: Path
) -> None:
    dialog = make_dialog()
    assert dialog.key_status.text() == "No key is stored."
    assert dialog.api_key.echoMode() == QLineEdit.EchoMode.Password
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    _type(qtbot, dialog.api_key, KEY)
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert SecretStore().get("ai.api_key") == KEY
    assert config.get("ui.theme") == "dark"
    assert latido_home.exists()
    assert _files_holding(latido_home, KEY) == []

    again = make_dialog()
    assert again.api_key.text() == ""
    assert again.key_status.text() == "A key is stored in the keyring."
    assert all(KEY not in label.text() for label in again.findChildren(QLabel))


def test_without_a_keyring_the_key_is_kept_for_this_session_only(
    qtbot: QtBot, make_dialog: MakeDialog, latido_home: Path
) -> None:
    keyring.set_keyring(fail.Keyring())
    store = SecretStore()
    dialog = make_dialog(secrets=store)
    assert dialog.key_status.text().startswith(SESSION_ONLY)
    _type(qtbot, dialog.api_key, KEY)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.cancel_button.text() == "&Close", timeout=15_000)
    assert dialog.isVisible()  # stays open so the person reads why the key will not survive a restart
    assert dialog.key_status.text().startswith(SESSION_ONLY)
    assert "a key is kept for this session" in dialog.key_status.text()
    assert dialog.api_key.text() == ""
    assert store.get("ai.api_key") == KEY
    assert SecretStore().get("ai.api_key") == KEY  # the rest of this session (the draft editor) sees it
    assert SecretStore(memory=MemoryKeyring()).get("ai.api_key") is None  # a new session does not: nothing persisted
    assert not latido_home.exists() or _files_holding(latido_home, KEY) == []


@pytest.mark.postgres
def test_database_test_reports_the_schema_revision_on_postgresql(
    qtbot: QtBot, make_dialog: MakeDialog, pg_url: str
) -> None:
    db = Database(pg_url)
    db.upgrade(backup=False)
    head = db.head_revision()
    db.dispose()
    dialog = make_dialog()
    _type(qtbot, dialog.database_url, pg_url)
    qtbot.mouseClick(dialog.database_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.database_test.isEnabled, timeout=20_000)
    text = dialog.database_result.text()
    assert text.startswith("Connected to postgresql+psycopg://"), text
    assert f"revision {head} (the newest)" in text


def test_database_test_on_a_closed_port_reports_the_error(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    port = _closed_port()
    dialog = make_dialog()
    _type(qtbot, dialog.database_url, f"postgresql://latido:hunter2-pw@127.0.0.1:{port}/postgres")
    qtbot.mouseClick(dialog.database_test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.database_test.isEnabled, timeout=20_000)
    text = dialog.database_result.text()
    assert text.startswith(f"Cannot open the database at postgresql+psycopg://latido:***@127.0.0.1:{port}/postgres")
    assert "hunter2-pw" not in text
    assert "\n" not in text


def test_the_profile_lists_the_database_users_and_saves_the_choice(
    qtbot: QtBot, make_dialog: MakeDialog, demo_db: Database
) -> None:
    dialog = make_dialog(db=demo_db)
    qtbot.waitUntil(lambda: dialog.user.count() > 1, timeout=15_000)
    shown = [dialog.user.itemText(i) for i in range(dialog.user.count())]
    assert shown[1:] == ["leo (trainee)", "lucia (lead)", "marta (agent)"]
    assert dialog.current_database.text() == demo_db.display_url
    dialog.user.setCurrentIndex(dialog.user.findData("lucia"))
    assert dialog.signature.isReadOnly()
    assert dialog.signature.toPlainText().startswith("Lucía Ferrer\n")
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert config.get("user.name") == "lucia"


def test_every_control_is_named_and_reachable_by_keyboard(qtbot: QtBot, background: Background) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = open_settings(parent, background, None)
    qtbot.waitUntil(lambda: dialog.key_state is not None, timeout=15_000)
    assert dialog.isVisible() and dialog.parent() is parent
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if "&" in label.text()}
    controls: list[QWidget] = [
        *dialog.findChildren(QLineEdit),
        *dialog.findChildren(QComboBox),
        *dialog.findChildren(QPlainTextEdit),
    ]
    controls = [c for c in controls if not isinstance(c.parent(), QComboBox)]  # a combo's own line edit
    assert len(controls) >= 8
    for control in controls:
        assert control.accessibleName(), control
        assert control in buddies, control.accessibleName()
    for button in dialog.findChildren(QPushButton):
        assert button.accessibleName(), button.text()
        assert "&" in button.text(), button.text()
    messages = [label for label in dialog.findChildren(QLabel) if label.accessibleName()]
    assert len(messages) >= 7
    for label in messages:  # they quote servers and databases
        assert label.textFormat() == Qt.TextFormat.PlainText, label.accessibleName()
    dialog.close()


def test_a_database_location_is_saved_without_its_password(
    qtbot: QtBot, make_dialog: MakeDialog, tmp_path: Path
) -> None:
    dialog = make_dialog()
    _type(qtbot, dialog.database_url, "postgresql://latido:hunter2-pw@db.example/latido")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "Database location: leave the password out; PostgreSQL reads it from ~/.pgpass"
    assert not config.config_path().exists()

    _type(qtbot, dialog.database_url, str(tmp_path / "team.sqlite3"))
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert config.get("database.url") == f"sqlite:///{tmp_path / 'team.sqlite3'}"
