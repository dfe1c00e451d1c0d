"""The desktop application: start-up, the interface language and theme, the main window."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from storage.location import assets_dir

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def _skip_feature_source_scan() -> None:
    """Stop PySide reading the source of every module imported after it.

    For its optional `from __feature__ import …` switches, PySide runs inspect.getsource on each newly imported
    module to see whether the text mentions PySide6. Latido uses no such switch (and a module that does is
    registered by that very import), while the scan re-reads and tokenises every file: the window's own
    modules at start-up and hundreds of SQLAlchemy modules in the worker that opens the workspace."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda _module: False  # type: ignore[attr-defined]


_skip_feature_source_scan()

LANGUAGES = ("en", "es")
"""The interface languages; English is the language the source is written in."""
_TRANSLATOR = "latido-translator"
_SHOWN = "latidoLanguage"


def translations_dir() -> Path:
    """Where `make translations` puts the compiled catalogues (`latido_es.qm`)."""
    return assets_dir() / "translations"


def ui_language(lang: str | None = None) -> str:
    """The interface language: `--lang`, else the `ui.lang` setting, else the system locale; English otherwise."""
    from storage import config

    choice = lang
    if not choice:
        try:
            choice = config.get("ui.lang")
        except config.ConfigError:
            # The window reports a broken config.json when it opens the workspace; the language follows the system.
            choice = ""
    if not choice:
        choice = QLocale.languageToCode(QLocale.system().language())
    return choice if choice in LANGUAGES else "en"


def install_translations(app: QCoreApplication, lang: str, *, directory: Path | None = None) -> str:
    """Switch the application's translators to `lang` (Latido's catalogue and Qt's own); returns the language shown.

    Widgets translate their strings when they are built, so call this before opening windows.
    """
    for old in app.findChildren(QTranslator, _TRANSLATOR):
        app.removeTranslator(old)
        old.setParent(None)  # the last reference goes with this loop, and Qt's object with it
    app.setProperty(_SHOWN, "en")
    _numbers_and_dates("en")
    if lang == "en":
        return "en"
    ours = QTranslator()
    if not ours.load(f"latido_{lang}", str(directory or translations_dir())):
        # No compiled catalogue (a checkout where `make translations` has not run): the interface stays
        # wholly in English, which is complete, so nothing is logged and start-up goes on.
        return "en"
    _install(app, ours)
    # Qt's standard buttons and dialogs (Cancel, OK, the line edit's menu) come from qtbase_<lang>.qm.
    qt = QTranslator()
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _install(app, qt)
    app.setProperty(_SHOWN, lang)
    _numbers_and_dates(lang)
    return lang


def _numbers_and_dates(lang: str) -> None:
    """Numbers and dates follow the interface language; when it is the system's, the system's region is kept."""
    system = QLocale.system()
    QLocale.setDefault(system if QLocale(lang).language() == system.language() else QLocale(lang))


def shown_language() -> str:
    """The language the interface shows now (the last `install_translations`), for texts composed in code."""
    app = QCoreApplication.instance()
    shown = app.property(_SHOWN) if app is not None else None
    return shown if isinstance(shown, str) and shown in LANGUAGES else ui_language()


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    translator.setObjectName(_TRANSLATOR)
    translator.setParent(app)  # lives as long as the application, and is found again to be switched
    app.installTranslator(translator)


def make_application(argv: list[str] | None = None, *, lang: str | None = None) -> QApplication:
    """The QApplication, with the interface language chosen by `ui_language(lang)`.

    An application that already exists is returned as it is; `install_translations` switches its language.
    """
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Latido")
    app.setOrganizationName("Latido")
    app.setApplicationDisplayName("Latido")
    icon = assets_dir() / "icons" / "latido.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translations(app, ui_language(lang))
    from desktop.theme import apply_theme

    apply_theme(app, ui_theme())
    return app


def ui_theme() -> str:
    """The `ui.theme` setting (system, light or dark); "system" when the config cannot be read."""
    from storage import config

    try:
        return config.get("ui.theme") or "system"
    except config.ConfigError:
        return "system"  # the window reports a broken config.json; the colours follow the system meanwhile


GC_THRESHOLDS = (5_000, 20, 20)
"""Young objects collected every 5,000 allocations instead of 700, older ones half as often: start-up's imports
and a worker's drafting make many objects that live on, and every collection holds the GIL."""

SWITCH_INTERVAL_S = 0.0001
"""How long a worker may keep the GIL while the GUI thread waits for it (Python's default is 5 ms). A repaint
calls into Python hundreds of times (the models' data, every virtual method of a Python widget), taking the GIL
each time; behind a busy worker each of those waits lasts the whole interval, and at 5 ms, or even 0.5 ms, one
repaint while the workspace opens took 100-200 ms. At 0.1 ms the longest gap is under 50 ms; a worker alone
is not slowed (the interval only matters while another thread waits)."""


def tune_interpreter() -> Callable[[], None]:
    """Set the GC thresholds and GIL switch interval the window is measured with; returns an undo."""
    thresholds, interval = gc.get_threshold(), sys.getswitchinterval()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    def restore() -> None:
        gc.set_threshold(*thresholds)
        sys.setswitchinterval(interval)

    return restore


def open_main_window(*, database_url: str | None = None, lang: str | None = None) -> tuple[QApplication, MainWindow]:
    """The application and its main window, shown; the event loop is not started yet."""
    tune_interpreter()
    app = make_application(lang=lang)
    from desktop.main_window import MainWindow

    window = MainWindow(database_url=database_url)
    # A full collection walks every tracked object. Once the window has imported what working needs, what exists
    # (modules, classes, caches) is frozen out of it, so one in a worker no longer stalls the event loop.
    window.warmed.connect(gc.freeze)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return app, window


def run_app(*, database_url: str | None = None, lang: str | None = None) -> int:
    """Open the main window; returns the process exit code."""
    app, _window = open_main_window(database_url=database_url, lang=lang)
    return int(app.exec())
