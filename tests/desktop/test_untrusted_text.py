"""Untrusted text stays text: hostile customer names, messages and drafts show literally and fetch nothing.

Each payload from tests/data/untrusted_payloads.jsonl becomes a customer's
name, the message they sent (and an earlier reply in their history), and the
text of a draft for it. The window then shows every one of those items, and
the approval dialog shows every draft. A loopback listener stands where the
payloads' images, style sheets and links point: it must hear nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.approval_dialog import ApprovalDialog, load_approval_view
from desktop.main_window import MainWindow
from drafting.approval import latest_revision
from drafting.checks.placeholders import PLACEHOLDER
from drafting.composer import OfflineComposer
from drafting.drafts import generate_draft, revise_draft
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Customer, Interaction, WorkItem, utcnow
from storage.timeline import SNIPPET_CHARS

PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "untrusted_payloads.jsonl"
AUTHOR = "marta"  # a demo agent


class _Listener(ThreadingHTTPServer):
    """Counts every connection to it, whatever was sent, and answers 404."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[str] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(BaseHTTPRequestHandler):
    server: _Listener

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.requests.append(f"connection from {self.client_address[0]}")

    def _answer(self) -> None:
        with self.server.lock:
            self.server.requests.append(self.path)
        self.send_error(404)

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener()
    thread = threading.Thread(target=server.serve_forever, name="untrusted-listener", daemon=True)
    thread.start()
    # The listener must be able to hear a fetch, or hearing nothing proves nothing.
    with pytest.raises(OSError, match="404"):
        urlopen(f"http://127.0.0.1:{server.port}/probe", timeout=5)
    assert "/probe" in server.requests
    server.requests.clear()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def load_payloads(port: int) -> list[str]:
    rows = [json.loads(line) for line in PAYLOADS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(row["text"]).replace("{PORT}", str(port)) for row in rows]


@dataclass(frozen=True)
class Planted:
    item_id: int
    draft_id: int
    text: str
    subject: str


def plant(url: str, payloads: list[str]) -> list[Planted]:
    """Seed the demo, then one customer, message, past reply, work item and draft per payload."""
    db = Database(url)
    db.upgrade(backup=False)
    seed_demo(db)
    now = utcnow()
    ids: list[tuple[int, str]] = []
    with db.write() as s:
        for i, text in enumerate(payloads):
            channel = "email" if i % 2 else "comment"
            customer = Customer(customer_id=f"untrusted-{i}", name=text, language=("en", "es")[i % 2])
            s.add(customer)
            s.flush()
            assert customer.id is not None
            s.add(
                Interaction(
                    source_id=f"untrusted-out-{i}",
                    customer_id=customer.id,
                    channel=channel,
                    direction="out",
                    occurred_at=now - timedelta(days=3, seconds=i),
                    body=text,
                )
            )
            incoming = Interaction(
                source_id=f"untrusted-in-{i}",
                customer_id=customer.id,
                channel=channel,
                direction="in",
                occurred_at=now - timedelta(minutes=5, seconds=i),
                subject=text if channel == "email" else "",
                body=text,
            )
            s.add(incoming)
            s.flush()
            assert incoming.id is not None
            item = WorkItem(
                customer_id=customer.id,
                interaction_id=incoming.id,
                channel=channel,
                escalated=False,  # the offline composer leaves escalated items to a person
                received_at=now - timedelta(minutes=5, seconds=i),
            )
            s.add(item)
            s.flush()
            assert item.id is not None
            ids.append((item.id, text))
    planted = []
    for item_id, text in ids:
        first = generate_draft(db, item_id=item_id, provider=OfflineComposer(), author=AUTHOR)
        kept = revise_draft(db, draft_id=first.draft_id, body=text, author=AUTHOR)
        planted.append(Planted(item_id, kept.draft_id, text, kept.subject))
    db.dispose()
    return planted


def as_plain_text_edit_shows(text: str) -> str:
    """What QPlainTextEdit.toPlainText() gives back for `text`: Qt's documented plain-text conversions only."""
    return text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\u00a0", " ")


def snippet(text: str) -> str:
    """The inbox's one-line message column for a body."""
    one_line = " ".join(text[:SNIPPET_CHARS].split())
    return one_line + "…" if len(text) > SNIPPET_CHARS else one_line


def assert_labels_plain(root: QWidget, text: str) -> None:
    """A label showing untrusted text must show it as plain text; so must every tooltip."""
    for label in root.findChildren(QLabel):
        if text in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, (label.accessibleName(), text)
    for widget in [root, *root.findChildren(QWidget)]:
        assert text not in widget.toolTip(), (widget.accessibleName(), text)


@pytest.fixture
def planted(sqlite_url: str, listener: _Listener) -> list[Planted]:
    payloads = load_payloads(listener.port)
    assert len(payloads) >= 200
    assert len(set(payloads)) == len(payloads)
    return plant(sqlite_url, payloads)


def _open_window(qtbot: QtBot, url: str) -> MainWindow:
    win = MainWindow(database_url=url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.inbox.rowCount() > 0, timeout=15_000)
    while win.inbox.canFetchMore():
        with qtbot.waitSignal(win.inbox.loaded, timeout=15_000):
            win.inbox.fetchMore()
    return win


def _close_window(qtbot: QtBot, win: MainWindow) -> None:
    win.close()
    qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    if win.db is not None:
        win.db.dispose()


@pytest.fixture
def window(qtbot: QtBot, sqlite_url: str, planted: list[Planted]) -> Iterator[MainWindow]:
    win = _open_window(qtbot, sqlite_url)
    yield win
    _close_window(qtbot, win)


def test_untrusted_text_shows_literally_and_loads_nothing(
    qtbot: QtBot, sqlite_url: str, listener: _Listener, planted: list[Planted], window: MainWindow
) -> None:
    inbox = window.inbox

    # The inbox: every row's display text is the payload (the message column as its one-line snippet).
    for p in planted:
        row = inbox.row_of(p.item_id)
        assert row is not None, p.text
        assert inbox.index(row, 1).data() == p.text
        assert inbox.index(row, 3).data() == snippet(p.text)
        for column in range(inbox.columnCount()):
            assert p.text not in str(inbox.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or "")

    view = window.conversation
    editor = window.editor
    db = Database(sqlite_url)
    try:
        for p in planted:
            row = inbox.row_of(p.item_id)
            assert row is not None
            window.table.selectRow(row)
            qtbot.waitUntil(lambda p=p: editor.item_id == p.item_id, timeout=15_000)
            shown = as_plain_text_edit_shows(p.text)

            card = view.customer_card.text()
            assert card == p.text or card.startswith(p.text + "\n")
            assert view.message.toPlainText() == shown
            assert editor.editor.toPlainText() == shown
            history = [view.timeline_list.item(i).text() for i in range(view.timeline_list.count())]
            one_line = " ".join(p.text.split())[:220]
            assert sum(entry.endswith(one_line) for entry in history) >= 2, history  # the message and the reply
            assert view.timeline.toPlainText().count(one_line) >= 2
            assert view.context_text.toPlainText().startswith(shown)
            for match in PLACEHOLDER.finditer(p.text):
                # Checks quote the placeholder they found; the findings list shows that quote as typed.
                quote = match.group(0)
                qtbot.waitUntil(
                    lambda quote=quote: any(
                        quote in editor.findings.item(i).text() for i in range(editor.findings.count())
                    ),
                    timeout=5_000,
                )
                # The side panel draws each finding in its own row (with Apply): a plain-text label, quoted as typed.
                rows = [editor.findings.itemWidget(editor.findings.item(i)) for i in range(editor.findings.count())]
                labels = [row.findChild(QLabel) for row in rows if row is not None]
                assert any(label is not None and quote in label.text() for label in labels)
                assert all(label is None or label.textFormat() == Qt.TextFormat.PlainText for label in labels)
            window.grab()
            assert_labels_plain(window, p.text)

            approval = ApprovalDialog(load_approval_view(db, p.draft_id), window)
            approval.grab()
            sent = approval.findChild(QPlainTextEdit)
            assert sent is not None
            subject = f"Subject: {p.subject}\n\n" if p.subject else ""
            assert sent.toPlainText() == as_plain_text_edit_shows(subject + p.text)
            for box in approval.findChildren(QCheckBox):
                quote = box.text().removeprefix("“").removesuffix("”")
                assert quote in p.text
            assert_labels_plain(approval, p.text)
            approval.deleteLater()
            QApplication.processEvents()
    finally:
        db.dispose()

    assert listener.requests == []


def test_viewing_a_draft_changes_nothing(qtbot: QtBot, sqlite_url: str, listener: _Listener) -> None:
    texts = ["a\u00a0non\u00a0breaking", "line\u2028separator", "para\u2029separator", "plain"]
    planted = plant(sqlite_url, texts)
    win = _open_window(qtbot, sqlite_url)
    try:
        qtbot.waitUntil(lambda: win.editor.item_id is not None and bool(win.editor.user), timeout=15_000)
        for p in planted:
            row = win.inbox.row_of(p.item_id)
            assert row is not None
            win.table.selectRow(row)
            qtbot.waitUntil(lambda p=p: win.editor.item_id == p.item_id, timeout=15_000)
        qtbot.waitUntil(lambda: not win.background.busy, timeout=15_000)
    finally:
        _close_window(qtbot, win)
    db = Database(sqlite_url)
    try:
        with db.session() as s:
            kept = {p.text: latest_revision(s, draft_id=p.draft_id) for p in planted}
    finally:
        db.dispose()
    assert {text: (r.body if r else None) for text, r in kept.items()} == {text: text for text in texts}
