"""Light, dark or the system's: the application palette, chosen by the `ui.theme` setting and changed live.

"system" keeps the platform's style and palette and follows its colour scheme
as it changes (QStyleHints.colorScheme, Qt 6.5+); "light" and "dark" use the
Fusion style with an explicit palette, which every platform draws the same way.
Widgets that colour text themselves ask `is_dark()` and `tone()` so their
accents stay readable on either background.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
_STATE = "latido-theme"

# Accents in two shades: the darker one reads on a light window, the lighter one on a dark window.
_TONES = {
    "danger": ("#c62828", "#ef9a9a"),
    "warning": ("#e65100", "#ffb74d"),
    "recent": ("#1565c0", "#90caf9"),
    # A word diff: added words on green, removed ones struck through on red, in shades that read on either.
    "inserted": ("#c8e6c9", "#1e4620"),
    "inserted_text": ("#1b5e20", "#c8e6c9"),
    "deleted": ("#ffcdd2", "#5c1f1f"),
    "deleted_text": ("#b71c1c", "#ffcdd2"),
}


def dark_palette() -> QPalette:
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e8e8e8",
        role.Base: "#1f1f1f",
        role.AlternateBase: "#2f2f2f",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#9a9a9a",
        role.Text: "#e8e8e8",
        role.Button: "#353535",
        role.ButtonText: "#e8e8e8",
        role.BrightText: "#ff6e6e",
        role.Light: "#4a4a4a",
        role.Midlight: "#3e3e3e",
        role.Mid: "#2a2a2a",
        role.Dark: "#1a1a1a",
        role.Shadow: "#000000",
        role.Highlight: "#3d7dd8",
        role.HighlightedText: "#ffffff",
        role.Link: "#8ab4f8",
        role.LinkVisited: "#c58af9",
    }
    for r, color in colors.items():
        palette.setColor(r, QColor(color))
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, r, QColor("#7a7a7a"))
    palette.setColor(group.Disabled, role.Highlight, QColor("#505050"))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#efefef",
        role.WindowText: "#1a1a1a",
        role.Base: "#ffffff",
        role.AlternateBase: "#f5f5f5",
        role.ToolTipBase: "#ffffdc",
        role.ToolTipText: "#1a1a1a",
        role.PlaceholderText: "#757575",
        role.Text: "#1a1a1a",
        role.Button: "#efefef",
        role.ButtonText: "#1a1a1a",
        role.BrightText: "#ffffff",
        role.Light: "#ffffff",
        role.Midlight: "#cacaca",
        role.Mid: "#b8b8b8",
        role.Dark: "#9f9f9f",
        role.Shadow: "#767676",
        role.Highlight: "#308cc6",
        role.HighlightedText: "#ffffff",
        role.Link: "#0b57d0",
        role.LinkVisited: "#7b1fa2",
    }
    for r, color in colors.items():
        palette.setColor(r, QColor(color))
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, r, QColor("#9e9e9e"))
    return palette


class _Follower(QObject):
    """Remembers the chosen theme and the platform's own style; re-applies "system" when the platform changes."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_STATE)
        self.app = app
        self.theme = "system"
        # Read when the first light or dark theme replaces it: asking for app.style() at start-up makes PySide build
        # the QStyle class (5 ms) before the first paint, and in "system" the style is left as the platform chose.
        self.native_style: str | None = None
        app.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.theme == "system":
            self.apply("system")

    def apply(self, theme: str) -> None:
        self.theme = theme if theme in THEMES else "system"
        hints = self.app.styleHints()
        if self.theme == "system":
            if self.native_style is not None and self.app.style().name().lower() != self.native_style.lower():
                self.app.setStyle(self.native_style)
            self.app.setPalette(QPalette())  # an empty palette hands the colours back to the platform
            if hints.colorScheme() == Qt.ColorScheme.Dark and not is_dark(self.app.palette()):
                # The platform says dark but its style draws light (some Linux desktops): draw it dark ourselves.
                self.app.setPalette(dark_palette())
            return
        if self.native_style is None:
            self.native_style = self.app.style().name()
        if self.app.style().name().lower() != "fusion":
            self.app.setStyle("Fusion")  # native styles (Windows, macOS) ignore parts of a custom palette
        self.app.setPalette(dark_palette() if self.theme == "dark" else light_palette())


def _follower(app: QApplication) -> _Follower:
    found = app.findChild(_Follower, _STATE)
    return found if isinstance(found, _Follower) else _Follower(app)


def apply_theme(app: QApplication, theme: str) -> None:
    """Show the application in `theme` (system, light or dark) now, and keep following the system in "system"."""
    _follower(app).apply(theme)


def current_theme(app: QApplication) -> str:
    """The theme last applied ("system" before any)."""
    found = app.findChild(_Follower, _STATE)
    return found.theme if isinstance(found, _Follower) else "system"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether windows are drawn dark (light text on a dark background)."""
    p = palette if palette is not None else QGuiApplication.palette()
    return p.color(QPalette.ColorRole.Window).lightness() < 128


def tone(name: str, palette: QPalette | None = None) -> QColor:
    """An accent colour (danger, warning, recent) in the shade that reads on the current background."""
    on_light, on_dark = _TONES[name]
    return QColor(on_dark if is_dark(palette) else on_light)
