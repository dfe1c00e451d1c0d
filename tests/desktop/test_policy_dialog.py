"""Team → Approval policy: a lead changes the rules with the keyboard; others can only read them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from desktop.policy_dialog import PolicyDialog
from drafting.approval import ApprovalRefused, approve
from drafting.drafts import revise_draft
from storage.database import Database
from storage.models import Draft, User, WorkItem


def _dialog(qtbot: QtBot, url: str, user: str) -> PolicyDialog:
    dialog = PolicyDialog(Database(url), user=user)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.status.text() != "Loading…")
    return dialog


def test_a_lead_forbids_self_approval_and_a_trainee_can_no_longer_approve_their_draft(
    qtbot: QtBot, demo_url: str
) -> None:
    dialog = _dialog(qtbot, demo_url, "lucia")
    assert dialog.self_approval.isEnabled() and dialog.self_approval.isChecked()
    dialog.self_approval.setFocus()
    qtbot.keyClick(dialog.self_approval, Qt.Key.Key_Space)
    assert not dialog.self_approval.isChecked()
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0].self_approval is False
    assert "Saved" in dialog.status.text()

    db = Database(demo_url)
    with db.write() as s:
        item = s.exec(select(WorkItem).where(WorkItem.channel == "email", ~col(WorkItem.escalated))).first()
        assert item is not None
        draft = Draft(
            work_item_id=item.id, customer_id=item.customer_id, channel="email", language="en", author_id=None
        )
        s.add(draft)
        s.flush()
        draft_id = int(draft.id or 0)
    body = "Hi Ben,\n\nThanks for asking about Mondays. Leo has your note about delivery days.\n\nWarmly,\nLeo"
    outcome = revise_draft(db, draft_id=draft_id, body=body, author="leo", subject="Re: Mondays")
    assert outcome.content_hash is not None
    with pytest.raises(ApprovalRefused, match="own draft"):
        approve(db, draft_id=draft_id, content_hash=outcome.content_hash, approver="leo")
    db.dispose()


def test_an_agent_reads_the_rules_but_cannot_change_them(qtbot: QtBot, demo_url: str) -> None:
    dialog = _dialog(qtbot, demo_url, "marta")
    assert "Only a lead" in dialog.status.text()
    assert not dialog.save_button.isEnabled() and not dialog.trainee.isEnabled()
    assert dialog.trainee.isChecked()  # the default rule, shown
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Saving" not in dialog.status.text()


def test_the_approval_dialog_says_what_the_policy_asks(qtbot: QtBot, demo_url: str) -> None:
    from desktop.approval_dialog import ApprovalDialog, load_approval_view

    db = Database(demo_url)
    with db.write() as s:
        item = s.exec(select(WorkItem).where(WorkItem.channel == "email", ~col(WorkItem.escalated))).first()
        assert item is not None
        leo = s.exec(select(User.id).where(User.name == "leo")).one()
        draft = Draft(work_item_id=item.id, customer_id=item.customer_id, channel="email", language="en", author_id=leo)
        s.add(draft)
        s.flush()
        draft_id = int(draft.id or 0)
    body = "Hi Ben,\n\nThanks for asking about Mondays. Leo has your note about delivery days.\n\nWarmly,\nLeo"
    outcome = revise_draft(db, draft_id=draft_id, body=body, author="leo", subject="Re: Mondays")
    assert outcome.content_hash is not None
    approve(db, draft_id=draft_id, content_hash=outcome.content_hash, approver="leo")
    dialog = ApprovalDialog(load_approval_view(db, draft_id))
    qtbot.addWidget(dialog)
    text = dialog.policy_note.text()
    assert "second approver" in text and "a trainee wrote it" in text
    assert "Already approved by: leo." in text
    assert dialog.policy_note.textFormat() == Qt.TextFormat.PlainText
    db.dispose()
