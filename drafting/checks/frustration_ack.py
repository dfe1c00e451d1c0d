"""`unacknowledged_frustration`: the customer is upset and the reply does not own it.

A customer is upset when their message has a cue from
`assets/lexicons/{lang}/frustration.txt` ("third time", "inaceptable",
"!!!", shouting). The reply acknowledges it with a line from
`acknowledgements.txt` ("you're right", "lo siento"). A form-letter apology
("We apologize for any inconvenience") is not an acknowledgement: robotic
phrases are taken out before looking.
"""

from __future__ import annotations

from collections.abc import Sequence

from drafting.checks.findings import Finding, Severity
from drafting.checks.lexicons import any_of
from drafting.checks.sentences import opening_span

MESSAGES = {
    "en": (
        "The customer is upset (“{cue}”) and the reply does not acknowledge it.",
        "Own it first: “You're right, and I'm sorry this happened again.”",
    ),
    "es": (
        "El cliente está molesto («{cue}») y la respuesta no lo reconoce.",
        "Reconócelo primero: «Tienes toda la razón, y siento que haya vuelto a pasar».",
    ),
}


def frustration_cues(text: str) -> list[str]:
    """The frustration cues in a message, in order of appearance."""
    return [m.group(0) for m in any_of("frustration").finditer(text)]


def acknowledges(text: str, *, ignore: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether a reply owns the customer's frustration somewhere, outside the `ignore` spans."""
    masked = text
    for start, end in ignore:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return any_of("acknowledgements").search(masked) is not None


def find_unacknowledged_frustration(
    text: str, incoming: str, *, ignore: Sequence[tuple[int, int]] = (), lang: str = "en"
) -> list[Finding]:
    """A warning on the reply's opening when the incoming message is upset and the reply never owns it."""
    if not incoming.strip() or not text.strip():
        return []
    cue = any_of("frustration").search(incoming)
    if cue is None or acknowledges(text, ignore=ignore):
        return []
    span = opening_span(text)
    start, end = span if span is not None else (0, len(text))
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    return [
        Finding("unacknowledged_frustration", Severity.WARN, start, end, message.format(cue=cue.group(0)), suggestion)
    ]
