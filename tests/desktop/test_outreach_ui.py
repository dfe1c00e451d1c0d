"""Outreach as a person does it: build a batch with the filter, draft it, review one message at a time by keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from desktop.approval_dialog import ApprovalDialog
from desktop.outreach_batch import OutreachBatchDialog, open_outreach
from desktop.outreach_new import NewMessageDialog, new_message
from desktop.outreach_review import BatchHistoryDialog, RejectDialog, ReviewQueue, open_batch_history, open_review
from drafting.drafts import revise_draft
from drafting.outreach import (
    Brief,
    batch_drafts,
    batch_summary,
    create_batch,
    draft_batch,
    recompute_sameness,
    select_customers,
)
from storage import config
from storage.database import Database
from storage.hashing import content_hash
from storage.models import Customer, Draft, OutboxMessage, OutreachBatch, Review
from tests.servers.openai_faults import FaultServer

BRIEF = "Tell them about the new pricing; mention what they use most; no discounts."
HOSTILE_NAME = "<b>Bold</b> <img src=http://127.0.0.1:1/x.png> & Co"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def db(demo_url: str) -> Iterator[Database]:
    database = Database(demo_url)
    yield database
    database.dispose()


def _settle(qtbot: QtBot, *windows: QWidget) -> None:
    """Close the windows a test opened and wait for their workers, so no thread outlives the test."""
    for window in windows:
        if window is not None:
            window.close()
    for window in windows:
        background = getattr(window, "background", None)
        if background is not None:
            qtbot.waitUntil(lambda background=background: not background.busy, timeout=20_000)


def _batch_dialog(qtbot: QtBot, demo_url: str) -> OutreachBatchDialog:
    dialog = OutreachBatchDialog(demo_url, "marta")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() > 0, timeout=15_000)
    return dialog


def _shown(dialog: OutreachBatchDialog) -> list[str]:
    return [dialog.preview.item(i).text() for i in range(dialog.preview.count())]


def _wait_queue(qtbot: QtBot, queue: ReviewQueue) -> None:
    qtbot.waitUntil(lambda: bool(queue.entries) and queue.current is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not queue.busy and bool(queue.current and queue.current.checked), timeout=20_000)


def _moved_from(qtbot: QtBot, queue: ReviewQueue, draft_id: int) -> None:
    qtbot.waitUntil(
        lambda: not queue.busy and queue.current is not None and queue.current.draft.draft_id != draft_id,
        timeout=20_000,
    )


def _retype(qtbot: QtBot, queue: ReviewQueue, text: str) -> str:
    """E, select everything, type the new text, Esc: as a person rewrites a message. Returns the hash shown."""
    qtbot.keyClick(queue, Qt.Key.Key_E)
    assert queue.editor.hasFocus()
    qtbot.keyClick(queue.editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(queue.editor, text)
    qtbot.keyClick(queue.editor, Qt.Key.Key_Escape)
    assert not queue.editor.hasFocus()
    assert queue.editor.toPlainText() == text
    return content_hash(queue.subject.text(), text)


def _outbox(db: Database, *, besides: frozenset[int] | set[int] = frozenset()) -> list[OutboxMessage]:
    with db.session() as session:
        return [r for r in session.exec(select(OutboxMessage)) if r.id not in besides]


def test_build_a_batch_draft_it_and_review_five_with_the_keyboard(qtbot: QtBot, demo_url: str, db: Database) -> None:
    already = {int(r.id or 0) for r in _outbox(db)}  # the demo's own history
    dialog = _batch_dialog(qtbot, demo_url)
    assert dialog.preview.count() == 40  # no filter: every customer

    # The filter fields build the expression; the preview follows it.
    qtbot.keyClicks(dialog.language.lineEdit(), "en")
    qtbot.keyClicks(dialog.plan.lineEdit(), "Pro")
    qtbot.waitUntil(lambda: dialog.expression.text() == "plan=Pro language=en", timeout=5_000)
    qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() == 8, timeout=15_000)
    assert all(" · en · Pro" in line for line in _shown(dialog))
    # One customer left out by hand (Space on the first row).
    dialog.preview.setFocus()
    dialog.preview.setCurrentRow(0)
    left_out = dialog.preview.item(0).text().split(" · ")[0]
    qtbot.keyClick(dialog.preview, Qt.Key.Key_Space)
    assert dialog.preview.item(0).checkState() == Qt.CheckState.Unchecked
    assert not dialog.draft_button.isEnabled()  # no brief yet
    dialog.brief.setFocus()
    qtbot.keyClicks(dialog.brief, BRIEF)
    assert dialog.draft_button.text().replace("&", "") == "Draft 7 messages"
    assert dialog.draft_button.isEnabled()

    qtbot.keyClick(dialog.brief, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.review is not None, timeout=30_000)
    assert dialog.progress.bar.value() == dialog.progress.bar.maximum() == 7
    queue = dialog.review
    assert queue is not None
    try:
        _wait_queue(qtbot, queue)
        assert len(queue.entries) == 7
        assert left_out not in {e.draft.customer_name for e in queue.entries}
        summary = queue.summary
        assert summary is not None and summary.author == "marta" and summary.brief == BRIEF.strip()
        assert sum(queue.chart.histogram) == 7 and queue.chart.histogram == summary.sameness_histogram
        assert queue.card.text().startswith(queue.current.draft.customer_name)  # type: ignore[union-attr]
        # The offline composer leaves [[to confirm …]] gaps: they block approval until a person fills them.
        shown = [queue.findings.item(i).text() for i in range(queue.findings.count())]
        assert any(line.startswith("block:") for line in shown), shown

        queue.activateWindow()
        queue.setFocus()
        qtbot.waitUntil(queue.isActiveWindow, timeout=5_000)
        approved: dict[int, str] = {}

        # 1: rewrite it, approve (Ctrl+Enter) and go on.
        first = queue.current
        assert first is not None
        first_name = first.draft.customer_name.split()[0]
        expected = _retype(qtbot, queue, f"Hi {first_name}, a short note on your Pro plan: prices change next year.")
        qtbot.keyClick(queue, Qt.Key.Key_Return, CTRL)
        _moved_from(qtbot, queue, first.draft.draft_id)
        assert first.state == "approved"
        approved[first.draft.draft_id] = expected

        # J/K move without deciding anything.
        second = queue.current
        assert second is not None and queue.index == 1
        qtbot.keyClick(queue, Qt.Key.Key_K)
        assert queue.index == 0
        qtbot.keyClick(queue, Qt.Key.Key_J)
        assert queue.index == 1
        qtbot.keyClick(queue, Qt.Key.Key_Down)
        assert queue.index == 2
        qtbot.keyClick(queue, Qt.Key.Key_Up)
        assert queue.index == 1

        # 2: skip it.
        qtbot.keyClick(queue, Qt.Key.Key_S)
        _moved_from(qtbot, queue, second.draft.draft_id)
        assert second.state == "skipped"

        # 3: rewrite and approve.
        third = queue.current
        assert third is not None
        expected = _retype(qtbot, queue, f"Hello {third.draft.customer_name.split()[0]}, thanks for staying on Pro.")
        qtbot.keyClick(queue, Qt.Key.Key_Return, CTRL)
        _moved_from(qtbot, queue, third.draft.draft_id)
        approved[third.draft.draft_id] = expected

        # 4: reject it, with a reason.
        fourth = queue.current
        assert fourth is not None
        qtbot.keyClick(queue, Qt.Key.Key_R)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RejectDialog), timeout=5_000)
        rejecting = QApplication.activeModalWidget()
        assert isinstance(rejecting, RejectDialog)
        qtbot.keyClick(rejecting.reason, Qt.Key.Key_Return)  # no reason yet: nothing happens
        assert rejecting.isVisible()
        qtbot.keyClicks(rejecting.reason, "Too generic for this customer")
        qtbot.keyClick(rejecting.reason, Qt.Key.Key_Return)
        _moved_from(qtbot, queue, fourth.draft.draft_id)
        assert fourth.state == "rejected"

        # 5: a text that promises something: the approval dialog asks to stand behind the promise first.
        fifth = queue.current
        assert fifth is not None
        queue.activateWindow()
        qtbot.waitUntil(queue.isActiveWindow, timeout=5_000)
        expected = _retype(
            qtbot, queue, f"Hi {fifth.draft.customer_name.split()[0]}, we will refund the difference by Friday."
        )
        qtbot.keyClick(queue, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ApprovalDialog), timeout=20_000)
        confirm = QApplication.activeModalWidget()
        assert isinstance(confirm, ApprovalDialog)
        assert not confirm.approve_button.isEnabled()
        for box in confirm.findChildren(QCheckBox):
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Space)
        assert confirm.approve_button.isEnabled()
        qtbot.keyClick(confirm, Qt.Key.Key_Return, CTRL)
        _moved_from(qtbot, queue, fifth.draft.draft_id)
        assert fifth.state == "approved"
        approved[fifth.draft.draft_id] = expected
        assert queue.approved_hashes == approved

        # There is no way to approve everything at once.
        labels = [b.text().replace("&", "").lower() for b in queue.findChildren(type(queue.approve_button))]
        assert not any("all" in label for label in labels), labels
    finally:
        _settle(qtbot, queue, dialog)

    # The outbox holds exactly the three approved messages, each with the hash of the text shown.
    rows = _outbox(db, besides=already)
    assert len(rows) == 3
    assert {r.draft_id: r.content_hash for r in rows} == approved
    assert all(content_hash(r.subject, r.body) == r.content_hash and r.state == "queued" for r in rows)
    with db.session() as session:
        states = {d.draft_id: d.state for d in batch_drafts(session, batch_id=queue.batch_id)}
        summary = batch_summary(session, batch_id=queue.batch_id)
    assert sorted(states.values()) == ["approved", "approved", "approved", "pending", "pending", "rejected", "skipped"]
    assert (summary.edited, summary.approved_as_drafted, summary.skipped, summary.rejected) == (3, 0, 1, 1)

    # The batch history shows the lead who wrote the brief and what became of the drafts.
    history = BatchHistoryDialog(demo_url, "lucia")
    qtbot.addWidget(history)
    history.show()
    try:
        qtbot.waitUntil(lambda: history.table.rowCount() == 1, timeout=15_000)
        row = [history.table.item(0, c).text() for c in range(history.table.columnCount())]
        assert row[0] == str(queue.batch_id) and row[2] == "marta"
        assert row[4:] == ["7", "0", "3", "1", "1", "2"]
        history.table.setFocus()
        qtbot.keyClick(history.table, Qt.Key.Key_Return)  # Enter reviews the batch
        reopened = history.opened
        assert reopened is not None and reopened.batch_id == queue.batch_id
        _wait_queue(qtbot, reopened)
        assert reopened.current is not None and reopened.current.state == "pending"  # the first still to review
    finally:
        _settle(qtbot, *(w for w in (history.opened, history) if w is not None))


def test_edits_in_the_queue_are_kept_and_the_text_shown_is_what_gets_approved(
    qtbot: QtBot, demo_url: str, db: Database
) -> None:
    dialog = _batch_dialog(qtbot, demo_url)
    dialog.expression.setFocus()
    qtbot.keyClicks(dialog.expression, "tag=vip")
    qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() == 1, timeout=15_000)
    qtbot.keyClicks(dialog.brief, BRIEF)
    dialog.draft_button.click()
    qtbot.waitUntil(lambda: dialog.review is not None, timeout=30_000)
    queue = dialog.review
    assert queue is not None
    try:
        _wait_queue(qtbot, queue)
        entry = queue.current
        assert entry is not None
        queue.activateWindow()
        queue.setFocus()
        qtbot.waitUntil(queue.isActiveWindow, timeout=5_000)
        text = _retype(qtbot, queue, "Hi, your vip tasting box is on its way.")
        # Esc kept the edit as a revision, and the checks ran again on the new text.
        qtbot.waitUntil(lambda: not queue.busy and entry.checked == entry.hash == text, timeout=20_000)
        with db.session() as session:
            draft = session.get(Draft, entry.draft.draft_id)
            assert draft is not None
        assert not any(
            queue.findings.item(i).text().startswith("block:") for i in range(queue.findings.count())
        )  # the [[to confirm]] gaps are gone with the old text
        qtbot.keyClick(queue, Qt.Key.Key_E)  # Ctrl+Enter approves from inside the text too, adding no line
        qtbot.keyClick(queue.editor, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: entry.state == "approved" and not queue.busy, timeout=20_000)
        assert "Every message has been decided" in queue.position.text()
    finally:
        _settle(qtbot, queue, dialog)
    (row,) = [r for r in _outbox(db) if r.draft_id == entry.draft.draft_id]
    with db.session() as session:
        (review,) = session.exec(select(Review).where(Review.draft_id == entry.draft.draft_id)).all()
    assert row.body == "Hi, your vip tasting box is on its way."
    assert row.content_hash == review.content_hash == text


def test_cancel_during_drafting_leaves_a_batch_that_resume_finishes(
    qtbot: QtBot, demo_url: str, db: Database, fault_server: Callable[..., FaultServer]
) -> None:
    server = fault_server("hang", chunks=("Hi", " there"))
    config.set_value("ai.base_url", server.url)
    config.set_value("ai.model", "model-a")
    dialog = _batch_dialog(qtbot, demo_url)
    try:
        qtbot.keyClicks(dialog.language.lineEdit(), "en")
        qtbot.keyClicks(dialog.plan.lineEdit(), "Pro")
        qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() == 8, timeout=15_000)
        dialog.none_button.click()
        assert not dialog.chosen()
        for row in (0, 1, 2):  # three picked by hand
            dialog.preview.setCurrentRow(row)
            qtbot.keyClick(dialog.preview, Qt.Key.Key_Space)
        qtbot.keyClicks(dialog.brief, BRIEF)
        for spin, value in ((dialog.rate, "30"), (dialog.window_start, "10"), (dialog.window_end, "18")):
            qtbot.keyClick(spin, Qt.Key.Key_A, CTRL)
            qtbot.keyClicks(spin, value)
        dialog.scheduled_on.setFocus()
        qtbot.keyClick(dialog.scheduled_on, Qt.Key.Key_Space)
        assert dialog.scheduled.isEnabled()
        scheduled = dialog.scheduled.dateTime().toPython()
        assert dialog.draft_button.text().replace("&", "") == "Draft 3 messages"
        dialog.draft_button.click()
        assert server.stalled.wait(15)
        assert dialog.progress.running and dialog.progress.cancel_button.isEnabled()
        qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.progress.result is not None, timeout=15_000)
        result = dialog.progress.result
        assert result is not None and result.cancelled and result.done == 0 and result.total == 3
        assert dialog.resume_button.isVisible() and dialog.review is None
        assert "Resume" in dialog.progress.status.text()
        batch_id = dialog.progress.batch_id
        with db.session() as session:
            batch = session.get(OutreachBatch, batch_id)
            assert batch is not None and batch.total == 3 and batch.status == "drafting"
            assert (batch.rate_per_hour, batch.window_start_hour, batch.window_end_hour) == (30, 10, 18)
            assert batch.send_after is not None and isinstance(scheduled, datetime)
            assert abs(batch.send_after - scheduled.astimezone(UTC)) < timedelta(minutes=1)
            assert not session.exec(select(Draft).where(Draft.batch_id == batch_id)).all()

        config.set_value("ai.base_url", "")  # the endpoint is gone: Resume writes with the offline composer
        dialog.resume_button.click()
        qtbot.waitUntil(lambda: dialog.review is not None, timeout=30_000)
        queue = dialog.review
        assert queue is not None and queue.batch_id == batch_id
        _wait_queue(qtbot, queue)
        assert len(queue.entries) == 3
    finally:
        _settle(qtbot, *(w for w in (dialog.review, dialog) if w is not None))
    with db.session() as session:
        assert len(session.exec(select(Draft).where(Draft.batch_id == batch_id)).all()) == 3
        assert len(session.exec(select(OutreachBatch)).all()) == 1  # resumed, not started over


def test_a_bad_filter_shows_one_line_and_loses_nothing(qtbot: QtBot, demo_url: str) -> None:
    dialog = _batch_dialog(qtbot, demo_url)
    try:
        qtbot.keyClicks(dialog.brief, BRIEF)
        dialog.expression.setFocus()
        qtbot.keyClicks(dialog.expression, "language=en")
        qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() == 18, timeout=15_000)
        before = _shown(dialog)
        qtbot.keyClicks(dialog.expression, " colour=blue")
        qtbot.waitUntil(lambda: bool(dialog.filter_error.text()), timeout=5_000)
        error = dialog.filter_error.text()
        assert "colour" in error and "\n" not in error
        assert not dialog.draft_button.isEnabled()
        assert _shown(dialog) == before and dialog.brief.toPlainText() == BRIEF
        qtbot.keyClick(dialog.expression, Qt.Key.Key_Return, CTRL)  # drafting is refused while the filter is bad
        assert dialog.progress.batch_id is None and not dialog.progress.running

        dialog.expression.clear()
        qtbot.keyClicks(dialog.expression, "last_contact<yesterday")
        qtbot.waitUntil(lambda: "not a date" in dialog.filter_error.text(), timeout=5_000)

        dialog.expression.clear()
        qtbot.keyClicks(dialog.expression, "language=en open_issue=no")
        qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() == 4, timeout=15_000)
        assert dialog.filter_error.text() == ""
        assert dialog.draft_button.isEnabled()
    finally:
        _settle(qtbot, dialog)


def test_untrusted_names_stay_plain_text_from_picker_to_queue(qtbot: QtBot, demo_url: str, db: Database) -> None:
    with db.write() as session:
        customer = Customer(
            customer_id="C-HTML", name=HOSTILE_NAME, email="html@example.com", language="en", plan="Pro", tags="vip2"
        )
        session.add(customer)
        session.flush()
        customer_id = int(customer.id or 0)

    dialog = _batch_dialog(qtbot, demo_url)
    try:
        dialog.expression.setFocus()
        qtbot.keyClicks(dialog.expression, "tag=vip2")
        qtbot.waitUntil(lambda: not dialog.loading and dialog.preview.count() == 1, timeout=15_000)
        assert _shown(dialog)[0].startswith(HOSTILE_NAME + " · C-HTML")
    finally:
        _settle(qtbot, dialog)

    message = NewMessageDialog(demo_url, "marta", customer_id)
    qtbot.addWidget(message)
    message.show()
    queue: ReviewQueue | None = None
    try:
        qtbot.waitUntil(message.draft_button.isEnabled, timeout=15_000)
        assert message.card.textFormat() == Qt.TextFormat.PlainText
        assert message.card.text().splitlines()[0] == HOSTILE_NAME
        assert HOSTILE_NAME in message.windowTitle()
        message.purpose.setCurrentIndex(message.purpose.findData("check_in"))
        qtbot.keyClicks(message.notes, "<i>ask</i> how the new grinder works")
        qtbot.keyClick(message.notes, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: message.review is not None, timeout=30_000)
        queue = message.review
        assert queue is not None
        _wait_queue(qtbot, queue)
        assert len(queue.entries) == 1
        for label in (queue.card, queue.header, queue.brief, queue.position, queue.state, queue.sameness):
            assert label.textFormat() == Qt.TextFormat.PlainText
        assert queue.card.text().splitlines()[0] == HOSTILE_NAME
        assert queue.brief.text() == "<i>ask</i> how the new grinder works"
        assert queue.editor.document().toPlainText() == queue.current.text  # type: ignore[union-attr]
    finally:
        _settle(qtbot, *(w for w in (queue, message) if w is not None))
    with db.session() as session:
        batch = session.exec(select(OutreachBatch)).one()
    assert (batch.total, batch.purpose, batch.author) == (1, "check_in", "marta")


def test_the_entry_points_open_their_windows(qtbot: QtBot, demo_url: str) -> None:
    """What the main window wires: each function opens its window, ready for the keyboard."""
    batch = open_outreach(None, database_url=demo_url, user="marta")
    history = open_batch_history(None, database_url=demo_url, user="lucia")
    message = new_message(None, database_url=demo_url, user="marta", customer_id=1)
    try:
        assert batch.isVisible() and history.isVisible() and message.isVisible()
        qtbot.waitUntil(lambda: batch.preview.count() == 40, timeout=15_000)
        qtbot.waitUntil(lambda: history.status.text() == "No batches yet", timeout=15_000)
        qtbot.waitUntil(message.draft_button.isEnabled, timeout=15_000)
        for window in (batch, history, message):
            assert window.accessibleName()
    finally:
        _settle(qtbot, batch, history, message)


TEMPLATE = "Dear customer, our prices change in January. Thank you for being with us all this time. Best regards."


def test_template_like_messages_are_flagged_and_an_edit_rescores_the_batch(
    qtbot: QtBot, demo_url: str, db: Database
) -> None:
    with db.session() as session:
        picks = select_customers(session, filter_expr="language=en plan=Basic")[:3]
    assert len(picks) == 3
    batch_id = create_batch(db, author="marta", brief=Brief("announcement", BRIEF), customers=[p.id for p in picks])
    draft_batch(db, batch_id=batch_id)
    with db.session() as session:
        drafts = batch_drafts(session, batch_id=batch_id)
    for draft in drafts:  # three identical texts: a template, not three messages
        revise_draft(db, draft_id=draft.draft_id, body=TEMPLATE, author="marta")
    recompute_sameness(db, batch_id=batch_id)

    queue = open_review(None, database_url=demo_url, user="marta", batch_id=batch_id)
    try:
        _wait_queue(qtbot, queue)
        lines = [queue.findings.item(i).text() for i in range(queue.findings.count())]
        assert "warn: reads like a template: 100% identical to 2 others" in " ".join(lines), lines
        assert "100%" in queue.sameness.text()
        assert queue.chart.histogram == [0] * 9 + [3] and queue.chart.highlighted == 9

        queue.activateWindow()
        queue.setFocus()
        qtbot.waitUntil(queue.isActiveWindow, timeout=5_000)
        entry = queue.current
        assert entry is not None
        name = entry.draft.customer_name.split()[0]
        shown = _retype(qtbot, queue, f"Hi {name}, your Basic plan keeps its price until your renewal.")
        qtbot.waitUntil(lambda: entry.checked == shown and not queue.busy, timeout=20_000)
        qtbot.waitUntil(lambda: queue.chart.histogram[9] == 2, timeout=20_000)
        assert entry.sameness is not None and entry.sameness < 0.6
        assert queue.chart.highlighted == min(int(entry.sameness * 10), 9)
        lines = [queue.findings.item(i).text() for i in range(queue.findings.count())]
        assert not any("template" in line for line in lines), lines
        # The two still alike keep their flag.
        qtbot.keyClick(queue, Qt.Key.Key_J)
        qtbot.waitUntil(lambda: queue.index == 1 and not queue.busy, timeout=20_000)
        lines = [queue.findings.item(i).text() for i in range(queue.findings.count())]
        assert any("reads like a template: 100% identical to 1 other" in line for line in lines), lines
    finally:
        _settle(qtbot, queue)
