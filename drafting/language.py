"""Which language a customer wrote in, restricted to the workspace's languages.

py3langid is accurate on sentences but not on the two or three words of a
typical comment: left to all its languages it calls "ok perfecto" Nigerian
Pidgin, and even restricted to Spanish and English it calls it English. So
short texts are decided by the words each language's lexicons know (common
words and everyday comment words), and by Spanish-only letters and marks
(ñ, ¿, ¡, accented vowels), before the model is asked; longer texts go to the
model first and fall back to the words when it is unsure.

The model takes about half a second to load, so it is loaded on first use,
once per process, and shared by every thread.
"""

from __future__ import annotations

import copy
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

from storage.location import assets_dir

WORKSPACE_LANGUAGES = ("es", "en")
"""The languages Latido writes in; detection never answers anything else unless asked."""

SHORT_WORDS = 6
"""At most this many words is a short text: the lexicons speak before the model."""

MODEL_CONFIDENCE = 0.8
"""Below this (a probability among the allowed languages) the model is unsure of a longer text."""

# Words made of letters (accented ones included); handles, links and hashtags are removed first.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+|\S+@\S+")
_SPANISH_MARKS = re.compile(r"[ñÑ¿¡áéíóúÁÉÍÓÚ]")

_lock = threading.Lock()
_models: dict[tuple[str, ...], Any] = {}
_base_model: list[Any] = []


def _model(languages: tuple[str, ...]) -> Any:
    """The py3langid identifier restricted to `languages`, loaded once and shared."""
    with _lock:
        found = _models.get(languages)
        if found is None:
            if not _base_model:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _base_model.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
            # A shallow copy shares the big arrays; set_languages only rebinds the copy's own attributes.
            found = copy.copy(_base_model[0])
            found.set_languages(list(languages))
            _models[languages] = found
        return found


@cache
def _lexicon_words(lang: str) -> frozenset[str]:
    """Common words and everyday comment words of `lang`; empty for a language with no lexicons."""
    words: set[str] = set()
    for name in ("stopwords", "everyday"):
        path = assets_dir() / "lexicons" / lang / f"{name}.txt"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = line.split("#", 1)[0].strip().casefold()
            if entry:
                words.add(entry)
    return frozenset(words)


def words_of(text: str) -> list[str]:
    """The words of `text`, casefolded, without links, handles, hashtags, numbers or emoji."""
    cleaned = _NOISE.sub(" ", unicodedata.normalize("NFC", text))
    return [w.casefold() for w in _WORD.findall(cleaned)]


def _lexicon_vote(text: str, words: Sequence[str], languages: Sequence[str]) -> str | None:
    """The language whose lexicons know the most of `words`; None on a tie or when none knows any."""
    scores = {lang: sum(w in _lexicon_words(lang) for w in words) for lang in languages}
    if "es" in scores and _SPANISH_MARKS.search(text):
        scores["es"] += 1
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def detect_language(text: str, *, languages: Sequence[str] = WORKSPACE_LANGUAGES, default: str | None = None) -> str:
    """The language of `text`, one of `languages`; `default` (else the first language) when the text says nothing.

    A text with no words at all (emoji, an order number) says nothing. A short
    text is decided by the lexicons when they can tell; otherwise, and for
    longer texts, by the model, unless it is unsure and the lexicons can tell.
    """
    allowed = tuple(dict.fromkeys(lang.strip().lower() for lang in languages if lang.strip()))
    if not allowed:
        raise ValueError("detect_language needs at least one language")
    fallback = default if default is not None else allowed[0]
    if len(allowed) == 1:
        return allowed[0]
    words = words_of(text)
    if not words:
        return fallback
    vote = _lexicon_vote(text, words, allowed)
    if len(words) <= SHORT_WORDS and vote is not None:
        return vote
    lang, confidence = _model(allowed).classify(" ".join(words))
    if confidence >= MODEL_CONFIDENCE:
        return str(lang)
    if vote is not None:
        return vote
    return str(lang) if len(words) > SHORT_WORDS else fallback


def preload(languages: tuple[str, ...] = ("es", "en")) -> None:
    """Load the language model now (in a worker at start-up) so no later check waits for it."""
    _model(languages)
