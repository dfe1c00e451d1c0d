"""The desktop application: start-up, the database opened off the GUI thread, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from storage.location import assets_dir


def make_application(argv: list[str] | None = None) -> QApplication:
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
    return app


def run_app(*, database_url: str | None = None, lang: str | None = None) -> int:
    """Open the main window; returns the process exit code."""
    app = make_application()
    if lang:
        QLocale.setDefault(QLocale(lang))
    from desktop.main_window import MainWindow

    window = MainWindow(database_url=database_url)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return int(app.exec())
