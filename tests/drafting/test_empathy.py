"""Empathy suggestions from the demo's stories: offered, never inserted, and only when the draft lacks them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from drafting.context import DraftContext, build_context
from drafting.empathy import Suggestion, has_apology, mentions_name, suggest
from drafting.triage import triage
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Interaction, WorkItem

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _context(db: Database, source_id: str) -> DraftContext:
    with db.session() as s:
        interaction = s.exec(select(Interaction).where(Interaction.source_id == source_id)).one()
        item = s.exec(select(WorkItem).where(WorkItem.interaction_id == interaction.id)).one()
        assert item.id is not None
        return build_context(s, item_id=item.id, now=NOW)


@pytest.fixture
def demo(sqlite_url: str) -> Iterator[Database]:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db, now=NOW)
    yield db
    db.dispose()


def _kinds(suggestions: list[Suggestion]) -> list[str]:
    return [s.kind for s in suggestions]


def test_repeat_complainer_in_spanish(demo: Database) -> None:
    ctx = _context(demo, "demo-late-8")
    draft = "Estimada clienta: hemos recibido su consulta y la revisaremos."
    suggestions = suggest(draft, ctx)
    assert _kinds(suggestions) == ["name", "repeat", "feelings", "apology"]
    name, repeat, _, apology = suggestions
    assert (name.text, name.reason, name.where) == ("Hola, Nayra:", "Usa su nombre", "greeting")
    assert repeat.reason == "Reconoce que es el cuarto pedido que llega tarde"
    assert repeat.text.startswith("Sé que es el cuarto pedido que llega tarde")
    assert apology.reason == "Pide perdón una vez, sin rodeos"
    # The draft is never changed: suggestions are offers.
    assert draft == "Estimada clienta: hemos recibido su consulta y la revisaremos."


def test_a_draft_that_already_does_it_gets_nothing(demo: Database) -> None:
    ctx = _context(demo, "demo-late-8")
    draft = (
        "Hola, Nayra:\n\nTienes toda la razón: es el cuarto pedido seguido que te llega tarde. Lo siento mucho. "
        "Miro hoy dónde está el A-51977."
    )
    assert suggest(draft, ctx) == []


def test_call_five_minutes_ago_in_english(demo: Database) -> None:
    ctx = _context(demo, "demo-billing-5")
    result = triage(ctx.incoming.text if ctx.incoming else "")
    suggestions = suggest("Thank you for contacting us. The refund is being processed.", ctx, triage=result)
    assert _kinds(suggestions) == ["name", "recent_contact"]
    assert suggestions[0].text == "Hi Daniel,"
    assert suggestions[1].reason == "Mention the call 5 minutes ago"
    assert suggestions[1].text == "Following up on your call 5 minutes ago:"
    done = suggest("Hi Daniel, following up on your call with Leo: the refund is on its way.", ctx, triage=result)
    assert done == []


def test_angry_commenter_gets_an_apology_and_acknowledgement(demo: Database) -> None:
    ctx = _context(demo, "demo-refund-5")
    suggestions = suggest("¡Hola, Jorge! Revisamos tu devolución.", ctx)
    kinds = _kinds(suggestions)
    assert "name" not in kinds
    assert {"repeat", "feelings", "apology"} <= set(kinds)
    assert all(s.text and s.reason for s in suggestions)


def test_calm_question_needs_no_apology(demo: Database) -> None:
    ctx = _context(demo, "demo-theme-05")
    kinds = _kinds(suggest("It's per month: the price per bag stays the same.", ctx))
    assert "apology" not in kinds and "feelings" not in kinds


def test_detectors() -> None:
    assert has_apology("Sorry about that!", "en") and has_apology("Perdona la espera.", "es")
    assert not has_apology("Thanks for your order.", "en")
    assert mentions_name("hola, NAYRA", "Náyra") and not mentions_name("Hola", "Nayra")


@pytest.mark.parametrize(
    ("draft", "where", "text", "expected"),
    [
        ("Hi,\n\nIt is on its way.", "greeting", "Hi Ana,", "Hi Ana,\n\nIt is on its way."),
        ("It is on its way.", "greeting", "Hola, Ana:", "Hola, Ana:\n\nIt is on its way."),
        (
            "Hi Ana,\n\nIt is on its way.\n\nBest",
            "opening",
            "Sorry it took two tries.",
            "Hi Ana,\n\nSorry it took two tries.\n\nIt is on its way.\n\nBest",
        ),
        (
            "Hi Ana! It is on its way.",
            "opening",
            "Sorry for the wait.",
            "Hi Ana! Sorry for the wait. It is on its way.",
        ),
        ("It is on its way.", "opening", "Sorry for the wait.", "Sorry for the wait. It is on its way."),
    ],
)
def test_insert_suggestion_puts_it_where_it_belongs(draft: str, where: str, text: str, expected: str) -> None:
    from drafting.empathy import Suggestion, insert_suggestion

    assert insert_suggestion(draft, Suggestion("name", text, "why", where)) == expected
