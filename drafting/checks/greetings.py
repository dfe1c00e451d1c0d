"""`generic_greeting`: "Dear customer", "Estimado cliente", "To whom it may concern" to someone whose name we know."""

from __future__ import annotations

import re
from functools import cache

from drafting.checks.findings import Finding, Severity
from drafting.context import lexicon_lines

MESSAGES = {
    "en": (
        "Generic greeting “{text}”: it could go to anyone.",
        "Greet them by name: “Hi {name},”",
        "Greet them as a person: “Hi,” or “Hi there,”",
    ),
    "es": (
        "Saludo genérico «{text}»: vale para cualquiera.",
        "Salúdale por su nombre: «Hola, {name}:»",
        "Saluda como una persona: «Hola:»",
    ),
}


@cache
def _pattern() -> re.Pattern[str]:
    # Only at the start of a line (after an optional ¡): a phrase quoted mid-sentence is not a greeting.
    lines = [p for lang in ("en", "es") for p in lexicon_lines("generic_greetings", lang)]
    alternation = "|".join(f"(?:{p})" for p in lines)
    # The greeting must end there ("Dear customer," yes; "Dear customer service teams" no).
    return re.compile(rf"^[ \t]*[¡]?(?:{alternation})(?=[ \t]*(?:[,:;!.]|$))", re.IGNORECASE | re.MULTILINE)


def find_generic_greetings(text: str, *, first_name: str, lang: str = "en") -> list[Finding]:
    """Greetings that could go to anyone: a warning when the name is known, a note otherwise."""
    message, named, unnamed = MESSAGES.get(lang, MESSAGES["en"])
    findings = []
    for m in _pattern().finditer(text):
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t"))
        phrase = text[start : m.end()]
        if first_name:
            findings.append(
                Finding(
                    "generic_greeting",
                    Severity.WARN,
                    start,
                    m.end(),
                    message.format(text=phrase),
                    named.format(name=first_name),
                )
            )
        else:
            findings.append(
                Finding("generic_greeting", Severity.INFO, start, m.end(), message.format(text=phrase), unnamed)
            )
    return findings
