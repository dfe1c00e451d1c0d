"""Applying a finding's suggestion: exact words replace the span; advice is never pasted into a reply."""

from __future__ import annotations

import pytest

from drafting.checks import CheckInput, check_draft
from drafting.checks.findings import Finding, Severity
from drafting.checks.fixes import apply_fix, fix_for


def _applied(body: str, code: str, lang: str = "en") -> str | None:
    findings = check_draft(CheckInput(body=body, channel="email", language=lang, context=None, max_chars=None))
    finding = next(f for f in findings if f.code == code)
    fix = fix_for(finding, body)
    return apply_fix(body, fix) if fix is not None else None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Hi Ana,\n\nPlease don't hesitate to contact us.\n\nMarta",
            "Hi Ana,\n\nJust reply here if anything else comes up.\n\nMarta",
        ),
        ("Hi Ana,\n\nAs an AI, i can check that.", "Hi Ana,\n\nI can check that."),
        ("Hi Ana, the refund is done as an AI.", "Hi Ana, the refund is done."),
        (
            "Hi Ana, and thank you for bringing this to our attention.",
            "Hi Ana, and thanks for telling us.",
        ),
    ],
)
def test_robotic_phrases_with_exact_words_are_replaced(body: str, expected: str) -> None:
    assert _applied(body, "robotic_phrase") == expected


def test_spanish_phrase_keeps_the_sentence_punctuation() -> None:
    body = "Hola, Ana:\n\nNo dude en contactarnos.\n\nMarta"
    assert (
        _applied(body, "robotic_phrase", "es") == "Hola, Ana:\n\nSi necesitas algo más, respóndeme aquí mismo.\n\nMarta"
    )


def test_advice_with_an_example_is_not_applied() -> None:
    # "Sorry your order arrived late." is an example: applying it would invent a fact.
    assert _applied("Hi Ana,\n\nWe apologize for any inconvenience.", "robotic_phrase") is None


def test_a_greeting_by_name_replaces_the_generic_one_without_doubling_the_comma() -> None:
    finding = Finding("generic_greeting", Severity.WARN, 0, 13, "Generic", "Greet them by name: “Hi Daniel,”")
    body = "Dear customer,\n\nThanks."
    fix = fix_for(finding, body)
    assert fix is not None
    assert apply_fix(body, fix) == "Hi Daniel,\n\nThanks."


@pytest.mark.parametrize("code", ["commitment", "placeholder", "ignores_recent_contact", "too_long"])
def test_other_findings_have_no_automatic_fix(code: str) -> None:
    assert fix_for(Finding(code, Severity.WARN, 0, 3, "m", "“Hi”"), "abc def") is None


def test_a_span_outside_the_text_is_not_applied() -> None:
    assert fix_for(Finding("robotic_phrase", Severity.WARN, 5, 50, "m", "“Hi”"), "short") is None
