"""The team's approval policy, enforced by the gate: four-eyes, self-approval and expiry."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from drafting.approval import ApprovalRefused, approve, may_send, standing_approvals, waiting_for
from drafting.composer import OfflineComposer
from drafting.delivery.outbox import claim_next
from drafting.drafts import generate_draft, revise_draft
from drafting.policy import Policy, PolicyError, load_policy, parse_rules, save_policy
from storage.chain import verify
from storage.database import Database
from storage.demo import seed_demo
from storage.models import AuditEvent, Draft, OutboxMessage, PolicyRule, Review, Revision, User, WorkItem

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SENDER = "Café Alba <hola@cafealba.example>"
REPLY = (
    "Hi Ben,\n\nThanks for asking about Mondays. Marta on our team has your note about delivery days.\n\nWarmly,\nMarta"
)


@pytest.fixture
def demo(db: Database) -> Database:
    seed_demo(db, now=NOW)
    return db


def _draft(db: Database, *, author: str, escalated: bool = False) -> tuple[int, str]:
    """A draft by `author` on a new email item, revised to a reply the checks accept; (draft id, hash)."""
    with db.session() as s:
        stmt = select(WorkItem).where(WorkItem.status == "new")
        stmt = stmt.where(col(WorkItem.escalated)) if escalated else stmt.where(WorkItem.channel == "email")
        item = s.exec(stmt.where(col(WorkItem.escalated) == escalated)).first()
    assert item is not None and item.id is not None
    if escalated:  # the offline composer leaves escalated items to a person
        with db.write() as s:
            author_id = s.exec(select(User.id).where(User.name == author)).one()
            draft = Draft(
                work_item_id=item.id,
                customer_id=item.customer_id,
                channel=item.channel,
                language=item.language,
                author_id=author_id,
            )
            s.add(draft)
            s.flush()
            draft_id = int(draft.id or 0)
    else:
        draft_id = generate_draft(db, item_id=item.id, provider=OfflineComposer(), author=author, now=NOW).draft_id
    outcome = revise_draft(db, draft_id=draft_id, body=REPLY, author=author, subject="Re: Mondays")
    assert outcome.content_hash is not None
    return draft_id, outcome.content_hash


def _approve(db: Database, draft_id: int, digest: str, who: str, now: datetime = NOW) -> object:
    return approve(db, draft_id=draft_id, content_hash=digest, approver=who, now=now, sender=SENDER)


def _outbox(db: Database, draft_id: int) -> list[OutboxMessage]:
    with db.session() as s:
        return list(s.exec(select(OutboxMessage).where(OutboxMessage.draft_id == draft_id)))


def test_defaults_need_a_lead_for_trainees_only(demo: Database) -> None:
    with demo.session() as s:
        assert load_policy(s) == Policy()
    assert Policy().trainee and Policy().self_approval and not Policy().escalated


def test_a_trainees_draft_waits_for_a_lead(demo: Database) -> None:
    draft_id, digest = _draft(demo, author="leo")
    first = _approve(demo, draft_id, digest, "leo")
    assert first.outbox_id is None  # type: ignore[attr-defined]  # Approval
    assert "lead" in first.waiting_for and "trainee" in first.waiting_for  # type: ignore[attr-defined]  # Approval
    assert _outbox(demo, draft_id) == []
    with demo.session() as s:
        draft = s.get(Draft, draft_id)
        assert draft is not None and draft.status == "waiting_approval"
        assert "trainee" in waiting_for(s, draft_id=draft_id)
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity_id == str(draft_id)))]
        assert "draft.approval_recorded" in actions and "draft.approved" not in actions
    with pytest.raises(ApprovalRefused, match="already approved"):
        _approve(demo, draft_id, digest, "leo")
    # Another agent is a second pair of eyes, but not a lead's.
    second = _approve(demo, draft_id, digest, "marta")
    assert second.outbox_id is None  # type: ignore[attr-defined]  # Approval
    final = _approve(demo, draft_id, digest, "lucia")
    assert final.outbox_id is not None  # type: ignore[attr-defined]  # Approval
    [row] = _outbox(demo, draft_id)
    assert row.content_hash == digest and row.review_id == final.review_id  # type: ignore[attr-defined]  # Approval
    with demo.session() as s:
        assert may_send(s, row, now=NOW) == (True, "")
        assert waiting_for(s, draft_id=draft_id) == ""
        assert [r.reviewer for r in standing_approvals(s, draft_id=draft_id, content_hash=digest)] == [
            "leo",
            "marta",
            "lucia",
        ]
    with demo.session() as s:
        assert verify(s).ok


def test_an_edit_between_the_two_approvals_starts_over(demo: Database) -> None:
    draft_id, digest = _draft(demo, author="leo")
    _approve(demo, draft_id, digest, "leo")
    changed = revise_draft(demo, draft_id=draft_id, body=REPLY + "\nP.S. See you Monday.", author="lucia")
    assert changed.content_hash is not None and changed.content_hash != digest
    with pytest.raises(ApprovalRefused, match="not the current revision"):
        _approve(demo, draft_id, digest, "lucia")
    # The lead's approval of the new text alone is one pair of eyes: the trainee's approval was of other text.
    lone = _approve(demo, draft_id, changed.content_hash, "lucia")
    assert lone.outbox_id is None  # type: ignore[attr-defined]  # Approval
    done = _approve(demo, draft_id, changed.content_hash, "leo")
    assert done.outbox_id is not None  # type: ignore[attr-defined]  # Approval


def test_self_approval_forbidden(demo: Database) -> None:
    save_policy(demo, actor="lucia", changes=parse_rules([("self_approval", "off")]))
    draft_id, digest = _draft(demo, author="marta")
    with pytest.raises(ApprovalRefused, match="own draft"):
        _approve(demo, draft_id, digest, "marta")
    with demo.session() as s:
        assert s.exec(select(Review).where(Review.draft_id == draft_id)).first() is None
    assert _approve(demo, draft_id, digest, "lucia").outbox_id is not None  # type: ignore[attr-defined]  # Approval


def test_a_trainee_cannot_approve_their_own_draft_when_self_approval_is_off(demo: Database) -> None:
    save_policy(demo, actor="lucia", changes={"self_approval": False})
    draft_id, digest = _draft(demo, author="leo")
    with pytest.raises(ApprovalRefused, match="own draft"):
        _approve(demo, draft_id, digest, "leo")
    # A lead alone is one pair of eyes; four-eyes needs a second person who is not the writer.
    assert _approve(demo, draft_id, digest, "lucia").outbox_id is None  # type: ignore[attr-defined]  # Approval
    assert _approve(demo, draft_id, digest, "marta").outbox_id is not None  # type: ignore[attr-defined]  # Approval


def test_escalated_items_need_a_lead_when_the_rule_is_on(demo: Database) -> None:
    draft_id, digest = _draft(demo, author="marta", escalated=True)
    save_policy(demo, actor="lucia", changes={"escalated": True})
    assert _approve(demo, draft_id, digest, "marta").outbox_id is None  # type: ignore[attr-defined]  # Approval
    assert _approve(demo, draft_id, digest, "lucia").outbox_id is not None  # type: ignore[attr-defined]  # Approval


def test_edit_threshold(demo: Database) -> None:
    save_policy(demo, actor="lucia", changes={"edit_pct_above": 30.0, "trainee": False})
    draft_id, digest = _draft(demo, author="marta")  # REPLY replaces the composer's text almost entirely
    approval = _approve(demo, draft_id, digest, "marta")
    assert approval.outbox_id is None and "rewritten" in approval.waiting_for  # type: ignore[attr-defined]  # Approval


def test_a_rule_tightened_after_approval_holds_the_queued_message(demo: Database) -> None:
    draft_id, digest = _draft(demo, author="marta", escalated=True)
    approval = _approve(demo, draft_id, digest, "marta")
    assert approval.outbox_id is not None  # type: ignore[attr-defined]  # Approval
    save_policy(demo, actor="lucia", changes={"escalated": True})
    [row] = _outbox(demo, draft_id)
    with demo.session() as s:
        ok, reason = may_send(s, row, now=NOW)
    assert not ok and "lead" in reason
    assert claim_next(demo, worker="t", now=NOW) is None
    [row] = _outbox(demo, draft_id)
    assert row.state == "failed" and "policy" in row.last_error


def test_approvals_expire(demo: Database) -> None:
    save_policy(demo, actor="lucia", changes={"expires_days": 2})
    draft_id, digest = _draft(demo, author="marta")
    _approve(demo, draft_id, digest, "marta")
    [row] = _outbox(demo, draft_id)
    with demo.session() as s:
        assert may_send(s, row, now=NOW + timedelta(days=1))[0]
        ok, reason = may_send(s, row, now=NOW + timedelta(days=3))
    assert not ok and "expired" in reason and "2 days" in reason


def test_only_a_lead_sets_the_policy_and_every_change_is_audited(demo: Database) -> None:
    with pytest.raises(PolicyError, match="only a lead"):
        save_policy(demo, actor="marta", changes={"self_approval": False})
    with pytest.raises(PolicyError, match="unknown user"):
        save_policy(demo, actor="nobody", changes={"self_approval": False})
    after = save_policy(demo, actor="lucia", changes={"self_approval": False, "expires_days": 7})
    assert after == Policy(self_approval=False, expires_days=7)
    assert save_policy(demo, actor="lucia", changes={"expires_days": 7}) == after  # no change, nothing recorded
    with demo.session() as s:
        assert load_policy(s) == after
        rows = {r.key: (r.value, r.updated_by) for r in s.exec(select(PolicyRule))}
        events = list(s.exec(select(AuditEvent).where(AuditEvent.action == "policy.changed")))
    assert rows == {"self_approval": ("off", "lucia"), "expires_days": ("7", "lucia")}
    assert len(events) == 1 and '"from":"on"' in events[0].details.replace(" ", "")


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("four_eyes", "on")], "unknown rule 'four_eyes'"),
        ([("trainee", "maybe")], "trainee: expected on or off"),
        ([("edit_pct_above", "150")], "edit_pct_above: expected 0-100"),
        ([("expires_days", "1.5")], "expires_days: expected a whole number"),
        ([("expires_days", "-1")], "expires_days: expected 0-3650"),
    ],
)
def test_bad_rules_are_refused_in_one_line(pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(PolicyError, match=message) as caught:
        parse_rules(pairs)
    assert "\n" not in str(caught.value)


@pytest.fixture
def seeded_file(tmp_path: Path) -> Path:
    """A demo workspace on SQLite, copied afresh for each hypothesis example."""
    path = tmp_path / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    seed_demo(db, now=NOW)
    db.engine.dispose()
    return path


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    approvers=st.lists(st.sampled_from(["leo", "marta", "lucia"]), min_size=1, max_size=4),
    self_ok=st.booleans(),
    trainee_rule=st.booleans(),
)
def test_nothing_is_queued_unless_the_policy_is_met(
    seeded_file: Path, approvers: list[str], self_ok: bool, trainee_rule: bool
) -> None:
    """Whatever order people approve in, the outbox holds the draft only once the rules are met."""
    copy = seeded_file.with_name(f"example-{uuid.uuid4().hex}.db")
    shutil.copyfile(seeded_file, copy)
    db = Database(f"sqlite:///{copy}")
    try:
        save_policy(db, actor="lucia", changes={"self_approval": self_ok, "trainee": trainee_rule})
        draft_id, digest = _draft(db, author="leo")
        seen: list[str] = []
        for who in approvers:
            try:
                _approve(db, draft_id, digest, who)
            except ApprovalRefused:
                continue
            seen.append(who)
        queued = _outbox(db, draft_id)
    finally:
        db.engine.dispose()
    people = set(seen)
    met = bool(people) and (not trainee_rule or (len(people) >= 2 and "lucia" in people))  # lucia is the only lead
    assert (len(queued) == 1) == met
    assert self_ok or "leo" not in people
    assert len(seen) == len(people)  # nobody approves the same text twice


def test_a_lead_editing_a_waiting_draft_is_recorded_as_the_approvers_edit(demo: Database) -> None:
    draft_id, digest = _draft(demo, author="leo")
    _approve(demo, draft_id, digest, "leo")
    edited = revise_draft(demo, draft_id=draft_id, body=REPLY.replace("Thanks", "Thank you"), author="lucia")
    own = revise_draft(demo, draft_id=draft_id, body=REPLY.replace("Thanks", "Many thanks"), author="leo")
    with demo.session() as s:
        kinds = {r.id: r.kind for r in s.exec(select(Revision).where(Revision.draft_id == draft_id))}
    assert kinds[edited.revision_id] == "approver_edit"
    assert kinds[own.revision_id] == "human_edit"
