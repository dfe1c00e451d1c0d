"""The demo workspace: the story is there, on both backends, and the same `now` gives the same rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from storage.chain import verify
from storage.database import Database
from storage.demo import (
    WorkspaceNotEmptyError,
    fill_dates,
    load_demo_files,
    plan_demo,
    reset_workspace,
    seed_demo,
    workspace_has_data,
)
from storage.hashing import canonical_time
from storage.models import (
    ApprovedReply,
    AuditEvent,
    Customer,
    CustomerHandle,
    Draft,
    Interaction,
    Review,
    Revision,
    User,
    VoiceExample,
    VoiceGuide,
    WorkItem,
)

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _customer(s: Session, customer_id: str) -> Customer:
    return s.exec(select(Customer).where(Customer.customer_id == customer_id)).one()


def _interactions(s: Session, customer: Customer) -> list[Interaction]:
    stmt = select(Interaction).where(Interaction.customer_id == customer.id).order_by(Interaction.occurred_at)  # type: ignore[arg-type]
    return list(s.exec(stmt).all())


def _item_for(s: Session, source_id: str) -> WorkItem | None:
    interaction = s.exec(select(Interaction).where(Interaction.source_id == source_id)).one()
    return s.exec(select(WorkItem).where(WorkItem.interaction_id == interaction.id)).first()


def canonical_dump(db: Database) -> str:
    """Customers and interactions as plain JSON, independent of ids and backend."""
    with db.session() as s:
        by_pk = {c.id: c.customer_id for c in s.exec(select(Customer)).all()}
        customers = [
            [
                c.customer_id,
                c.name,
                c.email,
                c.phone,
                c.language,
                c.plan,
                c.owner,
                c.tags,
                canonical_time(c.created_at or NOW),
            ]
            for c in s.exec(select(Customer).order_by(Customer.customer_id)).all()
        ]
        handles = sorted([by_pk[h.customer_id], h.network, h.handle] for h in s.exec(select(CustomerHandle)).all())
        interactions = [
            [
                i.source_id,
                by_pk[i.customer_id],
                i.channel,
                i.direction,
                canonical_time(i.occurred_at),
                i.subject,
                i.body,
                i.url,
                i.author,
            ]
            for i in s.exec(select(Interaction).order_by(Interaction.source_id)).all()
        ]
    return json.dumps([customers, handles, interactions], ensure_ascii=False)


def test_counts_languages_and_users(db: Database) -> None:
    summary = seed_demo(db, now=NOW)
    assert summary.customers == 40
    assert 250 <= summary.interactions <= 450
    assert 20 <= summary.open_items <= 35
    assert summary.users == ("marta", "leo", "lucia")
    counts = f"{summary.interactions} interactions, {summary.open_items} open items"
    assert summary.line() == f"demo: 40 customers, {counts}, 3 users (marta, leo, lucia)"
    with db.session() as s:
        customers = s.exec(select(Customer)).all()
        languages = [c.language for c in customers]
        assert languages.count("es") >= 15
        assert languages.count("en") >= 15
        assert {u.name: u.role for u in s.exec(select(User)).all()} == {
            "marta": "agent",
            "leo": "trainee",
            "lucia": "lead",
        }
        assert len(s.exec(select(Interaction)).all()) == summary.interactions
        channels = {i.channel for i in s.exec(select(Interaction)).all()}
        assert channels == {"email", "comment", "dm", "call", "ticket", "chat", "note"}
        spread = [i.occurred_at for i in s.exec(select(Interaction)).all()]
        assert NOW - min(spread) > timedelta(days=150)
        assert max(spread) < NOW
        # Every customer can be recognised by email and each social handle.
        handles = s.exec(select(CustomerHandle)).all()
        assert {h.network for h in handles} >= {"email", "phone", "instagram", "x", "tiktok", "facebook", "youtube"}
        assert len([h for h in handles if h.network == "email"]) == 40
        guides = {g.language: g for g in s.exec(select(VoiceGuide)).all()}
        assert set(guides) == {"es", "en"}
        for guide in guides.values():
            examples = s.exec(select(VoiceExample).where(VoiceExample.guide_id == guide.id)).all()
            assert 4 <= len(examples) <= 6
            assert "dear valued customer" not in " ".join(e.reply.lower() for e in examples)


def test_story_threads_with_relative_times(db: Database) -> None:
    seed_demo(db, now=NOW)
    with db.session() as s:
        daniel = _interactions(s, _customer(s, "C-1023"))
        calls = [i for i in daniel if i.channel == "call" and NOW - i.occurred_at < timedelta(days=1)]
        assert [c.occurred_at for c in calls] == [NOW - timedelta(minutes=5)]
        assert "charged twice" in calls[0].body
        assert calls[0].direction == "in"
        after_call = [i for i in daniel if i.occurred_at > calls[0].occurred_at and i.direction == "in"]
        assert {i.channel for i in after_call} == {"email", "comment"}
        assert all(_item_for(s, i.source_id) is not None for i in after_call)

        nayra = _customer(s, "C-1001")
        complaints = [i for i in _interactions(s, nayra) if i.direction == "in"]
        assert len(complaints) >= 4  # three answered complaints and the open one
        assert complaints[-1].occurred_at - complaints[0].occurred_at > timedelta(weeks=5)
        late = _item_for(s, complaints[-1].source_id)
        assert late is not None
        assert late.status == "new"
        assert late.language == "es"
        assert late.escalated
        assert "repeat_issue" in late.escalation_reasons

        jorge = _interactions(s, _customer(s, "C-1002"))
        comment = jorge[-1]
        assert comment.channel == "comment"
        assert comment.url.startswith("https://www.instagram.com/")
        assert "abogado" in comment.body
        angry = _item_for(s, comment.source_id)
        assert angry is not None
        assert angry.escalated
        assert "legal_threat" in angry.escalation_reasons

        priya = _customer(s, "C-1024")
        assert (priya.plan, priya.owner) == ("Enterprise", "marta")
        renewal = _interactions(s, priya)[-1]
        renewal_day = NOW + timedelta(days=14)
        assert f"{renewal_day:%B} {renewal_day.day}" in renewal.body
        assert "T-3381" in renewal.body
        assert "#E-22190" in renewal.body
        vip = _item_for(s, renewal.source_id)
        assert vip is not None
        assert vip.status == "drafting"


def test_theme_comments_in_both_languages(db: Database) -> None:
    seed_demo(db, now=NOW)
    with db.session() as s:
        comments = s.exec(select(Interaction).where(Interaction.source_id.startswith("demo-theme-"))).all()
        incoming = [c for c in comments if c.direction == "in"]
        assert 8 <= len(incoming) <= 15
        pricing = [c for c in incoming if any(w in c.body.lower() for w in ("precio", "price", "pricing"))]
        login = [
            c
            for c in incoming
            if any(w in c.body.lower() for w in ("log in", "logged", "login", "sesión", "entrar", "echa"))
        ]
        assert len(pricing) >= 5
        assert len(login) >= 5
        by_pk = {c.id: c.language for c in s.exec(select(Customer)).all()}
        assert {by_pk[c.customer_id] for c in pricing} == {"es", "en"}
        assert {by_pk[c.customer_id] for c in login} == {"es", "en"}
        assert len({c.customer_id for c in incoming}) == len(incoming)  # shared themes, different people


def test_exactly_the_planned_messages_wait_for_a_reply(db: Database) -> None:
    seed_demo(db, now=NOW)
    planned = {m.source_id for m in plan_demo(load_demo_files(), NOW) if m.open}
    with db.session() as s:
        waiting = {
            s.get(Interaction, item.interaction_id).source_id  # type: ignore[union-attr]
            for item in s.exec(select(WorkItem).where(WorkItem.status != "sent")).all()
        }
        statuses = sorted(i.status for i in s.exec(select(WorkItem)).all())
    assert waiting == planned
    assert statuses.count("sent") == 10
    assert statuses.count("drafting") == 1
    assert statuses.count("waiting_approval") == 1


def test_history_drafts_are_approved_sent_and_verify(db: Database) -> None:
    seed_demo(db, now=NOW)
    with db.session() as s:
        result = verify(s)
        assert result.ok, result.breaks
        approvals = s.exec(select(Review).where(Review.decision == "approve")).all()
        assert len(approvals) == 10
        assert {r.reviewer for r in approvals} <= {"marta", "lucia"}
        for review in approvals:
            draft = s.get(Draft, review.draft_id)
            assert draft is not None
            assert draft.status == "sent"
            revisions = s.exec(select(Revision).where(Revision.draft_id == draft.id).order_by(Revision.seq)).all()  # type: ignore[arg-type]
            assert [r.kind for r in revisions] == ["ai_draft", "human_edit"]
            assert revisions[0].body != revisions[1].body
            assert review.revision_id == revisions[1].id
            reply = s.exec(select(ApprovedReply).where(ApprovedReply.draft_id == draft.id)).one()
            assert reply.body == revisions[1].body
            item = s.get(WorkItem, draft.work_item_id)
            assert item is not None
            assert item.status == "sent"
            sent = s.exec(
                select(Interaction).where(
                    Interaction.customer_id == draft.customer_id,
                    Interaction.direction == "out",
                    Interaction.body == reply.body,
                )
            ).one()
            assert sent.occurred_at > review.created_at
        waiting = s.exec(select(Draft).where(Draft.status == "waiting_approval")).one()
        kinds = [r.kind for r in s.exec(select(Revision).where(Revision.draft_id == waiting.id)).all()]
        assert kinds == ["ai_draft", "human_edit"]
        events = s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()  # type: ignore[arg-type]
    assert [e.action for e in events] == ["draft.approved"] * 10 + ["demo.seeded"]
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    assert events[-1].occurred_at == NOW


def test_same_now_gives_the_same_workspace(db: Database, tmp_path: Path) -> None:
    other = Database(f"sqlite:///{tmp_path / 'other' / 'latido.sqlite3'}")
    other.upgrade(backup=False)
    try:
        seed_demo(db, now=NOW)
        seed_demo(other, now=NOW)
        assert canonical_dump(db) == canonical_dump(other)
    finally:
        other.dispose()


def test_plan_moves_with_now() -> None:
    files = load_demo_files()
    later = NOW + timedelta(days=3)
    first, second = plan_demo(files, NOW), plan_demo(files, later)
    assert [m.source_id for m in first] == [m.source_id for m in second]
    assert all(b.occurred_at - a.occurred_at == later - NOW for a, b in zip(first, second, strict=True))
    # Stories keep their exact distance from now (filler keeps to working hours instead).
    odd = NOW + timedelta(minutes=7)
    call = [m for m in plan_demo(files, odd) if m.source_id == "demo-billing-3"]
    assert [m.occurred_at for m in call] == [odd - timedelta(minutes=5)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "Entrega el 24 de marzo, no el 8 de marzo."), ("en", "Entrega el March 24, no el March 8.")],
)
def test_dates_in_the_customers_language(language: str, expected: str) -> None:
    assert fill_dates("Entrega el {date:+14}, no el {date:-2}.", now=NOW, language=language) == expected


def test_seeding_twice_is_refused(db: Database) -> None:
    assert not workspace_has_data(db)
    seed_demo(db, now=NOW)
    assert workspace_has_data(db)
    with pytest.raises(WorkspaceNotEmptyError):
        seed_demo(db, now=NOW)
    with db.session() as s:
        assert len(s.exec(select(Customer)).all()) == 40


def test_reset_then_seed_again(db: Database) -> None:
    seed_demo(db, now=NOW)
    before: Any = canonical_dump(db)
    saved = reset_workspace(db)
    assert not workspace_has_data(db)
    if db.path is None:
        assert saved is None
    else:
        assert saved is not None
        assert saved.exists()
        assert saved.parent == db.path.parent
        copy = Database(f"sqlite:///{saved}")
        try:
            assert canonical_dump(copy) == before
        finally:
            copy.dispose()
    summary = seed_demo(db, now=NOW + timedelta(days=1))
    assert summary.customers == 40
    with db.session() as s:
        assert verify(s).ok
        assert s.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()[0] == "draft.approved"  # type: ignore[arg-type]
