"""Edit metrics: the word diff, the edit percentage, empathy and commitments added, the stored metric."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlmodel import select

from drafting.metrics import DiffOp, commitments_delta, edit_pct, empathy_added, record_edit_metric, word_diff, words
from storage.chain import append_review, append_revision
from storage.database import Database
from storage.models import Customer, Draft, EditMetric


def test_words_keep_ids_and_amounts_whole() -> None:
    assert words("Hi Ana, order A-48213 was $39.00. Don't worry!") == [
        "Hi",
        "Ana",
        ",",
        "order",
        "A-48213",
        "was",
        "$",
        "39.00",
        ".",
        "Don't",
        "worry",
        "!",
    ]


def test_word_diff_ops() -> None:
    ops = word_diff("we will refund you soon", "we refund you today, Ana")
    assert ops == [
        DiffOp("equal", ("we",), ("we",)),
        DiffOp("delete", ("will",), ()),
        DiffOp("equal", ("refund", "you"), ("refund", "you")),
        DiffOp("replace", ("soon",), ("today", ",", "Ana")),
    ]


def test_whitespace_is_not_an_edit() -> None:
    assert edit_pct("Hola, Nayra:\n\nLo siento.", "Hola,   Nayra:\nLo siento.  ") == 0.0


@pytest.mark.parametrize(
    ("ai", "final", "pct"),
    [
        ("", "", 0.0),
        ("", "Hola", 100.0),
        ("Hola", "", 100.0),
        ("a b c d", "a b c d", 0.0),
        ("a b c d", "w x y z", 100.0),
        ("a b c d", "a b c d e", 20.0),  # one word added to four: 1 of 5
        ("a b c d", "a x c d", 25.0),
        ("a b c d", "a b", 50.0),
    ],
)
def test_edit_pct(ai: str, final: str, pct: float) -> None:
    assert edit_pct(ai, final) == pct


def test_edit_pct_stays_within_bounds() -> None:
    assert 0.0 <= edit_pct("one two three", "three two one four five six") <= 100.0


def test_empathy_added_en() -> None:
    ai = "Thank you for your message. The refund has been processed."
    final = "Hi Daniel, I'm sorry about the double charge, and I understand how annoying it is. Following your call this morning, the refund has been processed."
    assert empathy_added(ai, final, customer_first_name="Daniel", lang="en") == [
        "acknowledgement",
        "apology",
        "name",
        "personal_reference",
    ]
    assert empathy_added(final, final, customer_first_name="Daniel", lang="en") == []


def test_empathy_added_es() -> None:
    ai = "Estimada clienta: hemos recibido su consulta."
    final = "Hola, Nayra: tienes toda la razón, lo siento. Hemos recibido su consulta."
    assert empathy_added(ai, final, customer_first_name="Nayra", lang="es") == ["acknowledgement", "apology", "name"]
    # A second apology where there was one already counts; keeping the one there was does not.
    assert empathy_added("Lo siento.", "Lo siento.", customer_first_name="Nayra", lang="es") == []
    assert "apology" in empathy_added("Lo siento.", "Lo siento. Perdona.", customer_first_name="Nayra", lang="es")


def test_commitments_delta() -> None:
    ai = "We will refund the duplicate within 3 business days. Thanks for your patience."
    final = "The duplicate is refunded on our side. Thanks for your patience. I'll send you the receipt today."
    added, removed = commitments_delta(ai, final, "en")
    assert added == ["The duplicate is refunded on our side.", "I'll send you the receipt today."]
    assert removed == ["We will refund the duplicate within 3 business days."]
    assert commitments_delta("Te escribo mañana.", "Te escribo mañana.", "es") == ([], [])
    assert commitments_delta("Hola.", "Te devolvemos el envío hoy mismo.", "es") == (
        ["Te devolvemos el envío hoy mismo."],
        [],
    )


def _draft(db: Database) -> tuple[int, int]:
    """A draft with an AI revision and a person's edit, approved; returns (review id, draft id)."""
    with db.write() as session:
        customer = Customer(customer_id="C-1", name="Nayra Hernández", language="es")
        session.add(customer)
        session.flush()
        assert customer.id is not None
        draft = Draft(customer_id=customer.id, channel="email", language="es")
        session.add(draft)
        session.flush()
        assert draft.id is not None
        append_revision(
            session,
            draft_id=draft.id,
            author_kind="ai",
            kind="ai_draft",
            author="",
            subject="",
            body="Estimada clienta: le devolveremos el importe en 5 días hábiles.",
        )
        final = append_revision(
            session,
            draft_id=draft.id,
            author_kind="human",
            kind="human_edit",
            author="marta",
            subject="",
            body="Hola, Nayra: lo siento mucho. Miro tu pedido hoy y te cuento.",
        )
        assert final.id is not None
        review = append_review(session, draft_id=draft.id, revision_id=final.id, reviewer="lucia", decision="approve")
        assert review.id is not None
        return review.id, draft.id


def test_record_edit_metric(db: Database) -> None:
    review_id, draft_id = _draft(db)
    with db.write() as session:
        metric = record_edit_metric(
            session,
            review_id=review_id,
            findings_resolved=["placeholder"],
            findings_overridden=["commitment", "too_long"],
        )
    with db.session() as session:
        stored = session.exec(select(EditMetric).where(EditMetric.review_id == review_id)).one()
    assert stored.id == metric.id and stored.draft_id == draft_id
    assert stored.ai_revision_id is not None and stored.final_revision_id != stored.ai_revision_id
    assert stored.words_ai == 12 and stored.words_final == 16  # punctuation marks are words too
    assert 50.0 < stored.edit_pct <= 100.0
    assert stored.empathy_added.split(",") == ["apology", "name", "personal_reference"]
    assert json.loads(stored.commitments_removed) == ["Estimada clienta: le devolveremos el importe en 5 días hábiles."]
    assert json.loads(stored.commitments_added) == []
    assert stored.findings_resolved == "placeholder"
    assert stored.findings_overridden == "commitment,too_long"


def test_record_edit_metric_is_write_once(db: Database) -> None:
    review_id, _ = _draft(db)
    with db.write() as session:
        record_edit_metric(session, review_id=review_id)
    with pytest.raises(sa.exc.IntegrityError), db.write() as session:
        record_edit_metric(session, review_id=review_id)


def test_record_edit_metric_unknown_review(db: Database) -> None:
    with pytest.raises(LookupError, match="review 999"), db.write() as session:
        record_edit_metric(session, review_id=999)
