"""The insights window as a lead uses it on the demo workspace: filter, measure, read the charts, export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QXYSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from desktop.insights_view import DEFAULT_DAYS, InsightsWindow, open_insights

pytestmark = pytest.mark.timeout(90)

# The demo's ten answered messages were approved 118, 96, 81, 70, 55, 44, 33, 25, 12 and 6 days ago;
# leo wrote those of 96, 70, 55, 25 and 6 days ago.
IN_90_DAYS = 8
IN_A_YEAR = 10
LEOS_IN_A_YEAR = 5


@pytest.fixture
def window(qtbot: QtBot, demo_url: str) -> Iterator[InsightsWindow]:
    win = open_insights(None, database_url=demo_url, user="lucia")
    qtbot.waitUntil(lambda: win.dashboard is not None and win.agent.count() > 1, timeout=15_000)
    yield win
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    win.close()


def _line_total(view: QChartView) -> float:
    series = view.chart().series()[0]
    assert isinstance(series, QXYSeries)
    return sum(point.y() for point in series.points())


def _bar_total(view: QChartView) -> float:
    return sum(sum(bar_set.at(i) for i in range(bar_set.count())) for bar_set in view.chart().series()[0].barSets())


def _categories(view: QChartView) -> list[str]:
    axis = next(a for a in view.chart().axes() if isinstance(a, QBarCategoryAxis))
    return list(axis.categories())


def _save_as(qtbot: QtBot, win: InsightsWindow, key: Qt.Key, path: Path, modifiers: Qt.KeyboardModifier) -> str:
    """Press an export shortcut, paste the file name into the save dialog, press Enter; the written path."""
    win.activateWindow()  # back from the previous dialog: shortcuts go to the active window
    qtbot.waitUntil(win.isActiveWindow, timeout=5_000)
    qtbot.keyClick(win, key, modifiers)
    qtbot.waitUntil(lambda: win.file_dialog is not None and win.file_dialog.isVisible(), timeout=5_000)
    dialog = win.file_dialog
    assert dialog is not None
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    # Pasted rather than typed: typing opens the completer popup, which the offscreen platform cannot raise.
    name.setText(str(path))
    with qtbot.waitSignal(win.exported, timeout=15_000) as written:
        qtbot.keyClick(name, Qt.Key.Key_Return)
    return str(written.args[0])


def test_opens_on_the_last_90_days_and_follows_the_date_range(qtbot: QtBot, window: InsightsWindow) -> None:
    per_day = window.per_day.chart().series()[0]
    assert isinstance(per_day, QXYSeries)
    assert per_day.count() == DEFAULT_DAYS
    assert _line_total(window.per_day) == IN_90_DAYS
    assert "8 approvals" in window.summary.text()

    # A year further back: the year section of "From" is the one under the cursor.
    window.date_from.setFocus()
    with qtbot.waitSignal(window.refreshed, timeout=15_000):
        qtbot.keyClick(window.date_from, Qt.Key.Key_Down)
    assert _line_total(window.per_day) == IN_A_YEAR
    assert window.per_day.chart().series()[0].count() == DEFAULT_DAYS + 365

    # Only leo's approvals: the next agent in the list after "All agents".
    window.agent.setFocus()
    with qtbot.waitSignal(window.refreshed, timeout=15_000):
        qtbot.keyClick(window.agent, Qt.Key.Key_Down)
    assert window.agent.currentData() == "leo"
    assert _line_total(window.per_day) == LEOS_IN_A_YEAR
    assert f"{LEOS_IN_A_YEAR} approvals" in window.summary.text()


def test_measuring_older_approvals_fills_the_edit_charts(qtbot: QtBot, window: InsightsWindow) -> None:
    # The demo's approvals predate edit metrics: counted, but not measured.
    assert window.dashboard is not None and window.dashboard.unmeasured == IN_90_DAYS
    assert window.measure_button.isVisible()
    assert _bar_total(window.intensity) == 0
    assert _categories(window.by_agent) == ["none"]

    with qtbot.waitSignal(window.refreshed, timeout=30_000):
        qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.dashboard.unmeasured == 0
    assert not window.measure_button.isVisible()
    assert _bar_total(window.intensity) == IN_90_DAYS
    assert sorted(_categories(window.by_agent)) == ["leo", "marta"]
    # Empathy: the title says the share, the bars count each kind the people added.
    assert "%" in window.empathy.chart().title()
    assert _bar_total(window.empathy) >= 1
    assert "leo" in window.by_agent.accessibleDescription()


def test_ai_value_states_its_assumptions_and_follows_them(qtbot: QtBot, window: InsightsWindow) -> None:
    text = window.value_text.text()
    assert "typing speed 40 words per minute" in text
    assert "reading speed 230 words per minute" in text
    assert "thinking time" in text
    window.typing_wpm.setFocus()
    window.typing_wpm.selectAll()
    qtbot.keyClicks(window.typing_wpm, "60")
    qtbot.waitUntil(lambda: "typing speed 60 words per minute" in window.value_text.text(), timeout=5_000)
    assert window.value_text.text() != text


def test_exports_csv_png_and_pdf(qtbot: QtBot, window: InsightsWindow, tmp_path: Path) -> None:
    written = _save_as(qtbot, window, Qt.Key.Key_E, tmp_path / "insights.csv", Qt.KeyboardModifier.ControlModifier)
    with open(written, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["series", "category", "measure", "value"]
    per_day = [r for r in rows if r[0] == "approvals_per_day"]
    assert len(per_day) == DEFAULT_DAYS
    assert sum(int(r[3]) for r in per_day) == IN_90_DAYS
    assert ["summary", "approvals", "count", str(IN_90_DAYS)] in rows
    assert ["assumption", "typing_speed", "words/min", "40"] in rows
    assert any(r[0] == "ai_value" and r[1] == "saved" for r in rows)
    assert any(r[0] == "escalations" and r[1] == "received" for r in rows)

    png = _save_as(
        qtbot,
        window,
        Qt.Key.Key_E,
        tmp_path / "insights.png",
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    image = QImage(png)
    assert not image.isNull()
    assert image.width() > 400 and image.height() > 400

    pdf = _save_as(qtbot, window, Qt.Key.Key_P, tmp_path / "insights.pdf", Qt.KeyboardModifier.ControlModifier)
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    document = QPdfDocument()
    assert document.load(pdf) == QPdfDocument.Error.None_
    assert document.pageCount() >= 2  # the summary page, then the charts
    first_page = document.getAllText(0).text()
    assert f"{IN_90_DAYS} approvals" in first_page
    assert "typing speed 40 words per minute" in first_page
    document.close()


def test_an_export_that_cannot_be_written_says_so(qtbot: QtBot, window: InsightsWindow, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "insights.pdf"
    with qtbot.waitSignal(window.failed, timeout=5_000) as failure:
        window.export_pdf(str(target))
    assert "Could not write" in failure.args[0]
    assert "\n" not in failure.args[0]
    assert not target.exists()


def test_a_backwards_range_is_refused_and_keeps_the_charts(qtbot: QtBot, window: InsightsWindow) -> None:
    before = window.dashboard
    window.date_to.setFocus()
    qtbot.keyClick(window.date_to, Qt.Key.Key_Down)  # "To" a year back: before "From"
    qtbot.waitUntil(lambda: "after" in window.message.text(), timeout=5_000)
    assert window.dashboard is before
    assert _line_total(window.per_day) == IN_90_DAYS


def test_follows_a_dark_palette_and_names_every_chart(window: InsightsWindow) -> None:
    assert all(v.chart().theme() == QChart.ChartTheme.ChartThemeLight for v in window.charts.values())
    dark = QPalette(window.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    window.setPalette(dark)
    assert all(v.chart().theme() == QChart.ChartTheme.ChartThemeDark for v in window.charts.values())
    for view in window.charts.values():
        assert view.accessibleName()
        assert view.accessibleDescription()
    for action in (window.refresh_action, window.csv_action, window.png_action, window.pdf_action):
        assert not action.shortcut().isEmpty()


def test_closing_while_loading_waits_for_the_worker_then_goes(qtbot: QtBot, demo_url: str) -> None:
    win = open_insights(None, database_url=demo_url, user="lucia")
    assert win.background.busy  # the first refresh is running
    with qtbot.waitSignal(win.destroyed, timeout=15_000):
        win.close()


def test_the_days_are_this_computers_calendar_days(window: InsightsWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import timedelta

    try:
        monkeypatch.setenv("TZ", "BRT3")  # POSIX: three hours behind UTC, no daylight saving (no tz database needed)
        time.tzset()
        assert window.current_filter().utc_offset == timedelta(hours=-3)
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        assert window.current_filter().utc_offset == timedelta(0)
    finally:
        monkeypatch.undo()
        time.tzset()
