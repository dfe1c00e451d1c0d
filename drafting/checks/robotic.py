"""`robotic_phrase`: corporate and machine tells ("We apologize for any inconvenience", "As an AI"), with a warmer line."""

from __future__ import annotations

from drafting.checks.findings import Finding, Severity
from drafting.checks.lexicons import Words, suggestion_rules

MESSAGES = {
    "en": "“{text}” sounds like a form letter, not a person.",
    "es": "«{text}» suena a carta de formulario, no a una persona.",
}


def find_robotic_phrases(text: str, lang: str = "en", *, words: Words | None = None) -> list[Finding]:
    """Every robotic phrase of either language, each with the suggestion its lexicon line gives.

    `words`: the text's words, when the caller already has them.
    """
    rules = suggestion_rules("robotic_phrases")
    pattern = rules.entries.pattern_for(words if words is not None else Words.of(text))
    message = MESSAGES.get(lang, MESSAGES["en"])
    return [
        Finding(
            "robotic_phrase",
            Severity.WARN,
            m.start(),
            m.end(),
            message.format(text=m.group(0)),
            rules.value_of(m)[1],
        )
        for m in pattern.finditer(text)
    ]
