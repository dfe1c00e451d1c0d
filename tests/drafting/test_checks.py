"""The human check: each check's spans in both languages, the labelled set's thresholds, and `latido check`.

What the labelled set (tests/data/checks_labelled.jsonl) counts as a
commitment: a sentence that commits the team to money (refunds, credits,
discounts, free things), a date or delivery time, an action the team will
take, or a guarantee, and also a sentence that reports money already sent
("your refund went out on Tuesday"), because a wrong statement there costs as
much as a wrong promise. Looking back ("it arrived late", "siento que llegara
así") is not a commitment. "No dude en contactarnos" (a form-letter closing) is
a robotic phrase; "no dudes en escribirme si el café tampoco te convence" (a
specific offer, in the team's own voice) is not.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from desktop.cli import main
from drafting.checks import CheckInput, RecentContact, Severity, check_draft, check_item_draft
from drafting.checks.commitments import find_commitments
from drafting.checks.contacts import KnownFacts, find_unknown_contacts
from drafting.checks.frustration_ack import find_unacknowledged_frustration
from drafting.checks.greetings import find_generic_greetings
from drafting.checks.language import detect_language, find_language_mismatch
from drafting.checks.length import find_too_long
from drafting.checks.openers import find_repeated_opener
from drafting.checks.recent_contact import find_ignored_recent_contact
from drafting.checks.robotic import find_robotic_phrases
from drafting.checks.scoring import evaluate, load_cases
from drafting.composer import OfflineComposer, compose
from drafting.context import build_context
from drafting.drafts import generate_draft
from storage.database import Database
from storage.demo import seed_demo
from storage.models import Customer, WorkItem

LABELLED = Path(__file__).parent.parent / "data" / "checks_labelled.jsonl"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _spans(text: str, findings: list) -> list[str]:  # type: ignore[type-arg]
    return [text[f.start : f.end] for f in findings]


# -- each check, both languages ------------------------------------------------------


def test_generic_greeting_spans_and_severity() -> None:
    text = "Dear valued customer,\n\nThanks!"
    found = find_generic_greetings(text, first_name="Daniel")
    assert _spans(text, found) == ["Dear valued customer"]
    assert found[0].severity is Severity.WARN and "Daniel" in found[0].suggestion
    es = "¡Hola!\nEstimado cliente:\nGracias."
    found = find_generic_greetings(es, first_name="Nayra", lang="es")
    assert _spans(es, found) == ["Estimado cliente"]
    assert "Nayra" in found[0].suggestion and found[0].message.startswith("Saludo")
    assert find_generic_greetings("Hola usuario, ¿qué tal?", first_name="")[0].severity is Severity.INFO
    assert find_generic_greetings("You wrote “Dear customer”, ha.", first_name="Ana") == []
    assert find_generic_greetings("Dear customer service teams: take notes", first_name="Ana") == []


def test_robotic_phrases_with_suggestions() -> None:
    text = "Hi Ana, we apologize for any inconvenience this may have caused. As an AI, I can't."
    found = find_robotic_phrases(text)
    assert _spans(text, found) == ["we apologize for any inconvenience this may have caused", "As an AI"]
    assert all(f.suggestion for f in found)
    es = "Lamentamos las molestias ocasionadas. No dude en contactarnos."
    assert _spans(es, find_robotic_phrases(es, "es")) == [
        "Lamentamos las molestias ocasionadas",
        "No dude en contactarnos",
    ]
    assert find_robotic_phrases("No dudes en escribirme si el café tampoco te convence.", "es") == []


def test_commitments_span_whole_sentences() -> None:
    text = "Sorry it arrived late. We'll refund the shipping by Friday. Enjoy!"
    assert _spans(text, find_commitments(text)) == ["We'll refund the shipping by Friday."]
    es = "Siento que llegara así. Le devolveremos el importe en 24 horas."
    assert _spans(es, find_commitments(es, "es")) == ["Le devolveremos el importe en 24 horas."]
    assert find_commitments("Siento que llegara así, de verdad.", "es") == []


def test_unknown_contacts_against_known_facts() -> None:
    known = KnownFacts(["Daniel Whitaker", "daniel.w@example.com", "+44 7700 900123", "Order A-51234"])
    text = "Hi Sarah,\n\nA-51234 and A-77120. Call +44 20 7946 0958 or 07700 900123, or write to x@y.example."
    found = find_unknown_contacts(text, known)
    assert _spans(text, found) == ["Sarah", "A-77120", "+44 20 7946 0958", "x@y.example"]
    assert find_unknown_contacts("Hi Daniel, A-51234 is out.", known) == []
    assert find_unknown_contacts("Hi Sarah, A-1234.", KnownFacts([])) == []  # nothing known: nothing to compare


def test_too_long_counts_characters() -> None:
    text = "x" * 290 + "\n"
    found = find_too_long(text, channel="comment", limit=280)
    assert (found[0].start, found[0].end) == (280, 290)
    assert "290" in found[0].message and "10 over" in found[0].message
    assert find_too_long("x" * 280, channel="comment", limit=280) == []
    assert "caracteres" in find_too_long("y" * 2001, channel="email", limit=2000, lang="es")[0].message


def test_language_detection_is_restricted_and_careful_with_short_text() -> None:
    assert detect_language("ok perfecto") is None
    assert detect_language("Gracias! 🙌") is None
    assert detect_language("Thanks so much for the lovely words, we really appreciate it!") == "en"
    assert detect_language("Muchas gracias por tus palabras, nos alegra que te guste.") == "es"
    text = "  Thanks so much for the lovely words!\n"
    found = find_language_mismatch(text, expected="es-MX", detected="en", lang="en")
    assert (found[0].start, found[0].end) == (2, len(text.rstrip()))
    assert "Spanish" in found[0].message
    assert find_language_mismatch(text, expected="fr", detected="en") == []


def test_frustration_needs_a_real_acknowledgement() -> None:
    incoming = "Third time I'm asking. Unacceptable."
    text = "Hi Ana,\n\nWe apologize for any inconvenience. Your order is on its way."
    robotic = [(f.start, f.end) for f in find_robotic_phrases(text)]
    found = find_unacknowledged_frustration(text, incoming, ignore=robotic)
    assert _spans(text, found) == ["We apologize for any inconvenience."]
    assert find_unacknowledged_frustration("Hi Ana, you're right, and I'm sorry.", incoming) == []
    es = "Hola, Nayra:\n\nTu pedido está en camino."
    found = find_unacknowledged_frustration(es, "¡¡Es la cuarta vez!!", lang="es")
    assert _spans(es, found) == ["Tu pedido está en camino."]
    assert find_unacknowledged_frustration(es, "¿Cuándo llega?", lang="es") == []


def test_recent_contact_must_be_reflected() -> None:
    call = [RecentContact("call", "5 minutes ago")]
    text = "Hi Daniel,\n\nCould you send the card's last digits?"
    found = find_ignored_recent_contact(text, call)
    assert _spans(text, found) == ["Could you send the card's last digits?"]
    assert "5 minutes ago" in found[0].suggestion
    assert find_ignored_recent_contact("Hi Daniel, thanks for the call earlier.", call) == []
    es = "Hola, Jorge: veo que nos llamaste hace un rato."
    assert find_ignored_recent_contact(es, [RecentContact("call", "hace 5 minutos")], "es") == []


def test_repeated_opener_needs_many_repeats() -> None:
    recent = ("Thanks for reaching out!", "Thanks for reaching out, Sam!", "Hi Jo! Thanks for reaching out.")
    text = "Hi Ana! Thanks for reaching out! It's back."
    found = find_repeated_opener(text, recent)
    assert _spans(text, found) == ["Thanks for reaching out!"]
    assert find_repeated_opener(text, recent[:2]) == []
    es = "¡Hola, Ana! Gracias por escribirnos. Ya está."
    recent_es = ("¡Gracias por escribirnos!", "Gracias por escribirnos, Luis.", "Gracias por escribirnos.")
    assert _spans(es, find_repeated_opener(es, recent_es, "es")) == ["Gracias por escribirnos."]


def test_check_draft_orders_findings_and_speaks_the_drafts_language() -> None:
    draft = CheckInput(
        body="Estimado cliente:\n\nLamentamos las molestias ocasionadas. Le devolveremos el importe en 24 horas.",
        channel="email",
        language="es",
        customer_name="Nayra Hernández",
    )
    findings = check_draft(draft)
    assert [f.code for f in findings] == ["generic_greeting", "robotic_phrase", "commitment"]
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(f.message.startswith(("Saludo", "«", "Compromiso")) for f in findings)


# -- the labelled set ----------------------------------------------------------------


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(load_cases(LABELLED))


def test_labelled_set_is_big_and_balanced() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    assert len({r["id"] for r in rows}) == len(rows)
    for lang in ("en", "es"):
        for channel in ("comment", "email"):
            assert sum(r["lang"] == lang and r["channel"] == channel for r in rows) >= 40, (lang, channel)
    assert sum(r["human_written"] for r in rows) >= 100
    assert sum(not r["human_written"] for r in rows) >= 60


def test_placeholders_are_all_found_and_nothing_else_flags_one(report) -> None:  # type: ignore[no-untyped-def]
    score = report.scores["placeholder"]
    assert score.true_pos >= 10
    assert (score.recall, score.precision) == (1.0, 1.0), (score.missed, score.extra)


def test_commitment_recall(report) -> None:  # type: ignore[no-untyped-def]
    score = report.scores["commitment"]
    assert score.true_pos >= 40
    assert score.recall >= 0.95, score.missed


def test_robotic_phrases_rarely_fire_on_human_replies(report) -> None:  # type: ignore[no-untyped-def]
    assert report.human_cases >= 100
    assert report.human_robotic_rate <= 0.10, report.human_robotic
    assert report.scores["robotic_phrase"].recall >= 0.9, report.scores["robotic_phrase"].missed


@pytest.mark.parametrize(
    "code",
    [
        "generic_greeting",
        "unknown_contact",
        "too_long",
        "language_mismatch",
        "unacknowledged_frustration",
        "ignores_recent_contact",
        "repeated_opener",
    ],
)
def test_every_other_code_is_useful(report, code: str) -> None:  # type: ignore[no-untyped-def]
    score = report.scores[code]
    assert score.true_pos >= 5, code
    assert score.recall >= 0.8 and score.precision >= 0.8, (code, score.missed, score.extra)


# -- the demo and the database -------------------------------------------------------


@pytest.fixture
def demo(sqlite_url: str) -> Database:
    db = Database(sqlite_url)
    db.upgrade(backup=False)
    seed_demo(db, now=NOW)
    return db


def test_offline_drafts_have_their_gaps_flagged_and_sound_human(demo: Database) -> None:
    with demo.session() as s:
        items = [int(i or 0) for i in s.exec(select(WorkItem.id)).all()]
        assert len(items) > 20
        gaps = 0
        for item_id in items:
            ctx = build_context(s, item_id=item_id, now=NOW)
            text = compose(ctx)
            findings = check_draft(CheckInput(body=text, channel=ctx.channel, context=ctx))
            placeholders = [text[f.start : f.end] for f in findings if f.code == "placeholder"]
            assert placeholders == _gaps(text), text
            assert all(f.severity is Severity.BLOCK for f in findings if f.code == "placeholder")
            assert not [f for f in findings if f.code in ("generic_greeting", "robotic_phrase", "language_mismatch")]
            gaps += len(placeholders)
    assert gaps > 20


def _gaps(text: str) -> list[str]:
    return re.findall(r"\[\[to confirm:[^\]]*\]\]", text)


def test_check_item_draft_reads_the_newest_revision_in_context(demo: Database) -> None:
    with demo.session() as s:
        item_id = s.exec(
            select(WorkItem.id)
            .join(Customer, Customer.id == WorkItem.customer_id)  # type: ignore[arg-type]  # column comparison
            .where(Customer.name.startswith("Daniel"), WorkItem.channel == "email")  # type: ignore[attr-defined]  # column expression
        ).first()
    assert item_id is not None
    outcome = generate_draft(demo, item_id=item_id, provider=OfflineComposer(), now=NOW)
    with demo.session() as s:
        findings = check_item_draft(s, draft_id=outcome.draft_id, now=NOW)
    codes = {f.code for f in findings}
    assert "placeholder" in codes  # the composer's gaps
    assert "ignores_recent_contact" not in codes  # it mentions the call five minutes ago
    with demo.session() as s, pytest.raises(LookupError):
        check_item_draft(s, draft_id=999_999)


# -- latido check --------------------------------------------------------------------


def _run(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["check", *args])


def test_cli_clean_draft_exits_0(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(monkeypatch, "Glad you liked it, Megan! Try it as filter.", "--channel", "comment", "--lang", "en") == 0
    assert capsys.readouterr().out == ""
    assert _run(monkeypatch, "ok perfecto", "--channel", "comment", "--lang", "es", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"findings": []}


def test_cli_findings_exit_1_with_exact_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "Dear customer,\n\nWe apologize for any inconvenience. We will refund you by Friday.\n"
    assert _run(monkeypatch, body, "--json", "--lang", "en") == 1
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["findings"]
    assert [list(f) for f in document["findings"]] == [
        ["code", "severity", "start", "end", "message", "suggestion"]
    ] * 3
    first, robotic, commitment = document["findings"]
    assert (first["code"], first["severity"], first["start"], first["end"]) == ("generic_greeting", "info", 0, 13)
    assert (robotic["code"], robotic["severity"]) == ("robotic_phrase", "warn")
    assert body[robotic["start"] : robotic["end"]] == "We apologize for any inconvenience"
    assert body[commitment["start"] : commitment["end"]] == "We will refund you by Friday."

    assert _run(monkeypatch, body, "--lang", "en") == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("warn robotic_phrase 16-50: “We apologize for any inconvenience”")
    assert " — " in lines[1]


def test_cli_uses_the_customer_and_incoming_message(
    demo: Database, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    incoming = tmp_path / "incoming.txt"
    incoming.write_text("Es la cuarta vez que llega tarde. Inaceptable.", encoding="utf-8")
    body = "Hola, Marina:\n\nTu pedido A-99999 está en camino."
    args = ["--database-url", sqlite_url, "check", "--customer", "C-1001", "--incoming", str(incoming), "--json"]
    monkeypatch.setattr("sys.stdin", io.StringIO(body))
    assert main(args) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert {(f["code"], body[f["start"] : f["end"]]) for f in found} >= {
        ("unknown_contact", "Marina"),
        ("unknown_contact", "A-99999"),
        ("unacknowledged_frustration", "Tu pedido A-99999 está en camino."),
    }
    assert all(f["message"][0] in "«" or f["message"][0].isalpha() for f in found)


@pytest.mark.parametrize(
    ("args", "stdin", "reason"),
    [
        (["check"], "   \n", "no draft on stdin"),
        (["check", "--incoming", "/nonexistent/incoming.txt"], "Hi!", "cannot read --incoming"),
        (["check", "--customer", "C-NOPE"], "Hi!", "no customer C-NOPE"),
        (["check", "--channel", "fax"], "Hi!", "invalid choice"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    reason: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["--database-url", sqlite_url, *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert reason in err and err.count("\n") == 1
