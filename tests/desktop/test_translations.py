"""The interface speaks Spanish or English through Qt's translation system, and the Spanish catalogue is complete."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.app import install_translations, ui_language
from desktop.approval_dialog import ApprovalDialog, ApprovalView
from desktop.inbox import age
from desktop.main_window import MainWindow
from storage import config
from storage.location import assets_dir

ROOT = Path(__file__).resolve().parents[2]
TS = assets_dir() / "translations" / "latido_es.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _tool(name: str) -> str:
    """A PySide6 tool from the interpreter's own environment (the venv's bin/)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} not found next to {sys.executable}: PySide6 provides it"
    return found


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Spanish catalogue compiled from the committed .ts, whether or not `make translations` has run."""
    out = tmp_path_factory.mktemp("qm")
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(out / "latido_es.qm")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication, qm_dir: Path) -> Iterator[str]:
    """Switch the application to the parametrized language for one test, and back to English after it."""
    lang = str(request.param)
    assert install_translations(qapp, lang, directory=qm_dir) == lang
    yield lang
    install_translations(qapp, "en")


@pytest.fixture
def window(qtbot: QtBot, demo_url: str, language: str) -> Iterator[MainWindow]:
    win = MainWindow(database_url=demo_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0 and win.editor.item_id is not None, timeout=15_000)
    yield win
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


EXPECTED = {
    "en": {
        "menus": ["&File", "&Reply", "&Go"],
        "draft": "&Draft",
        "stop": "&Stop",
        "headers": ["", "Customer", "Channel", "Message", "Status", "Age"],
        "search": "Search customers and messages (Ctrl+F)",
        "channels": "All channels",
        "statuses": "Any status",
        "mine": "&Mine",
        "status_names": {"new", "drafting", "waiting approval"},
        "cancel": "Cancel",
        "approve": "&Approve",
        "title": "Approve this reply",
        "age": "2 mo",
    },
    "es": {
        "menus": ["&Archivo", "&Respuesta", "&Ir"],
        "draft": "Re&dactar",
        "stop": "&Parar",
        "headers": ["", "Cliente", "Canal", "Mensaje", "Estado", "Antigüedad"],
        "search": "Buscar clientes y mensajes (Ctrl+F)",
        "channels": "Todos los canales",
        "statuses": "Cualquier estado",
        "mine": "&Míos",
        "status_names": {"nuevo", "en redacción", "por aprobar"},
        "cancel": "Cancelar",
        "approve": "&Aprobar",
        "title": "Aprobar esta respuesta",
        "age": "2 mes.",
    },
}


@pytest.mark.parametrize("language", ["en", "es"], indirect=True)
def test_the_window_speaks_the_chosen_language(window: MainWindow, language: str) -> None:
    want = EXPECTED[language]
    menus = [action.text() for action in window.menuBar().actions()]
    assert [m for m in menus if m in want["menus"]] == want["menus"], menus
    assert window.editor.draft_button.text() == want["draft"]
    assert window.editor.stop_button.text() == want["stop"]
    horizontal = Qt.Orientation.Horizontal
    shown = [
        window.inbox.headerData(c, horizontal, Qt.ItemDataRole.DisplayRole) for c in range(window.inbox.columnCount())
    ]
    # The channel column is as wide as its icons: its title is the header's tooltip.
    assert shown[2] == "" and window.inbox.headerData(2, horizontal, Qt.ItemDataRole.ToolTipRole) == want["headers"][2]
    assert shown[:2] + shown[3:] == want["headers"][:2] + want["headers"][3:]
    assert window.filters.search.placeholderText() == want["search"]
    assert window.filters.channel.itemText(0) == want["channels"]
    assert window.filters.status.itemText(0) == want["statuses"]
    assert window.filters.mine.text() == want["mine"]
    status_items = {window.filters.status.itemText(i) for i in range(window.filters.status.count())}
    assert want["status_names"] <= status_items
    shown_statuses = {window.inbox.index(r, 4).data() for r in range(window.inbox.rowCount())}
    assert shown_statuses <= status_items, "the inbox names statuses as the filter does"
    now = datetime.now(UTC)
    assert age(now - timedelta(days=65), now) == want["age"]


@pytest.mark.parametrize("language", ["en", "es"], indirect=True)
def test_dialogs_use_qt_standard_buttons_in_the_same_language(qtbot: QtBot, language: str) -> None:
    dialog = ApprovalDialog(ApprovalView(1, "", "Hola", "0" * 64, ()))
    qtbot.addWidget(dialog)
    want = EXPECTED[language]
    assert dialog.windowTitle() == want["title"]
    assert dialog.approve_button.text() == want["approve"]
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == want["cancel"]


def test_a_missing_catalogue_leaves_the_interface_in_english(qapp: QApplication, tmp_path: Path) -> None:
    assert install_translations(qapp, "es", directory=tmp_path) == "en"
    assert not qapp.findChildren(QTranslator)
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_switching_back_to_english_removes_every_translator(qapp: QApplication, qm_dir: Path) -> None:
    assert install_translations(qapp, "es", directory=qm_dir) == "es"
    assert QCoreApplication.translate("MainWindow", "&File") == "&Archivo"
    assert install_translations(qapp, "es", directory=qm_dir) == "es"  # switching twice keeps one set
    assert len(qapp.findChildren(QTranslator)) == 2  # Latido's and Qt's own
    assert install_translations(qapp, "en") == "en"
    assert not qapp.findChildren(QTranslator)
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_the_language_comes_from_the_option_then_the_setting() -> None:
    assert ui_language("es") == "es"
    assert ui_language("fr") == "en"  # only the languages the interface is written in
    config.set_value("ui.lang", "es")
    assert ui_language(None) == "es"
    assert ui_language("en") == "en"
    config.set_value("ui.lang", "")
    system = QLocale.languageToCode(QLocale.system().language())
    assert ui_language(None) == (system if system in ("en", "es") else "en")


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_every_spanish_string_is_finished_and_keeps_its_placeholders() -> None:
    messages = _messages(TS)
    assert len(messages) > 100
    problems = []
    for context, source, message in messages:
        translation = message.find("translation")
        assert translation is not None
        text = translation.text or ""
        where = f"{context}: {source!r}"
        if translation.get("type") is not None:
            problems.append(f"{where} is {translation.get('type')}")
        if not text.strip():
            problems.append(f"{where} has no translation")
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"{where}: placeholders differ in {text!r}")
        if source.replace("&&", "").count("&") != text.replace("&&", "").count("&"):
            problems.append(f"{where}: mnemonic lost or doubled in {text!r}")
    assert not problems, "\n".join(problems)


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _clashes(texts: list[str]) -> list[str]:
    keys = [_mnemonic(t) for t in texts]
    return [t for t, k in zip(texts, keys, strict=True) if k is not None and keys.count(k) > 1]


@pytest.mark.parametrize("language", ["en", "es"], indirect=True)
def test_mnemonics_are_unique_in_the_window_and_in_each_menu(window: MainWindow, language: str) -> None:
    menus = window.menuBar().actions()
    buttons = [b.text() for b in window.findChildren(QAbstractButton) if b.isVisible()]
    assert not _clashes([m.text() for m in menus] + buttons), language
    for menu in menus:
        assert menu.menu() is not None
        assert not _clashes([a.text() for a in menu.menu().actions()]), menu.text()


def test_the_catalogue_holds_every_string_the_desktop_code_marks(tmp_path: Path) -> None:
    fresh = tmp_path / "latido_es.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").glob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    known = {(c, s) for c, s, _ in _messages(TS)}
    marked = {(c, s) for c, s, _ in _messages(fresh)}
    assert sorted(marked - known) == [], "run the lupdate command in the Makefile and translate the new strings"
    assert sorted(known - marked) == [], "strings no longer in the code: refresh the .ts with -no-obsolete"


@pytest.mark.parametrize("language", ["en", "es"], indirect=True)
def test_numbers_are_written_as_the_interface_language_writes_them(qtbot: QtBot, demo_url: str, language: str) -> None:
    from desktop.insights_view import open_insights
    from desktop.widgets import decimal

    assert decimal(1234.5) == {"en": "1,234.5", "es": "1234,5"}[language]
    win = open_insights(None, database_url=demo_url, user="lucia")
    try:
        qtbot.waitUntil(lambda: win.dashboard is not None, timeout=15_000)
        assert win.duration(5400) == {"en": "1.5 h", "es": "1,5 h"}[language]
        assert win.duration(3.5 * 86400) == {"en": "3.5 days", "es": "3,5 días"}[language]
        assert win.percent(0.42) == {"en": "42%", "es": "42 %"}[language]
    finally:
        qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
        win.close()


@pytest.mark.parametrize("language", ["es"], indirect=True)
def test_the_approval_history_names_channels_and_delivery_states_in_spanish(
    qtbot: QtBot, demo_url: str, language: str
) -> None:
    from desktop.approval_history import ApprovalHistoryWindow
    from storage.database import Database

    win = ApprovalHistoryWindow(Database(demo_url), user="lucia")
    qtbot.addWidget(win)
    try:
        qtbot.waitUntil(lambda: bool(win.model.rows) and not win.model.loading)
        model = win.model
        titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        channel, delivery = titles.index("Canal"), titles.index("Entrega")
        channels = {model.index(r, channel).data() for r in range(model.rowCount())}
        states = {model.index(r, delivery).data() for r in range(model.rowCount())}
        assert channels and channels <= {"correo", "comentario", "mensaje directo", "chat", "ticket", "llamada", "nota"}
        assert "enviado" in states and "sent" not in states
        box = win.channel_box
        assert {box.itemText(i) for i in range(1, box.count())} >= {"correo", "comentario"}
    finally:
        win.close()
        qtbot.waitUntil(lambda: not win.background.busy)
        win.db.dispose()
