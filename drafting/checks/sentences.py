"""Where a draft's sentences, greeting and opening line are: character spans the checks point at."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A sentence ends at . ! ? or … followed by whitespace (so "39.00" and "A-48213." stay whole), or at a line break.
_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")
GREETING_WORD = (
    r"(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|"
    r"hola|buenas(?: tardes| noches)?|buenos d[ií]as|estimad[oa]s?|querid[oa]s?)"
)
# A sentence that only greets: "Hi Daniel,", "¡Hola, Nayra!", "Hola Marta", "Hi there!".
_GREETING_ONLY = re.compile(rf"^[¡¿]?{GREETING_WORD}\b(?:[ ,]+[\w@.'’-]+){{0,3}}\s*[,:!.]?$", re.IGNORECASE)
# A greeting at the head of a longer sentence: "Hi Ana, thanks for …" → "thanks for …".
_GREETING_HEAD = re.compile(rf"^[¡¿]?{GREETING_WORD}\b[^,:!.\n]{{0,40}}[,:!.]\s*", re.IGNORECASE)
# A name or handle at the end: "Thanks for reaching out, Ana!".
_VOCATIVE_TAIL = re.compile(r",\s*(?:@[\w.]+|[A-ZÁÉÍÓÚÑ][\w'’-]*)\s*[!.?]*\s*$")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, without surrounding whitespace."""
    return list(_iter_spans(text))


def _iter_spans(text: str) -> Iterator[tuple[int, int]]:
    # Lazily: the opening sentence of a long draft needs only its first few.
    start = 0
    for brk in _BREAK.finditer(text):
        yield from _span(text, start, brk.start())
        start = brk.end()
    yield from _span(text, start, len(text))


def _span(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        yield start + lead, start + lead + len(stripped)


def is_greeting(sentence: str) -> bool:
    """Whether a sentence does nothing but greet."""
    return _GREETING_ONLY.match(sentence.strip()) is not None


def opening_span(text: str) -> tuple[int, int] | None:
    """The first sentence that says something, after any greeting; None for an empty text."""
    first = None
    for start, end in _iter_spans(text):
        if not is_greeting(text[start:end]):
            return start, end
        first = first or (start, end)
    return first


def opener_key(sentence: str) -> str:
    """A sentence reduced to what makes it the same opener: no greeting, name, punctuation or case."""
    text = sentence.strip()
    head = _GREETING_HEAD.match(text)
    if head is not None and text[head.end() :].strip():
        text = text[head.end() :]
    text = _VOCATIVE_TAIL.sub("", text)
    return " ".join(_NOT_LETTERS.sub(" ", text).casefold().split())


def opener_of(text: str) -> str:
    """The opener key of a whole reply (see `opener_key`); empty when it has none."""
    span = opening_span(text)
    return opener_key(text[span[0] : span[1]]) if span else ""
