"""Outreach in the window: 500 drafts written behind a progress bar, then the review queue, with the event loop free.

On the same 500-customer workspace as `bench_outreach`:

- baseline: `draft_batch` called directly (no window) for one batch;
- ours: the batch builder's drafting widget drafts a second batch in its
  worker while a 10 ms timer on the GUI thread records the gaps between ticks;
- the review queue then opens on that batch (every draft with its findings
  loaded in a worker), moves to the next message (J) and shows its checks.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

from bench.bench_desktop import TARGET_GAP_S, _Probe, _wait
from bench.bench_outreach import BRIEF, CUSTOMERS, NOW, _seed
from bench.harness import Figure
from drafting.outreach import Brief, create_batch, draft_batch
from storage.database import Database

TARGET_DRAFT_S = 30.0


def _in_window(url: str, ids: list[int]) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from desktop.background import Background
    from desktop.outreach_progress import DraftingProgress
    from desktop.outreach_review import ReviewQueue

    found: dict[str, float] = {}
    db = Database(url)
    background = Background()
    progress = DraftingProgress(background)
    progress.show()
    probe = _Probe()
    probe.start()
    start = time.perf_counter()
    progress.start(db, author="marta", brief=Brief("announcement", BRIEF), customers=ids)
    found["drafted"] = _wait(lambda: progress.result is not None, "the batch drafted in the window")
    found["draft_gap"] = probe.stop()
    found["drafted_wall"] = time.perf_counter() - start
    assert progress.result is not None and progress.result.done == len(ids), progress.status.text()
    assert progress.batch_id is not None
    _wait(lambda: not background.busy, "the drafting worker to end")

    probe.start()
    queue = ReviewQueue(url, "marta", progress.batch_id)
    queue.show()
    found["queue_opened"] = _wait(
        lambda: queue.current is not None and bool(queue.current.checked) and not queue.busy, "the first message"
    )
    found["queue_gap"] = probe.stop()
    queue.activateWindow()
    queue.setFocus()
    probe.start()
    start = time.perf_counter()
    QTest.keyClick(queue, Qt.Key.Key_J)
    found["next_shown"] = _wait(
        lambda: queue.index == 1 and bool(queue.current and queue.current.checked) and not queue.busy,
        "the next message",
    )
    found["next_gap"] = probe.stop()
    queue.close()
    _wait(lambda: not queue.background.busy, "the queue's workers to end")
    progress.close()
    db.dispose()
    return found


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="latido-bench-outreach-ui-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        db = Database(url)
        db.upgrade(backup=False)
        ids = _seed(db)
        baseline_batch = create_batch(db, author="marta", brief=Brief("announcement", BRIEF), customers=ids)
        start = time.perf_counter()
        draft_batch(db, batch_id=baseline_batch, now=NOW)
        baseline = time.perf_counter() - start
        db.dispose()

        saved = {k: os.environ.get(k) for k in ("QT_QPA_PLATFORM", "LATIDO_HOME")}
        os.environ["QT_QPA_PLATFORM"] = saved["QT_QPA_PLATFORM"] or "offscreen"
        os.environ["LATIDO_HOME"] = str(Path(tmp) / "home")
        try:
            from desktop.app import make_application, tune_interpreter

            app = make_application()
            # As in the app (desktop.app.open_main_window): its GC and GIL settings, and what the warmed-up window
            # has imported frozen out of full collections, so a worker's collection does not stall the loop.
            import desktop.outreach_batch
            import desktop.outreach_review  # noqa: F401  # reason: imported before the freeze, as the app does

            restore = tune_interpreter()
            gc.freeze()
            try:
                found = _in_window(url, ids)
            finally:
                gc.unfreeze()
                restore()
            app.processEvents()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    drafted, gap = found["drafted"], found["draft_gap"]
    return [
        Figure(
            f"window: {CUSTOMERS} drafts behind the progress bar", drafted, "s", "<=30 s", drafted <= TARGET_DRAFT_S
        ),
        Figure("  draft_batch without a window (baseline)", baseline, "s", "informative", True),
        Figure("  ratio window / baseline", drafted / baseline, "x", "informative", True),
        Figure("event loop: longest gap while drafting", gap * 1000, "ms", "<=50 ms", gap <= TARGET_GAP_S),
        Figure("review queue: open on 500 drafts, first checks shown", found["queue_opened"], "s", "informative", True),
        Figure(
            "event loop: longest gap opening the queue",
            found["queue_gap"] * 1000,
            "ms",
            "<=50 ms",
            found["queue_gap"] <= TARGET_GAP_S,
        ),
        Figure("review queue: J to the next message, checks shown", found["next_shown"], "s", "informative", True),
        Figure(
            "event loop: longest gap moving to the next message",
            found["next_gap"] * 1000,
            "ms",
            "<=50 ms",
            found["next_gap"] <= TARGET_GAP_S,
        ),
    ]
