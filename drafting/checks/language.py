"""`language_mismatch`: a reply written in another language than the customer's.

py3langid does the work on real sentences. Its model takes most of a second
to load, so it is loaded once, on first use, and restricted to the
workspace's languages (left to all of them it calls "ok perfecto" Nigerian
Pidgin). Short text says too little for any model: there the common words of
each language decide, and when they do not, nothing is reported.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from drafting.checks.findings import Finding, Severity
from drafting.checks.lexicons import LANGUAGES
from drafting.context import lexicon_lines

MIN_WORDS = 5
"""Below this many words the model is not asked."""
MIN_CONFIDENCE = 0.9
SHORT_MARGIN = 2
"""On short text, one language's common words must outnumber the other's by this much."""

_WORD = re.compile(r"[^\W\d_]+")
# Text a person still has to replace says nothing about the language of the reply.
_GAPS = re.compile(r"\[\[[^\]]*\]\]")
_NAMES = {"en": {"en": "English", "es": "Spanish"}, "es": {"en": "inglés", "es": "español"}}
MESSAGES = {
    "en": (
        "The reply is in {found}, but this customer writes in {expected}.",
        "Write it in {expected}.",
    ),
    "es": (
        "La respuesta está en {found}, pero este cliente escribe en {expected}.",
        "Escríbela en {expected}.",
    ),
}


def _model() -> Any:
    """The one shared py3langid identifier (drafting.language), restricted to the workspace's languages."""
    from drafting.language import _model as shared_model

    return shared_model(tuple(LANGUAGES))


@cache
def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(lexicon_lines("stopwords", lang))


def _vote(words: list[str]) -> tuple[str | None, int]:
    """The language whose common words the text uses more, and by how many; (None, 0) on a tie."""
    en = sum(map(_stopwords("en").__contains__, words))
    es = sum(map(_stopwords("es").__contains__, words))
    if en == es:
        return None, 0
    return ("en", en - es) if en > es else ("es", es - en)


def guess_by_words(text: str) -> str | None:
    """`en` or `es` from common words alone (no model); None when they do not say."""
    return _vote([w.casefold() for w in _WORD.findall(_GAPS.sub(" ", text))])[0]


def detect_language(text: str) -> str | None:
    """`en` or `es` when the text clearly is one of them; None when it is too short or unclear to say."""
    clean = _GAPS.sub(" ", text)
    words = [w.casefold() for w in _WORD.findall(clean)]
    voted, margin = _vote(words)
    if len(words) < MIN_WORDS:
        return voted if margin >= SHORT_MARGIN else None
    found, confidence = _model().classify(clean)
    if confidence < MIN_CONFIDENCE or (voted is not None and voted != found):
        return None
    return str(found)


def base_language(tag: str) -> str:
    """`es` for `es-MX`, `en` for `EN`; empty for an empty tag."""
    return tag.strip().lower().replace("_", "-").split("-")[0]


def find_language_mismatch(text: str, *, expected: str, detected: str | None, lang: str = "en") -> list[Finding]:
    """A warning over the whole reply when it is clearly not in the `expected` language."""
    want = base_language(expected)
    if want not in LANGUAGES or detected is None or detected == want or not text.strip():
        return []
    names = _NAMES.get(lang, _NAMES["en"])
    message, suggestion = MESSAGES.get(lang, MESSAGES["en"])
    start = len(text) - len(text.lstrip())
    return [
        Finding(
            "language_mismatch",
            Severity.WARN,
            start,
            len(text.rstrip()),
            message.format(found=names[detected], expected=names[want]),
            suggestion.format(expected=names[want]),
        )
    ]
