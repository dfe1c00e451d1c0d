"""The lead's insights: approvals, AI acceptance, edit intensity, findings, empathy, escalations and AI value.

Every figure comes from `drafting.insights.load_dashboard`, run in a worker
whenever the date range or a filter changes. Charts are QtCharts views that
follow the system palette; each also says its figures in its accessible
description, since a chart is a picture to a screen reader. Exports: CSV (every
series, with the filter and the time-saved assumptions), PNG (the charts as one
image) and PDF (the summary, the AI value panel and every chart).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QEvent, QMargins, QRect, QSize, Qt, QTimer, QTimeZone, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPageSize, QPainter, QPalette, QPdfWriter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.background import Background
from desktop.inbox import channel_name
from desktop.widgets import decimal, local_offset, plain_label
from drafting.insights import Assumptions, Dashboard, export_rows, load_dashboard, measure_unmeasured
from storage import analytics
from storage.analytics import InsightFilter
from storage.database import Database
from storage.models import Channel

__all__ = ["DEFAULT_DAYS", "InsightsWindow", "open_insights"]

DEFAULT_DAYS = 90
"""The range the window opens on: the last 90 days."""
REFRESH_AFTER_MS = 250
"""Changing a date with the arrow keys moves through many values: refresh where it comes to rest."""
CHART_HEIGHT = 300


def _first_line(error: BaseException) -> str:
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


def _label(text: str) -> str:
    """A category label as plain text: chart labels take "<…>" for markup, so angle brackets are swapped for look-alikes."""
    return text.replace("<", "‹").replace(">", "›")


def _count_axis(axis: QValueAxis, top: int) -> None:
    """Whole-number ticks from 0 to at least `top`: 1, 2, 5, 10, 20, 50… apart, at most ~8 of them."""
    step = 1
    while top / step > 8:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    axis.setRange(0, -(-top // step) * step)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")


def _utc_ms(day: date, *, hour: int) -> float:
    """Milliseconds since the epoch at `hour` o'clock UTC on `day` (24: its end), where a date axis puts it."""
    return (datetime.combine(day, time(), UTC) + timedelta(hours=hour)).timestamp() * 1000


def _agents(db: Database) -> list[str]:
    with db.session() as session:
        return analytics.agent_names(session)


def _write_csv(path: str, rows: Sequence[tuple[str, str, str, str]]) -> str:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("series", "category", "measure", "value"))
        writer.writerows(rows)
    return path


class InsightsWindow(QMainWindow):
    """The team lead's dashboard over one date range, optionally one agent and one channel."""

    refreshed = Signal()
    """A new dashboard is on screen."""
    exported = Signal(str)
    """A file was written: its path."""
    failed = Signal(str)
    """Something went wrong: one line saying what."""

    def __init__(self, db: Database, user: str, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.background = Background(self)
        self.dashboard: Dashboard | None = None
        self._generation = 0
        self._in_flight = 0
        self._closing = False
        self._released = False
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Insights"))
        self.setAccessibleName(self.tr("Insights"))
        self.resize(1100, 800)

        last = today or date.today()
        self.date_from = self._date_edit(last - timedelta(days=DEFAULT_DAYS - 1), self.tr("From date"))
        self.date_to = self._date_edit(last, self.tr("To date"))
        self.agent = QComboBox()
        self.agent.setAccessibleName(self.tr("Agent"))
        self.agent.addItem(self.tr("All agents"), None)
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        self.channel.addItem(self.tr("All channels"), None)
        for channel in Channel:
            self.channel.addItem(channel_name(channel.value), channel.value)

        self.refresh_action = self._action(self.tr("&Refresh"), QKeySequence("F5"), self.refresh)
        self.csv_action = self._action(self.tr("Export &CSV…"), QKeySequence("Ctrl+E"), self.ask_csv)
        self.png_action = self._action(self.tr("Export &image (PNG)…"), QKeySequence("Ctrl+Shift+E"), self.ask_png)
        self.pdf_action = self._action(self.tr("Export &PDF…"), QKeySequence("Ctrl+P"), self.ask_pdf)
        self.measure_action = self._action(
            self.tr("&Measure older approvals"), QKeySequence("Ctrl+M"), self.measure_older
        )
        self.close_action = self._action(self.tr("&Close"), QKeySequence("Ctrl+W"), self.close)
        menu = self.menuBar().addMenu(self.tr("&Insights"))
        for action in (self.refresh_action, self.measure_action):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.csv_action, self.png_action, self.pdf_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.close_action)

        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("&From:"), self.date_from),
            (self.tr("&To:"), self.date_to),
            (self.tr("&Agent:"), self.agent),
            (self.tr("C&hannel:"), self.channel),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addStretch(1)
        for action in (self.refresh_action, self.csv_action, self.png_action, self.pdf_action):
            filters.addWidget(self._button(action))

        self.summary = plain_label(self.tr("Summary"))
        self.message = plain_label(self.tr("Status"))
        self.measure_button = self._button(self.measure_action)
        self.measure_button.hide()
        notes = QHBoxLayout()
        notes.addWidget(self.message, 1)
        notes.addWidget(self.measure_button)

        self.per_day = self._chart_view(self.tr("Approvals per day"))
        self.intensity = self._chart_view(self.tr("Edit intensity (how much of each AI draft was changed)"))
        self.by_agent = self._chart_view(self.tr("AI acceptance per agent (approved with less than 10% edited)"))
        self.by_channel = self._chart_view(self.tr("AI acceptance per channel"))
        self.findings = self._chart_view(self.tr("Top findings: fixed before approval or approved over"))
        self.overrides = self._chart_view(self.tr("Top overrides: who approved over which finding"))
        self.escalation_view = self._chart_view(self.tr("Escalations: time to first approval"))
        self.empathy = self._chart_view(self.tr("Empathy added by people"))
        self.charts: dict[str, QChartView] = {
            "per_day": self.per_day,
            "intensity": self.intensity,
            "by_agent": self.by_agent,
            "by_channel": self.by_channel,
            "findings": self.findings,
            "overrides": self.overrides,
            "escalations": self.escalation_view,
            "empathy": self.empathy,
        }

        self.typing_wpm = self._speed(Assumptions().typing_wpm, self.tr("Typing speed, words per minute"))
        self.reading_wpm = self._speed(Assumptions().reading_wpm, self.tr("Reading speed, words per minute"))
        self.value_text = plain_label(self.tr("AI value"))
        value_box = QGroupBox(self.tr("AI value: drafting time saved (an estimate)"))
        value_form = QFormLayout()
        value_form.addRow(self.tr("T&yping speed (words/min):"), self.typing_wpm)
        value_form.addRow(self.tr("R&eading speed (words/min):"), self.reading_wpm)
        value_layout = QVBoxLayout(value_box)
        value_layout.addLayout(value_form)
        value_layout.addWidget(self.value_text)

        self.panel = QWidget()
        self.panel.setAccessibleName(self.tr("Charts"))
        grid = QGridLayout(self.panel)
        for i, view in enumerate(self.charts.values()):
            grid.addWidget(view, i // 2, i % 2)
        grid.addWidget(value_box, len(self.charts) // 2 + 1, 0, 1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.panel)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addLayout(notes)
        layout.addWidget(scroll, 1)
        self.setCentralWidget(central)
        self._apply_theme()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_AFTER_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._refresh_timer.start)
        for combo in (self.agent, self.channel):
            combo.currentIndexChanged.connect(self._refresh_timer.start)
        for spin in (self.typing_wpm, self.reading_wpm):
            spin.valueChanged.connect(self._show_value)
        self._run(_agents, self.db, on_done=self._agents_loaded, on_error=self._failed)
        self.refresh()

    # -- building blocks ---------------------------------------------------------------------------------

    def _action(self, text: str, key: QKeySequence, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(key)
        action.setToolTip(f"{text.replace('&', '')} ({key.toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text())
        button.setAccessibleName(action.text().replace("&", ""))
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return button

    def _date_edit(self, value: date, name: str) -> QDateEdit:
        edit = QDateEdit(QDate(value.year, value.month, value.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        return edit

    def _speed(self, value: float, name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(1.0, 2000.0)
        spin.setDecimals(0)
        spin.setValue(value)
        spin.setAccessibleName(name)
        return spin

    def _chart_view(self, title: str) -> QChartView:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(CHART_HEIGHT)
        view.setAccessibleName(title)
        view.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return view

    def _run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run `fn` in a worker; its callbacks are skipped once the window is closing, and the last one closes the database."""
        self._in_flight += 1

        def settle(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def done(value: Any) -> None:
                self._in_flight -= 1
                if self._closing:
                    self._finish_close()
                else:
                    callback(value)

            return done

        self.background.run(fn, *args, on_done=settle(on_done), on_error=settle(on_error))

    # -- theme ------------------------------------------------------------------------------------------

    def _apply_theme(self) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        theme = QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
        for view in self.charts.values():
            view.chart().setTheme(theme)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_theme()
        super().changeEvent(event)

    # -- filter and refresh --------------------------------------------------------------------------------

    def current_filter(self) -> InsightFilter:
        """The filter the widgets describe; ValueError when the range runs backwards."""
        return InsightFilter(
            self.date_from.date().toPython(),  # type: ignore[arg-type]  # QDate.toPython gives a date
            self.date_to.date().toPython(),  # type: ignore[arg-type]  # QDate.toPython gives a date
            agent=self.agent.currentData(),
            channel=self.channel.currentData(),
            utc_offset=local_offset(),
        )

    def assumptions(self) -> Assumptions:
        return Assumptions(typing_wpm=self.typing_wpm.value(), reading_wpm=self.reading_wpm.value())

    def refresh(self) -> None:
        """Reload every figure for the current filter, in a worker; a newer refresh wins."""
        self._refresh_timer.stop()
        try:
            f = self.current_filter()
        except ValueError:
            # Nothing is lost: the charts keep the last range until the dates make sense again.
            self.message.setText(self.tr("The “From” date is after the “To” date: pick a range that runs forwards."))
            return
        self._generation += 1
        generation = self._generation
        self.message.setText(self.tr("Loading…"))
        self._run(
            load_dashboard,
            self.db,
            f,
            self.assumptions(),
            on_done=lambda d: self._loaded(generation, d),
            on_error=self._failed,
        )

    def _agents_loaded(self, names: list[str]) -> None:
        for name in names:
            if self.agent.findData(name) < 0:
                self.agent.addItem(name, name)

    def _loaded(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self._generation:
            return  # the filter has moved on since
        self.dashboard = dashboard
        self.message.clear()
        self._show(dashboard)
        self.refreshed.emit()

    def _failed(self, error: BaseException) -> None:
        line = _first_line(error)
        self.message.setText(self.tr("Could not load the insights: {error}").format(error=line))
        self.failed.emit(line)

    # -- showing a dashboard -------------------------------------------------------------------------------

    def duration(self, seconds: float | None) -> str:
        """A duration for people: minutes, hours or days."""
        if seconds is None:
            return self.tr("n/a")
        if seconds < 3600:
            return self.tr("{n} min").format(n=round(seconds / 60))
        if seconds < 2 * 86400:
            return self.tr("{n} h").format(n=decimal(seconds / 3600))
        return self.tr("{n} days").format(n=decimal(seconds / 86400))

    def percent(self, share: float | None) -> str:
        return self.tr("n/a") if share is None else self.tr("{n}%").format(n=decimal(share * 100, 0))

    def _show(self, d: Dashboard) -> None:
        self.summary.setText(
            self.tr(
                "{approvals} approvals · median time to approve {median} · AI acceptance {acceptance} · "
                "{escalations} escalations, median handling {handling}"
            ).format(
                approvals=d.approvals,
                median=self.duration(d.median_to_approve_s),
                acceptance=self.percent(d.acceptance),
                escalations=d.escalations.total,
                handling=self.duration(d.escalations.median_to_approval_s),
            )
        )
        if d.unmeasured:
            self.message.setText(
                self.tr(
                    "{n} approvals in this range were given before edit metrics were kept; "
                    "edit figures leave them out until they are measured."
                ).format(n=d.unmeasured)
            )
        self.measure_button.setVisible(d.unmeasured > 0)
        self._show_per_day(d)
        self._bars(
            self.intensity,
            self.tr("Approvals"),
            [(f"{b.low:.0f}", b.count) for b in d.intensity],
            axis_title=self.tr("% of the draft changed (bands of 10)"),
        )
        unknown = self.tr("(no author)")
        self._bars(
            self.by_agent,
            self.tr("Accepted, %"),
            [(a.key or unknown, round((a.share or 0.0) * 100, 1)) for a in d.by_agent if a.measured],
            maximum=100.0,
        )
        self._bars(
            self.by_channel,
            self.tr("Accepted, %"),
            [(channel_name(a.key), round((a.share or 0.0) * 100, 1)) for a in d.by_channel if a.measured],
            maximum=100.0,
        )
        self._show_findings(d)
        self._bars(
            self.overrides,
            self.tr("Overrides"),
            [(f"{o.code} · {o.approver}", o.count) for o in reversed(d.overrides)],
            horizontal=True,
        )
        labels = [
            self.tr("0–1 h"),
            self.tr("1–4 h"),
            self.tr("4–24 h"),
            self.tr("1–3 d"),
            self.tr("3+ d"),
        ]
        self._bars(
            self.escalation_view,
            self.tr("Escalated items"),
            [*zip(labels, d.escalations.buckets, strict=True), (self.tr("waiting"), d.escalations.waiting)],
        )
        kinds = {
            "acknowledgement": self.tr("acknowledgement"),
            "apology": self.tr("apology"),
            "name": self.tr("name"),
            "personal_reference": self.tr("personal reference"),
        }
        self.empathy.chart().setTitle(
            self.tr("Empathy added by people: {share} of measured approvals").format(
                share=self.percent(d.empathy.share)
            )
        )
        self._bars(self.empathy, self.tr("Approvals"), [(kinds.get(k, k), n) for k, n in d.empathy.by_kind])
        self._show_value()

    def _clear(self, chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _attach(self, chart: QChart, series: Any, x: QAbstractAxis, y: QAbstractAxis) -> None:
        chart.addSeries(series)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def _describe(self, view: QChartView, points: Iterable[tuple[str, float]]) -> None:
        listed = "; ".join(f"{label}: {value:g}" for label, value in points)
        view.setAccessibleDescription(listed or self.tr("No data in this range."))

    def _show_per_day(self, d: Dashboard) -> None:
        chart = self.per_day.chart()
        self._clear(chart)
        series = QLineSeries()
        series.setName(self.tr("Approvals"))
        for day in d.per_day:
            series.append(_utc_ms(day.day, hour=12), float(day.approvals))
        x = QDateTimeAxis()
        x.setFormat("dd MMM")
        x.setTickCount(min(8, max(2, len(d.per_day))))
        first, last = d.filter.date_from, d.filter.date_to
        x.setRange(
            QDateTime.fromMSecsSinceEpoch(int(_utc_ms(first, hour=0)), QTimeZone.utc()),
            QDateTime.fromMSecsSinceEpoch(int(_utc_ms(last, hour=24)), QTimeZone.utc()),
        )
        y = QValueAxis()
        _count_axis(y, max([1, *(day.approvals for day in d.per_day)]))
        self._attach(chart, series, x, y)
        self._describe(self.per_day, [(day.day.isoformat(), day.approvals) for day in d.per_day if day.approvals])

    def _bars(
        self,
        view: QChartView,
        name: str,
        points: Sequence[tuple[str, float]],
        *,
        maximum: float | None = None,
        horizontal: bool = False,
        axis_title: str = "",
    ) -> None:
        chart = view.chart()
        self._clear(chart)
        bars = QBarSet(name)
        for _, value in points:
            bars.append(float(value))
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        categories = QBarCategoryAxis()
        categories.append([_label(label) for label, _ in points] or [self.tr("none")])
        categories.setTitleText(axis_title)
        values = QValueAxis()
        if maximum is None:
            _count_axis(values, max([1, *(int(v) for _, v in points)]))
        else:
            values.setRange(0, maximum)
            values.setTickCount(5)
            values.setLabelFormat("%d")  # 0, 25, 50, 75, 100 rather than 0.0 … 100.0
        if horizontal:
            self._attach(chart, series, values, categories)
        else:
            self._attach(chart, series, categories, values)
        self._describe(view, points)

    def _show_findings(self, d: Dashboard) -> None:
        chart = self.findings.chart()
        self._clear(chart)
        shown = list(reversed(d.findings))  # horizontal bars are drawn bottom up: put the most frequent on top
        fixed = QBarSet(self.tr("Fixed before approval"))
        over = QBarSet(self.tr("Approved over"))
        for c in shown:
            fixed.append(float(c.resolved))
            over.append(float(c.overridden))
        series = QHorizontalStackedBarSeries()
        series.append(fixed)
        series.append(over)
        categories = QBarCategoryAxis()
        categories.append([_label(c.code) for c in shown] or [self.tr("none")])
        values = QValueAxis()
        _count_axis(values, max([1, *(c.total for c in shown)]))
        self._attach(chart, series, values, categories)
        chart.legend().setVisible(bool(shown))
        self._describe(
            self.findings,
            [(f"{c.code} {self.tr('fixed')}", c.resolved) for c in d.findings]
            + [(f"{c.code} {self.tr('approved over')}", c.overridden) for c in d.findings],
        )

    def value_lines(self) -> list[str]:
        """The AI value panel as plain lines: the estimate, then every assumption it rests on."""
        if self.dashboard is None:
            return []
        d = self.dashboard
        try:
            assumptions = self.assumptions()
        except ValueError:
            assumptions = d.assumptions
        value = replace(d, assumptions=assumptions).value
        per_draft = value.minutes_saved_per_draft
        return [
            self.tr("Estimated drafting time saved: {saved} min over {n} approved drafts ({each} per draft).").format(
                saved=decimal(value.minutes_saved, 0),
                n=value.drafts,
                each=self.tr("n/a") if per_draft is None else self.tr("{m} min").format(m=decimal(per_draft)),
            ),
            self.tr("Writing them from scratch: {a} min. Reading and editing the AI drafts: {b} min.").format(
                a=decimal(value.minutes_from_scratch, 0), b=decimal(value.minutes_with_ai, 0)
            ),
            self.tr("Assumptions:"),
            self.tr("• typing speed {wpm:g} words per minute; reading speed {rpm:g} words per minute;").format(
                wpm=assumptions.typing_wpm, rpm=assumptions.reading_wpm
            ),
            self.tr("• from scratch = typing every word that was sent;"),
            self.tr(
                "• with AI = reading the AI draft once, then typing each changed word (edit % of the longer text);"
            ),
            self.tr("• thinking time is the same either way and left out of both;"),
            self.tr(
                "• only approved drafts with edit metrics count ({n} without metrics are left out); "
                "drafts never approved are not counted, so the time spent on them is not subtracted."
            ).format(n=d.unmeasured),
            self.tr("A negative figure means editing the AI drafts took longer than writing would have."),
        ]

    def _show_value(self) -> None:
        self.value_text.setText("\n".join(self.value_lines()))

    # -- measuring older approvals ---------------------------------------------------------------------------

    def measure_older(self) -> None:
        """Ctrl+M: record edit metrics for approvals given before metrics were kept, then refresh."""
        if self.dashboard is None or not self.dashboard.unmeasured:
            self.message.setText(self.tr("Every approval in this range is measured."))
            return
        self.measure_action.setEnabled(False)
        self.message.setText(self.tr("Measuring older approvals…"))
        self._run(self._measure, on_done=self._measured, on_error=self._measure_failed)

    def _measure(self) -> int:
        return measure_unmeasured(self.db, actor=self.user)

    def _measured(self, count: int) -> None:
        self.measure_action.setEnabled(True)
        self.message.setText(self.tr("Measured {n} older approvals.").format(n=count))
        self.refresh()

    def _measure_failed(self, error: BaseException) -> None:
        self.measure_action.setEnabled(True)
        self._failed(error)

    # -- exports ------------------------------------------------------------------------------------------

    def _default_name(self, suffix: str) -> str:
        f = self.dashboard.filter if self.dashboard else None
        span = f"{f.date_from.isoformat()}_{f.date_to.isoformat()}" if f else "insights"
        return f"latido-insights-{span}.{suffix}"

    def _ask(self, title: str, name_filter: str, suffix: str, then: Callable[[str], None]) -> None:
        if self.dashboard is None:
            self.message.setText(self.tr("Nothing to export yet: the figures are still loading."))
            return
        dialog = QFileDialog(self, title)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(self._default_name(suffix))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(then)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None

    def ask_csv(self) -> None:
        """Ctrl+E: ask where, then write every series as CSV."""
        self._ask(self.tr("Export insights as CSV"), self.tr("CSV files (*.csv)"), "csv", self.export_csv)

    def ask_png(self) -> None:
        """Ctrl+Shift+E: ask where, then save the charts as one PNG image."""
        self._ask(self.tr("Export charts as an image"), self.tr("PNG images (*.png)"), "png", self.export_png)

    def ask_pdf(self) -> None:
        """Ctrl+P: ask where, then write the summary and every chart to a PDF."""
        self._ask(self.tr("Export insights as PDF"), self.tr("PDF files (*.pdf)"), "pdf", self.export_pdf)

    def _export_failed(self, path: str, reason: str) -> None:
        line = self.tr("Could not write {path}: {reason}").format(path=path, reason=reason)
        self.message.setText(line)
        self.failed.emit(line)

    def _exported(self, path: str) -> None:
        self.message.setText(self.tr("Saved {path}").format(path=path))
        self.exported.emit(path)

    def export_csv(self, path: str) -> None:
        """Write every series of the dashboard on screen to `path`, in a worker."""
        if self.dashboard is None:
            return
        rows = list(export_rows(replace(self.dashboard, assumptions=self.assumptions())))
        self._run(
            _write_csv,
            path,
            rows,
            on_done=self._exported,
            on_error=lambda error: self._export_failed(path, _first_line(error)),
        )

    def export_png(self, path: str) -> None:
        """Save every chart and the AI value panel, as on screen, to `path`."""
        image = self.panel.grab()
        if image.isNull() or not image.save(path, "PNG"):
            self._export_failed(path, self.tr("the image could not be saved there"))
            return
        self._exported(path)

    def export_pdf(self, path: str) -> None:
        """Write the filter, the summary, the AI value panel with its assumptions, and every chart to `path`."""
        if self.dashboard is None:
            return
        if not Path(path).parent.is_dir():
            self._export_failed(path, self.tr("the folder does not exist"))
            return
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(150)
        writer.setTitle(self.tr("Latido insights"))
        writer.setCreator("Latido")
        painter = QPainter()
        if not painter.begin(writer):
            self._export_failed(path, self.tr("the PDF could not be written there"))
            return
        try:
            self._paint_pdf(painter, writer, self.dashboard.filter)
        finally:
            painter.end()
        self._exported(path)

    def _paint_pdf(self, painter: QPainter, writer: QPdfWriter, f: InsightFilter) -> None:
        page = QRect(0, 0, writer.width(), writer.height())
        heading = [
            self.tr("Latido insights, {start} to {end}").format(
                start=f.date_from.isoformat(), end=f.date_to.isoformat()
            ),
            self.tr("Agent: {agent} · Channel: {channel}").format(
                agent=f.agent or self.tr("all"), channel=channel_name(f.channel) if f.channel else self.tr("all")
            ),
            "",
            self.summary.text(),
            "",
            *self.value_lines(),
        ]
        # drawText with a plain string never reads markup.
        text_rect = painter.boundingRect(page, int(Qt.TextFlag.TextWordWrap), "\n".join(heading))
        painter.drawText(page, int(Qt.TextFlag.TextWordWrap), "\n".join(heading))
        top = text_rect.height() + 40
        gap = 30
        slot = (page.height() - 2 * gap) // 2
        for view in self.charts.values():
            if top + slot > page.height():
                writer.newPage()
                top = 0
            pixmap = view.grab()
            scaled = pixmap.size().scaled(QSize(page.width(), slot), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawPixmap(QRect(0, top, scaled.width(), scaled.height()), pixmap)
            top += slot + gap

    # -- closing -----------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self._refresh_timer.stop()
        # No quit_all(): a query cannot be interrupted, and an aborted worker would never report back,
        # so the database would never be released. Each result is dropped as it arrives instead.
        super().closeEvent(event)
        self._finish_close()

    def _finish_close(self) -> None:
        """Once closed and no worker still uses it, release the database and the window."""
        if self._closing and self._in_flight == 0 and not self._released:
            self._released = True
            self.db.dispose()
            self.deleteLater()


def open_insights(parent: QWidget | None, *, database_url: str | None, user: str) -> InsightsWindow:
    """Open the insights window on the workspace at `database_url` (None: the default one) for `user`."""
    window = InsightsWindow(Database(database_url), user, parent)
    window.setWindowFlag(Qt.WindowType.Window)
    window.show()
    return window
