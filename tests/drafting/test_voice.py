"""The voice guide: edited with validation and audit, read by the drafting context and the checks."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from drafting.checks.run import check_item_draft
from drafting.context import build_context, build_customer_context
from drafting.drafts import revise_draft
from drafting.voice import (
    Guide,
    VoiceError,
    add_example,
    list_examples,
    load_guide,
    promote_reply,
    remove_example,
    save_guide,
    validate,
)
from storage.chain import verify
from storage.database import Database
from storage.demo import seed_demo
from storage.models import AuditEvent, Draft, Interaction, Review, Revision, VoiceExample, WorkItem

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo(db: Database) -> Database:
    seed_demo(db, now=NOW)
    return db


def _events(db: Database, action: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))))


def _draft(db: Database, *, approved: bool, channel: str | None = None) -> Draft:
    with db.session() as s:
        approvals = sa.select(col(Review.draft_id)).where(col(Review.decision) == "approve")
        stmt = select(Draft).where(col(Draft.id).in_(approvals) if approved else col(Draft.id).not_in(approvals))
        if channel is not None:
            stmt = stmt.where(Draft.channel == channel)
        found = s.exec(stmt.order_by(col(Draft.id))).first()
    assert found is not None
    return found


def test_the_demo_guide_loads_per_language(demo: Database) -> None:
    with demo.session() as s:
        es = load_guide(s, language="ES")
        assert es.language == "es" and es.updated_at is not None
        assert "estimado cliente" in es.words_avoid and "tienes razón" in es.words_use
        assert es.signature_email.startswith("Un abrazo")
        assert len(list_examples(s, language="es")) == 5
        with pytest.raises(VoiceError, match="language must be one of es, en, not 'fr'"):
            load_guide(s, language="fr")


def test_a_language_without_a_guide_loads_empty(db: Database) -> None:
    with db.session() as s:
        guide = load_guide(s, language="en")
    assert guide == Guide(language="en") and guide.updated_at is None


def test_saving_cleans_up_keeps_and_audits_what_changed(demo: Database) -> None:
    with demo.session() as s:
        guide = load_guide(s, language="en")
    edited = replace(
        guide,
        words_avoid=(*guide.words_avoid, "  Synergy  ", "synergy", ""),
        signature_dm="Leo\r\nCafé Alba  \n",
        comment_limit=250,
    )
    saved = save_guide(demo, guide=edited, actor="lucia", now=NOW)
    assert saved.words_avoid[-1] == "Synergy" and saved.words_avoid.count("Synergy") == 1
    assert saved.signature_dm == "Leo\nCafé Alba" and saved.comment_limit == 250
    with demo.session() as s:
        assert load_guide(s, language="en") == saved
        assert verify(s).ok
    (event,) = _events(demo, "voice.guide_saved")
    assert event.actor == "lucia"
    assert json.loads(event.details) == {
        "language": "en",
        "changed": ["words_avoid", "signature_dm", "comment_limit"],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"language": "de"}, "language must be one of"),
        ({"words_use": ("your coffee", "At your earliest convenience")}, "both a word to use and a word to avoid"),
        ({"comment_limit": 5}, "comment length limit must be between"),
        ({"words_avoid": tuple(f"w{i}" for i in range(101))}, "at most 100 entries"),
        ({"signature_email": "x" * 501}, "email signature is longer than"),
    ],
)
def test_a_bad_guide_is_refused_and_the_saved_one_is_kept(
    demo: Database, change: dict[str, object], message: str
) -> None:
    with demo.session() as s:
        before = load_guide(s, language="en")
    with pytest.raises(VoiceError, match=message) as caught:
        save_guide(demo, guide=replace(before, **change), actor="lucia")  # type: ignore[arg-type]  # Guide's fields
    assert "\n" not in str(caught.value)
    with demo.session() as s:
        assert load_guide(s, language="en") == before
    assert _events(demo, "voice.guide_saved") == []


def test_unknown_people_cannot_edit_the_guide(demo: Database) -> None:
    with demo.session() as s:
        guide = load_guide(s, language="en")
    with pytest.raises(VoiceError, match="unknown user 'mallory'"):
        save_guide(demo, guide=guide, actor="mallory")
    with pytest.raises(VoiceError, match="unknown user 'mallory'"):
        add_example(demo, language="en", channel="dm", incoming="", reply="Hi!", actor="mallory")


def test_dms_are_signed_with_the_dm_signature(demo: Database) -> None:
    with demo.session() as s:
        guide = load_guide(s, language="es")
        dm_item = s.exec(select(WorkItem).where(WorkItem.channel == "dm")).first()
        customer = s.exec(select(Draft.customer_id).where(Draft.language == "es")).first()
    assert dm_item is not None and dm_item.id is not None and customer is not None
    # An older guide with only a social signature keeps using it for DMs.
    save_guide(demo, guide=replace(guide, signature_comment="— Café Alba"), actor="lucia")
    with demo.session() as s:
        assert build_context(s, item_id=dm_item.id, now=NOW).rules.signature == "— Café Alba"
    save_guide(
        demo, guide=replace(guide, signature_comment="— Café Alba", signature_dm="Marta, de Café Alba"), actor="lucia"
    )
    with demo.session() as s:
        assert build_context(s, item_id=dm_item.id, now=NOW).rules.signature == "Marta, de Café Alba"
        assert build_customer_context(s, customer_id=customer, channel="chat", now=NOW).rules.signature == (
            "Marta, de Café Alba"
        )
        assert build_customer_context(s, customer_id=customer, channel="comment", now=NOW).rules.signature == ""
        email = build_customer_context(s, customer_id=customer, channel="email", now=NOW).rules.signature
        assert email == guide.signature_email


def test_words_to_avoid_are_flagged_as_robotic_in_the_guides_language(demo: Database) -> None:
    draft = _draft(demo, approved=False, channel="email")
    assert draft.id is not None and draft.language == "en"
    body = "Hi Ben,\n\nMondays work fine, and we'll circle back on the rest.\n\nWarmly,\nMarta"
    revise_draft(demo, draft_id=draft.id, body=body, author="marta")
    with demo.session() as s:
        before = [f for f in check_item_draft(s, draft_id=draft.id, now=NOW) if f.code == "robotic_phrase"]
        guide = load_guide(s, language="en")
    assert before == []
    save_guide(demo, guide=replace(guide, words_avoid=(*guide.words_avoid, "circle back")), actor="lucia")
    with demo.session() as s:
        after = [f for f in check_item_draft(s, draft_id=draft.id, now=NOW) if f.code == "robotic_phrase"]
    assert [(body[f.start : f.end], f.severity.value) for f in after] == [("circle back", "warn")]
    assert "voice guide" in after[0].message


def test_the_built_in_lexicon_and_the_guide_do_not_flag_the_same_words_twice(demo: Database) -> None:
    draft = _draft(demo, approved=False, channel="email")
    assert draft.id is not None
    body = "Hi Ben,\n\nWe apologize for any inconvenience. Mondays work.\n\nWarmly,\nMarta"
    revise_draft(demo, draft_id=draft.id, body=body, author="marta")
    with demo.session() as s:
        found = [f for f in check_item_draft(s, draft_id=draft.id, now=NOW) if f.code == "robotic_phrase"]
    assert len(found) == 1 and body[found[0].start : found[0].end].lower().startswith("we apologize")


def test_examples_are_added_listed_and_removed_with_an_audit_trail(demo: Database) -> None:
    added = add_example(
        demo,
        language="en",
        channel="DM",
        incoming="Where's my order?",
        reply="  I've checked: it left today.  ",
        actor="leo",
    )
    assert (added.channel, added.reply, added.source_draft_id) == ("dm", "I've checked: it left today.", None)
    with demo.session() as s:
        assert list_examples(s, language="en")[-1] == added
    with pytest.raises(VoiceError, match=f"already has this reply as example {added.id}"):
        add_example(demo, language="en", channel="dm", incoming="", reply="I've checked: it left today.", actor="leo")
    with pytest.raises(VoiceError, match="channel must be one of"):
        add_example(demo, language="en", channel="call", incoming="", reply="Hello", actor="leo")
    with pytest.raises(VoiceError, match="reply is empty"):
        add_example(demo, language="en", channel="dm", incoming="Hi", reply=" \n ", actor="leo")
    remove_example(demo, example_id=added.id, actor="lucia")
    with demo.session() as s:
        assert added.id not in [e.id for e in list_examples(s, language="en")]
        assert verify(s).ok
    with pytest.raises(VoiceError, match=f"no voice example {added.id}"):
        remove_example(demo, example_id=added.id, actor="lucia")
    (removed,) = _events(demo, "voice.example_removed")
    assert json.loads(removed.details)["reply"] == "I've checked: it left today."
    assert len(_events(demo, "voice.example_added")) == 1


def test_an_example_in_a_language_with_no_guide_starts_that_guide(db: Database) -> None:
    seed_demo(db, now=NOW)
    with db.write() as s:
        s.execute(sa.delete(VoiceExample))
        s.execute(sa.text("DELETE FROM voiceguide WHERE language = 'en'"))
    add_example(db, language="en", channel="comment", incoming="", reply="Thanks, Ana!", actor="leo")
    with db.session() as s:
        assert [e.reply for e in list_examples(s, language="en")] == ["Thanks, Ana!"]
        assert load_guide(s, language="en").updated_at is not None


def test_promoting_an_approved_reply_copies_it_with_its_incoming_message(demo: Database) -> None:
    draft = _draft(demo, approved=True, channel="comment")
    assert draft.id is not None
    example = promote_reply(demo, draft_id=draft.id, actor="lucia", now=NOW)
    with demo.session() as s:
        review = s.exec(select(Review).where(Review.draft_id == draft.id, Review.decision == "approve")).one()
        revision = s.get(Revision, review.revision_id)
        item = s.get(WorkItem, draft.work_item_id)
        assert revision is not None and item is not None
        incoming = s.get(Interaction, item.interaction_id)
        assert incoming is not None
        assert example.language == draft.language
        assert (example.channel, example.reply, example.incoming, example.source_draft_id) == (
            "comment",
            revision.body.strip(),
            incoming.body.strip(),
            draft.id,
        )
        assert example in list_examples(s, language=draft.language)
    (event,) = _events(demo, "voice.example_added")
    assert event.actor == "lucia" and json.loads(event.details)["source_draft_id"] == draft.id
    with pytest.raises(VoiceError, match=f"draft {draft.id} is already voice example {example.id}"):
        promote_reply(demo, draft_id=draft.id, actor="lucia")


def test_unapproved_or_unknown_drafts_cannot_be_promoted(demo: Database) -> None:
    draft = _draft(demo, approved=False)
    with pytest.raises(VoiceError, match=f"draft {draft.id} has not been approved") as caught:
        promote_reply(demo, draft_id=int(draft.id or 0), actor="lucia")
    assert "\n" not in str(caught.value)
    with pytest.raises(VoiceError, match="no draft 9999"):
        promote_reply(demo, draft_id=9999, actor="lucia")
    assert _events(demo, "voice.example_added") == []


def test_validate_is_pure_and_keeps_a_good_guide() -> None:
    guide = Guide(language="es", tone="Cercanos.\n", words_use=("tu café",), words_avoid=("estimado cliente",))
    assert validate(guide) == replace(guide, tone="Cercanos.")
