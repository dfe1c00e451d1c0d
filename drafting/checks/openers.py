"""`repeated_opener`: the same first line the team used in many recent replies ("Thanks for reaching out!")."""

from __future__ import annotations

from collections.abc import Sequence

from drafting.checks.findings import Finding, Severity
from drafting.checks.sentences import opener_key, opening_span

REPEATS = 3
"""An opener used this many times among the recent replies reads as a template."""

MESSAGES = {
    "en": (
        "The team opened {count} of its last {total} replies with this line.",
        "Open with something about this message: what they asked, or what you did.",
    ),
    "es": (
        "El equipo empezó así {count} de sus últimas {total} respuestas.",
        "Empieza por algo de este mensaje: lo que pregunta, o lo que has hecho.",
    ),
}


def find_repeated_opener(text: str, recent_openers: Sequence[str], lang: str = "en") -> list[Finding]:
    """A warning on the opening sentence when at least REPEATS of `recent_openers` (keys) are the same."""
    span = opening_span(text)
    if span is None or not recent_openers:
        return []
    key = opener_key(text[span[0] : span[1]])
    if not key:
        return []
    count = sum(opener_key(o) == key for o in recent_openers)
    if count < REPEATS:
        return []
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    return [
        Finding(
            "repeated_opener",
            Severity.WARN,
            span[0],
            span[1],
            message.format(count=count, total=len(recent_openers)),
            suggestion,
        )
    ]
