"""What "apply" does to a finding: replace its span with the words its suggestion quotes, or remove it.

Only suggestions that name exact words are applied: a greeting by the
customer's name ("Hi Daniel,"), a lexicon line whose whole suggestion is a
quoted phrase, or one that says to remove the phrase. Advice ("say what went
wrong") and examples inside advice ("Sorry your order arrived late.") are for
a person to follow; applying them would put invented facts in a reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.checks.findings import Finding

_QUOTE = re.compile(r"“([^”]+)”|«([^»]+)»")
_REMOVE = ("remove it", "quítalo")
_PUNCTUATION = ",.;:!?"
_SENTENCE_END = ".!?\n"


@dataclass(frozen=True)
class Fix:
    """Replace `body[start:end]` with `text`."""

    start: int
    end: int
    text: str


def _quotes(suggestion: str) -> list[str]:
    return [a or b for a, b in _QUOTE.findall(suggestion)]


def _only_quote(suggestion: str) -> str | None:
    """The quoted phrase when the suggestion is nothing else (a full stop after a closing » is allowed)."""
    match = _QUOTE.fullmatch(suggestion.strip().rstrip("."))
    return (match.group(1) or match.group(2)) if match else None


def _at_sentence_start(body: str, start: int) -> bool:
    before = body[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END


def _fit(body: str, start: int, end: int, words: str) -> Fix:
    """`words` in place of the span: its case and its last punctuation follow the text around it."""
    words = words.strip()
    if words.endswith("…"):
        words = words[:-1].rstrip()
    if words and end < len(body) and body[end] in _PUNCTUATION:
        words = words.rstrip(_PUNCTUATION)  # "Dear customer," -> "Hi Daniel," not "Hi Daniel,,"
    if words and words[:2] not in ("I ", "I'", "I’"):  # "I" keeps its capital mid-sentence
        first = words[0].upper() if _at_sentence_start(body, start) else words[0].lower()
        words = first + words[1:]
    return Fix(start, end, words)


def _removal(body: str, start: int, end: int) -> Fix:
    """Remove the span with the comma and space that joined it to the sentence; recapitalize what follows."""
    while end < len(body) and body[end] in ",;:":
        end += 1
    while end < len(body) and body[end] in " \t":
        end += 1
    if start > 0 and body[start - 1] in " \t" and (end >= len(body) or body[end] in _PUNCTUATION + "\n"):
        start -= 1  # a phrase at the end of a sentence takes the space before it
    text = ""
    if _at_sentence_start(body, start) and end < len(body) and body[end].islower():
        text, end = body[end].upper(), end + 1
    return Fix(start, end, text)


def fix_for(finding: Finding, body: str) -> Fix | None:
    """The edit that applies `finding`'s suggestion to `body`, or None when the suggestion is advice only."""
    if not 0 <= finding.start < finding.end <= len(body):
        return None
    suggestion = finding.suggestion.strip()
    if finding.code == "generic_greeting":
        quotes = _quotes(suggestion)
        return _fit(body, finding.start, finding.end, quotes[0]) if len(quotes) == 1 else None
    if finding.code == "robotic_phrase":
        if suggestion.lower().startswith(_REMOVE):
            return _removal(body, finding.start, finding.end)
        words = _only_quote(suggestion)
        return _fit(body, finding.start, finding.end, words) if words else None
    return None


def apply_fix(body: str, fix: Fix) -> str:
    """`body` with `fix` applied."""
    return body[: fix.start] + fix.text + body[fix.end :]
