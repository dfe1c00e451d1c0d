"""Opening the window loads only what the first inbox page needs; the rest is imported when it is first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.inbox import CHANNEL_NAMES, STATUS_NAMES, InboxFilterBar
from storage.database import Database
from storage.models import Channel, ItemStatus
from storage.revisions import newest_file_revision

ROOT = Path(__file__).resolve().parents[2]
NOT_AT_START = ("alembic", "openai", "keyring", "py3langid", "imaplib", "smtplib")

# `latido` as desktop.cli.main and desktop.app.run_app start it, reporting what is imported once the
# first inbox page is on screen (the moment bench/bench_desktop.py times).
CHILD = """
import os, sys
from desktop.cli import _window_options
args = _window_options(sys.argv[1:])
from desktop.app import open_main_window
app, window = open_main_window(database_url=args.database_url, lang=args.lang)
def ready():
    window.inbox.loaded.disconnect(ready)
    print("READY", len(window.inbox.rows), ",".join(sorted(m for m in sys.modules if "." not in m)), flush=True)
    os._exit(0)
window.inbox.loaded.connect(ready)
app.exec()
"""


def _run(script: str, *args: str, home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LATIDO_")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "LATIDO_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_first_inbox_page_needs_no_migration_tool_model_client_or_keyring(demo_url: str, tmp_path: Path) -> None:
    out = _run(CHILD, "--database-url", demo_url, home=tmp_path / "home")
    word, rows, modules = out.split()
    assert word == "READY" and int(rows) > 0
    loaded = set(modules.split(","))
    assert loaded.isdisjoint(NOT_AT_START), sorted(loaded & set(NOT_AT_START))


def test_an_up_to_date_database_opens_without_alembic(demo_url: str, tmp_path: Path) -> None:
    script = (
        "import sys\nfrom storage.database import open_database\n"
        "db = open_database(sys.argv[1])\nprint('alembic' in sys.modules)\ndb.dispose()\n"
    )
    assert _run(script, demo_url, home=tmp_path / "home").split() == ["False"]


def test_the_quick_revision_check_agrees_with_alembic(demo_url: str) -> None:
    db = Database(demo_url)
    try:
        assert newest_file_revision() == db.head_revision()
        assert db._stamped_revision() == db.current_revision()
        assert not db.needs_upgrade()
    finally:
        db.dispose()


def test_filters_offer_every_answerable_channel_and_every_status(qtbot: QtBot) -> None:
    # The inbox names channels and statuses without importing the models (storage.models is slow to import).
    assert list(CHANNEL_NAMES) == [c.value for c in Channel]
    assert list(STATUS_NAMES) == [s.value for s in ItemStatus]
    bar = InboxFilterBar()
    qtbot.addWidget(bar)
    channels = [bar.channel.itemData(i) for i in range(bar.channel.count())]
    statuses = [bar.status.itemData(i) for i in range(bar.status.count())]
    assert channels == [None] + [c.value for c in Channel if c not in (Channel.CALL, Channel.NOTE)]
    assert statuses == [None] + [s.value for s in ItemStatus]


def test_the_rewrite_menu_offers_every_rewrite_in_order() -> None:
    # The editor names the rewrites without importing drafting.drafts (slow: the models) when it is built.
    from desktop.draft_editor import REWRITE_OPS
    from drafting.drafts import REWRITES

    assert REWRITE_OPS == REWRITES
