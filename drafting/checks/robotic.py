"""`robotic_phrase`: corporate and machine tells ("We apologize for any inconvenience", "As an AI"), with a warmer line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

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


AVOID_MESSAGES = {
    "en": "“{text}” is on the voice guide's list of words to avoid.",
    "es": "«{text}» está en la lista de palabras que evita la guía de voz.",
}
AVOID_SUGGESTIONS = {
    "en": "Say it the way the team talks: see the voice guide's words to use.",
    "es": "Dilo como habla el equipo: mira las palabras que recomienda la guía de voz.",
}


_APOSTROPHE = re.compile("['’]")


@lru_cache(maxsize=32)
def _avoid_pattern(avoid: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for the guide's phrases: whole words, any spacing, either apostrophe."""
    alternatives = []
    for phrase in sorted({" ".join(p.split()) for p in avoid if p.strip()}, key=len, reverse=True):
        words = [_APOSTROPHE.sub("['’]", re.escape(w)) for w in phrase.split(" ")]
        alternatives.append(r"\s+".join(words))
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def find_avoided_words(text: str, avoid: Sequence[str], lang: str = "en") -> list[Finding]:
    """`robotic_phrase` for every use of a voice guide's word or phrase to avoid, in the guide's language."""
    pattern = _avoid_pattern(tuple(avoid))
    if pattern is None:
        return []
    message = AVOID_MESSAGES.get(lang, AVOID_MESSAGES["en"])
    suggestion = AVOID_SUGGESTIONS.get(lang, AVOID_SUGGESTIONS["en"])
    return [
        Finding("robotic_phrase", Severity.WARN, m.start(), m.end(), message.format(text=m.group(0)), suggestion)
        for m in pattern.finditer(text)
    ]
