"""The checks' word lists, read from `assets/lexicons/{lang}/{name}.txt` once and compiled.

Two shapes: a plain list (one regular expression per line) compiled into a
single case-insensitive alternation, and a list of `left => right` pairs
(a pattern and its suggestion, or a channel and its pattern). English and
Spanish are read together: a Spanish customer may get an English phrase, and
one pass over a draft is cheaper than one per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafting.context import lexicon_lines

LANGUAGES = ("en", "es")
"""The workspace's languages: every lexicon exists in each."""

_SEPARATOR = " => "
_BOUNDARY = "\\b"


def combine(alternatives: list[str]) -> str:
    """One alternation of many patterns, with a leading word boundary tested once for all that start with one.

    Most entries start with `\\b`: tried together, they cost nothing at the many
    positions inside a word, which makes one pass over a long email several times faster.
    """
    bounded = [a[len(_BOUNDARY) :] for a in alternatives if a.startswith(_BOUNDARY)]
    free = [a for a in alternatives if not a.startswith(_BOUNDARY)]
    parts = [f"{_BOUNDARY}(?:{'|'.join(bounded)})"] if bounded else []
    parts += free
    return "|".join(parts)


@cache
def any_of(name: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any entry of the `name` lexicon, in any language."""
    patterns = [p for lang in LANGUAGES for p in lexicon_lines(name, lang)]
    return re.compile(combine([_group(p) for p in patterns]), re.IGNORECASE)


def _group(pattern: str) -> str:
    """`pattern` in a non-capturing group, its leading word boundary (if any) kept outside for `combine`."""
    if pattern.startswith(_BOUNDARY):
        return f"{_BOUNDARY}(?:{pattern[len(_BOUNDARY) :]})"
    return f"(?:{pattern})"


def pairs(name: str, lang: str) -> tuple[tuple[str, str], ...]:
    """The `left => right` entries of one lexicon; raises ValueError naming a line without the separator."""
    found = []
    for line in lexicon_lines(name, lang):
        left, sep, right = line.partition(_SEPARATOR)
        if not sep or not left.strip() or not right.strip():
            raise ValueError(f"lexicon {lang}/{name}.txt: expected `left => right`, got {line!r}")
        found.append((left.strip(), right.strip()))
    return tuple(found)


@dataclass(frozen=True)
class Rules:
    """Patterns with a value each, compiled into one pass: `value_of(match)` says which one matched."""

    pattern: re.Pattern[str]
    values: tuple[tuple[str, str], ...]
    """(language, value) per pattern, in lexicon order."""

    def value_of(self, match: re.Match[str]) -> tuple[str, str]:
        name = match.lastgroup or ""
        return self.values[int(name[1:])]


@cache
def suggestion_rules(name: str) -> Rules:
    """A `pattern => suggestion` lexicon in every language, as one pattern with a named group per line."""
    alternatives: list[str] = []
    values: list[tuple[str, str]] = []
    for lang in LANGUAGES:
        for pattern, suggestion in pairs(name, lang):
            body = pattern[len(_BOUNDARY) :] if pattern.startswith(_BOUNDARY) else pattern
            head = _BOUNDARY if pattern.startswith(_BOUNDARY) else ""
            alternatives.append(f"{head}(?P<r{len(values)}>{body})")
            values.append((lang, suggestion))
    return Rules(re.compile(combine(alternatives), re.IGNORECASE), tuple(values))


@cache
def keyed_patterns(name: str) -> dict[str, re.Pattern[str]]:
    """A `key => pattern` lexicon in every language: one case-insensitive pattern per key."""
    grouped: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for key, pattern in pairs(name, lang):
            grouped.setdefault(key, []).append(pattern)
    return {key: re.compile(combine([_group(p) for p in ps]), re.IGNORECASE) for key, ps in grouped.items()}
