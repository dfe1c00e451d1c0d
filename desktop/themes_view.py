"""Comment themes for leads: what customers keep bringing up over a period, with examples and a trend.

The themes are computed in a worker (`drafting.themes`) that reports its
progress and stops when asked. Example messages are customer text: shown as
plain text only.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.inbox import channel_name
from desktop.widgets import local_zone
from desktop.windows import open_with_database
from drafting.themes import Cancelled, Theme, ThemeReport, themes_between
from storage.database import Database

__all__ = ["ThemesWindow", "open_themes"]

PERIOD_DAYS = (7, 30, 90, 365)


class _Progress(QObject):
    """Carries a worker's progress to the window's thread (a queued signal)."""

    changed = Signal(int, int)


def _compute(
    db: Database, since: datetime, until: datetime, progress: _Progress, stop: threading.Event
) -> ThemeReport | None:
    """The period's themes, or None when the person stopped the computation."""
    try:
        with db.session() as session:
            return themes_between(
                session,
                since=since,
                until=until,
                bucket="day" if until - since <= timedelta(days=14) else "week",
                progress=progress.changed.emit,
                cancelled=stop.is_set,
                tz=local_zone(),
            )
    except Cancelled:
        return None


def _first_line(error: BaseException) -> str:
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


class ThemesWindow(QDialog):
    """A period picker, the themes found (label and volume), and the chosen theme's trend and examples."""

    computed = Signal()

    def __init__(self, background: Background, db: Database, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.db = db
        self.user = user
        self.report: ThemeReport | None = None
        self._stop: threading.Event | None = None
        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)
        self.setWindowTitle(self.tr("Comment themes"))
        self.setAccessibleName(self.tr("Comment themes"))
        self.resize(1000, 700)

        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for days in PERIOD_DAYS:
            self.period.addItem(self.tr("Last {days} days").format(days=days), days)
        period_label = QLabel(self.tr("&Period:"))
        period_label.setBuddy(self.period)
        self.period.activated.connect(lambda _i: self.compute())
        self.compute_button = QPushButton(self.tr("&Find themes"))
        self.compute_button.setAccessibleName(self.tr("Find themes"))
        self.compute_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.compute_button.setToolTip(self.tr("Find the themes of the period (F5)"))
        self.compute_button.setAutoDefault(False)
        self.compute_button.clicked.connect(self.compute)
        self.stop_button = QPushButton(self.tr("&Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop finding themes"))
        self.stop_button.setToolTip(self.tr("Stop finding themes (Alt+S)"))
        self.stop_button.setAutoDefault(False)
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.setTextVisible(True)

        self.themes = QTreeWidget()
        self.themes.setAccessibleName(self.tr("Themes"))
        self.themes.setColumnCount(3)
        self.themes.setHeaderLabels([self.tr("Theme"), self.tr("Messages"), self.tr("Also said as")])
        self.themes.setRootIsDecorated(False)
        self.themes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.themes.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.themes.currentItemChanged.connect(self._show_theme)

        self.chart = QChart()
        self.chart.legend().hide()
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName(self.tr("Volume trend"))
        self.chart_view.setMinimumHeight(200)
        self.examples = QPlainTextEdit()
        self.examples.setReadOnly(True)
        self.examples.setAccessibleName(self.tr("Example messages"))
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Status"))
        self.status.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close the themes"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(period_label)
        top.addWidget(self.period)
        top.addWidget(self.compute_button)
        top.addWidget(self.stop_button)
        top.addWidget(self.progress, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart_view, 1)
        examples_label = QLabel(self.tr("E&xamples:"))
        examples_label.setBuddy(self.examples)
        right_layout.addWidget(examples_label)
        right_layout.addWidget(self.examples, 1)
        splitter = QSplitter()
        splitter.addWidget(self.themes)
        splitter.addWidget(right)
        splitter.setSizes([420, 580])
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.themes.setFocus()
        self.compute()

    @property
    def running(self) -> bool:
        return self._stop is not None

    def compute(self) -> None:
        """Find the chosen period's themes in a worker; a computation already running is stopped first."""
        self.stop()
        days = int(self.period.currentData())
        until = datetime.now(UTC)
        since = until - timedelta(days=days)
        stop = threading.Event()
        self._stop = stop
        self.progress.setRange(0, 0)
        self.stop_button.setEnabled(True)
        self.status.setText(self.tr("Reading the messages of the last {days} days…").format(days=days))
        self.background.run(
            _compute,
            self.db,
            since,
            until,
            self._progress,
            stop,
            on_done=lambda report: self._done(stop, report),
            on_error=lambda error: self._failed(stop, error),
        )

    def stop(self) -> None:
        """Stop the running computation (Alt+S); what was shown before stays."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
            self.stop_button.setEnabled(False)
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.status.setText(self.tr("Stopped."))

    def _show_progress(self, done: int, total: int) -> None:
        if self._stop is not None and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, stop: threading.Event, report: ThemeReport | None) -> None:
        if stop is not self._stop or report is None:
            return  # stopped, or replaced by a newer computation
        self._stop = None
        self.stop_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.report = report
        self.themes.clear()
        for theme in report.themes:
            item = QTreeWidgetItem([theme.label, str(theme.volume), ", ".join(theme.phrases[1:4])])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.themes.addTopLevelItem(item)
        if report.themes:
            self.status.setText(
                self.tr("{themes} themes in {messages} incoming messages.").format(
                    themes=len(report.themes), messages=report.messages
                )
            )
            self.themes.setCurrentItem(self.themes.topLevelItem(0))
        else:
            self.examples.clear()
            self.chart.removeAllSeries()
            self.status.setText(
                self.tr("No recurring themes in {messages} incoming messages.").format(messages=report.messages)
            )
        self.computed.emit()

    def _failed(self, stop: threading.Event, error: BaseException) -> None:
        if stop is not self._stop:
            return
        self._stop = None
        self.stop_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.status.setText(self.tr("Could not find themes: {error}").format(error=_first_line(error)))

    def selected_theme(self) -> Theme | None:
        item = self.themes.currentItem()
        if item is None or self.report is None:
            return None
        row = self.themes.indexOfTopLevelItem(item)
        return self.report.themes[row] if 0 <= row < len(self.report.themes) else None

    def _show_theme(self, _current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        theme = self.selected_theme()
        if theme is None or self.report is None:
            return
        locale = QLocale()
        lines = []
        for example in theme.examples:
            when = locale.toString(example.occurred_at.astimezone(), QLocale.FormatType.ShortFormat)
            lines.append(f"[{channel_name(example.channel)} · {when} · #{example.interaction_id}]\n{example.snippet}")
        self.examples.setPlainText("\n\n".join(lines))
        self._draw_trend(theme)

    def _draw_trend(self, theme: Theme) -> None:
        assert self.report is not None
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.chart.setTitle(self.tr("“{theme}”: messages per period").format(theme=theme.label))
        bars = QBarSet(theme.label)
        for count in theme.trend:
            bars.append(count)
        series = QBarSeries()
        series.append(bars)
        self.chart.addSeries(series)
        locale = QLocale()
        x_axis = QBarCategoryAxis()
        x_axis.append([locale.toString(p.date(), QLocale.FormatType.ShortFormat) for p in self.report.periods])
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        highest = max(theme.trend, default=0)
        y_axis.setRange(0, max(1, highest))
        y_axis.setTickCount(min(6, max(2, highest + 1)))
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        self.chart_view.setAccessibleDescription(
            self.tr("Messages per period: {counts}").format(counts=", ".join(str(c) for c in theme.trend))
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        self.background.quit_all()
        super().closeEvent(event)

    def reject(self) -> None:
        self.stop()
        super().reject()


def open_themes(parent: QWidget | None, *, database_url: str | None, user: str) -> ThemesWindow:
    """Team → Comment themes…: the themes window (not modal); it computes the last 7 days at once."""
    return open_with_database(database_url, lambda background, db: ThemesWindow(background, db, user, parent))
