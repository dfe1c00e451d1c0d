"""Triage: the labelled set's precision and recall, language detection, and triaging the demo's work items."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from drafting.language import detect_language
from drafting.triage import REASONS, fold, triage, triage_items
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Interaction, WorkItem

LABELLED = Path(__file__).resolve().parent.parent / "data" / "triage_labelled.jsonl"


def _cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scores() -> tuple[dict[str, tuple[float, float]], tuple[float, float]]:
    per: dict[str, Counter[str]] = {r: Counter() for r in REASONS}
    esc: Counter[str] = Counter()
    for case in _cases():
        result = triage(case["text"], history=case["history"])
        for reason in REASONS:
            got, want = reason in result.reasons, reason in case["reasons"]
            per[reason]["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1
        got, want = result.escalate, case["escalate"]
        esc["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1

    def pr(c: Counter[str]) -> tuple[float, float]:
        return c["tp"] / max(c["tp"] + c["fp"], 1), c["tp"] / max(c["tp"] + c["fn"], 1)

    return {r: pr(c) for r, c in per.items()}, pr(esc)


def test_labelled_set_is_big_and_balanced() -> None:
    cases = _cases()
    assert len(cases) >= 200
    assert len({c["id"] for c in cases}) == len(cases)
    langs = Counter(c["lang"] for c in cases)
    assert langs["en"] >= 80 and langs["es"] >= 80
    assert {c["channel"] for c in cases} >= {"comment", "email"}
    for case in cases:
        assert case["escalate"] == bool(case["reasons"]), case["id"]
        assert set(case["reasons"]) <= set(REASONS), case["id"]
    for reason in REASONS:
        assert sum(reason in c["reasons"] for c in cases) >= 10, reason
    # Repeat complaints that only the history reveals, with no angry word.
    assert sum(bool(c["history"]) and c["reasons"] == ["repeat_issue"] for c in cases) >= 10


def test_escalation_recall_and_precision() -> None:
    _, (precision, recall) = _scores()
    assert recall >= 0.9
    assert precision >= 0.8


@pytest.mark.parametrize("reason", REASONS)
def test_each_reason_is_found(reason: str) -> None:
    per, _ = _scores()
    precision, recall = per[reason]
    assert precision >= 0.8, f"{reason}: precision {precision:.2f}"
    assert recall >= 0.8, f"{reason}: recall {recall:.2f}"


def test_calm_message_is_calm() -> None:
    result = triage("Could my deliveries come on Mondays instead of Fridays? Thanks!")
    assert result.frustration < 0.2
    assert not result.escalate and result.reasons == ()
    assert result.language == "en"


def test_the_angry_commenter() -> None:
    text = (
        "@cafealba Me prometisteis la devolución en 5 días hábiles y ya van casi tres semanas. Dos correos y ni "
        "una respuesta clara. Si esta semana no tengo el dinero, lo pongo en manos de mi abogado y me doy de baja. "
        "Vergonzoso."
    )
    result = triage(text)
    assert result.escalate
    assert set(result.reasons) == {"anger", "legal_threat", "churn_risk", "repeat_issue"}
    assert result.frustration > 0.85
    assert result.language == "es"
    spans = {c.kind: text[c.start : c.end] for c in result.cues}
    assert spans["legal_threat"] == "en manos de mi abogado"
    assert spans["anger"] == "Vergonzoso"


def test_accents_and_case_do_not_matter() -> None:
    assert triage("VERGUENZA de servicio").reasons == ("anger",)
    assert triage("una vergüenza").reasons == ("anger",)
    assert len(fold("ÁÉÍÓÚÑ ß İ")) == len("ÁÉÍÓÚÑ ß İ")


def test_negation_and_self_description_do_not_escalate() -> None:
    assert not triage("Not the worst thing to wake up to ☕").escalate
    assert not triage("I'm a lawyer and our office drinks a lot of coffee.").escalate
    assert triage("My lawyer will be in touch.").reasons == ("legal_threat",)


def test_shouting_is_anger_only_with_a_problem() -> None:
    assert not triage("LOVE IT!!! AMAZING COFFEE").escalate
    assert triage("STILL NOT DELIVERED. FIX IT!!!").reasons == ("anger",)


def test_history_reveals_a_repeat_without_angry_words() -> None:
    history = ["Hi, my order A-49012 hasn't arrived and tracking hasn't moved for five days. Olivia"]
    text = "Hi, order A-51240 hasn't arrived yet and tracking hasn't moved in six days. Olivia"
    assert triage(text).reasons == ()
    result = triage(text, history=history, names=["Olivia Grant"])
    assert result.reasons == ("repeat_issue",)
    assert result.history_matches[0].index == 0
    assert "olivia" not in result.history_matches[0].shared
    # The same routine request twice is not a repeat issue.
    invoice = "Could you send the invoice for order A-51322 with our VAT number?"
    assert not triage(invoice, history=["Could you send the invoice for order A-50211 with our VAT number?"]).escalate


def test_safety_escalates_even_after_a_negation() -> None:
    assert triage("I don't want to hurt myself but I can't sleep").reasons == ("safety",)
    assert triage("Había trozos de cristal en la bolsa").reasons == ("safety",)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ok perfecto", "es"),
        ("vale, gracias!", "es"),
        ("hola", "es"),
        ("genial 😍", "es"),
        ("pésimo", "es"),
        ("love it", "en"),
        ("ok perfect", "en"),
        ("thanks!", "en"),
        ("worst", "en"),
        ("where is my order", "en"),
        ("el pedido no llega", "es"),
    ],
)
def test_language_of_short_texts(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_says_default_when_the_text_says_nothing() -> None:
    assert detect_language("😍😍😍") == "es"
    assert detect_language("A-48213 👍", default="en") == "en"
    assert detect_language("Could you confirm the refund in writing?", languages=("en",)) == "en"
    with pytest.raises(ValueError, match="at least one language"):
        detect_language("hola", languages=())


def test_labelled_languages() -> None:
    wrong = [c["id"] for c in _cases() if triage(c["text"]).language != c["lang"]]
    assert wrong == []


def test_triage_items_on_the_demo(db: Database) -> None:
    seed_demo(db)
    with db.write() as session:
        assert triage_items(session) > 20
    with db.session() as session:
        rows = session.exec(select(WorkItem, Interaction).join(Interaction)).all()
        by_source = {interaction.source_id: item for item, interaction in rows}
    angry = by_source["demo-refund-5"]
    assert angry.escalated and angry.language == "es"
    assert {"legal_threat", "churn_risk", "anger"} <= set(angry.escalation_reasons.split(","))
    assert angry.frustration > 0.85
    repeat = by_source["demo-late-8"]
    assert repeat.escalated
    assert "repeat_issue" in repeat.escalation_reasons.split(",")
    # The customer who called five minutes ago about the same charge is not a repeat complainer.
    assert not by_source["demo-billing-5"].escalated
    assert by_source["demo-billing-5"].language == "en"
    open_items = [i for i in by_source.values() if i.status not in ("sent", "closed")]
    assert sum(i.escalated for i in open_items) <= 4  # the queue stays for the cases that need a person


def test_triage_items_only_the_asked_ones(db: Database) -> None:
    seed_demo(db)
    with db.session() as session:
        item = session.exec(select(WorkItem).join(Interaction).where(Interaction.source_id == "demo-late-8")).one()
        before = (item.frustration, item.escalation_reasons)
    with db.write() as session:
        assert triage_items(session, item_ids=[]) == 0
        assert triage_items(session, item_ids=[item.id or 0]) == 1
    with db.session() as session:
        again = session.get(WorkItem, item.id)
        assert again is not None
        assert (again.frustration, again.escalation_reasons) != before
