"""The checks' word lists, read from `assets/lexicons/{lang}/{name}.txt` once and compiled.

Two shapes: a plain list (one regular expression per line) compiled into a
single case-insensitive alternation, and a list of `left => right` pairs
(a pattern and its suggestion, or a channel and its pattern). English and
Spanish are read together: a Spanish customer may get an English phrase, and
one pass over a draft is cheaper than one per language.

A long alternation costs time at every word of a long draft, although a
draft matches few of its entries. So each entry that starts with a word says
which (its "heads", read from the pattern), and a draft's `Words` pick the
entries that can match it before the pass; the others could match nowhere in
it, so leaving them out changes no match.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

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
    return entries_of(name).pattern


@cache
def entries_of(name: str) -> Alternatives:
    """The entries of the `name` lexicon, in any language, to match case-insensitively in one pass."""
    patterns = [p for lang in LANGUAGES for p in lexicon_lines(name, lang)]
    return Alternatives(
        tuple(_group(p) for p in patterns), tuple(heads(p) for p in patterns), tuple(needs(p) for p in patterns)
    )


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

    entries: Alternatives
    values: tuple[tuple[str, str], ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """All the patterns in one."""
        return self.entries.pattern

    """(language, value) per pattern, in lexicon order."""

    def value_of(self, match: re.Match[str]) -> tuple[str, str]:
        name = match.lastgroup or ""
        return self.values[int(name[1:])]


@cache
def suggestion_rules(name: str) -> Rules:
    """A `pattern => suggestion` lexicon in every language, as one pattern with a named group per line."""
    alternatives: list[str] = []
    starts: list[frozenset[Head] | None] = []
    literals: list[str] = []
    values: list[tuple[str, str]] = []
    for lang in LANGUAGES:
        for pattern, suggestion in pairs(name, lang):
            body = pattern[len(_BOUNDARY) :] if pattern.startswith(_BOUNDARY) else pattern
            head = _BOUNDARY if pattern.startswith(_BOUNDARY) else ""
            alternatives.append(f"{head}(?P<r{len(values)}>{body})")
            starts.append(heads(pattern))
            literals.append(needs(pattern))
            values.append((lang, suggestion))
    return Rules(Alternatives(tuple(alternatives), tuple(starts), tuple(literals)), tuple(values))


@cache
def keyed_patterns(name: str) -> dict[str, re.Pattern[str]]:
    """A `key => pattern` lexicon in every language: one case-insensitive pattern per key."""
    grouped: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for key, pattern in pairs(name, lang):
            grouped.setdefault(key, []).append(pattern)
    return {key: re.compile(combine([_group(p) for p in ps]), re.IGNORECASE) for key, ps in grouped.items()}


# -- picking the entries a text can match ----------------------------------------------

# The letters a case-insensitive pattern matches that `str.lower` does not turn into that
# pattern letter (the `re` docs list them under IGNORECASE); "İ" would also become two characters.
_FOLD_FIXES = {"İ": "i", "ı": "i", "ſ": "s", "K": "k"}
_NEEDS_FIXES = re.compile(f"[{''.join(_FOLD_FIXES)}]")
_FIXES = str.maketrans(_FOLD_FIXES)
_WORD_RUN = re.compile(r"\w+")
_QUANTIFIERS = ("?", "*", "+", "{")
_HEAD_LETTERS = frozenset(string.ascii_letters + string.digits + "áéíóúüñÁÉÍÓÚÜÑ")
"""The characters a head is read from: literal in a pattern, word characters, and folded as `fold` folds text."""
_NEED_CHARS = _HEAD_LETTERS | frozenset(" '’,")
"""The characters text an entry needs is read from: literal in a pattern, and folded as `fold` folds text."""
MIN_NEED = 4
"""Shorter text is in most drafts: looking for it would cost more than it saves."""
_VERBOSE = re.compile(r"\(\?[a-zA-Z-]*x")
"""An inline verbose flag: spaces in the pattern would then mean nothing."""
_WORD_ENDS = (" ", "'", "’", ",", "-")
"""Literal characters that cannot continue a word."""


def fold(text: str) -> str:
    """`text` lowercased so that a letter a case-insensitive pattern matches becomes that letter, lowercased."""
    if _NEEDS_FIXES.search(text) is not None:
        text = text.translate(_FIXES)
    return text.lower()


@dataclass(frozen=True)
class Head:
    """How a match of an entry starts: a word that is `text` (`whole`) or starts with it, folded."""

    text: str
    whole: bool


@dataclass(frozen=True)
class Words:
    """One text folded, and its words: built once per draft and shared by every check that picks entries."""

    folded: str
    whole: frozenset[str]
    ordered: tuple[str, ...]
    """The same words, sorted, to look prefixes up."""

    @classmethod
    def of(cls, text: str) -> Words:
        folded = fold(text)
        found = frozenset(_WORD_RUN.findall(folded))
        return cls(folded, found, tuple(sorted(found)))

    def has(self, head: Head) -> bool:
        """Whether some word of the text is (or, for a partial head, starts with) the head."""
        if head.whole:
            return head.text in self.whole
        index = bisect_left(self.ordered, head.text)
        return index < len(self.ordered) and self.ordered[index].startswith(head.text)


@dataclass(frozen=True)
class Alternatives:
    """Lexicon entries as they go into one case-insensitive alternation, each with the words it can start with."""

    entries: tuple[str, ...]
    heads: tuple[frozenset[Head] | None, ...]
    """Per entry: the heads one of which starts every match, or None when the pattern does not say."""
    needs: tuple[str, ...]
    """Per entry: text every match contains, folded; empty when the pattern does not say."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """Every entry in one pattern."""
        return _compile(self.entries)

    def pattern_for(self, words: Words) -> re.Pattern[str]:
        """The same pattern without the entries `words` rules out (no head, or not the text they need): same matches."""
        kept = tuple(
            entry
            for entry, starts, need in zip(self.entries, self.heads, self.needs, strict=True)
            if (starts is None or any(words.has(h) for h in starts)) and need in words.folded
        )
        return _compile(kept) if kept or not self.entries else _NOTHING


_NOTHING = re.compile("(?!)")


@lru_cache(maxsize=256)
def _compile(entries: tuple[str, ...]) -> re.Pattern[str]:
    # A draft being typed keeps the same few entries between pauses: its pattern is compiled once.
    return re.compile(combine(list(entries)), re.IGNORECASE)


def heads(pattern: str) -> frozenset[Head] | None:
    """The words every match of a lexicon pattern starts with; None when the pattern does not tell.

    Only a pattern that starts with `\\b` and then a word, or a group of
    alternatives that each start with a word, tells; anything it cannot read
    for sure gives None, which keeps the entry for every text.
    """
    if not pattern.startswith(_BOUNDARY) or len(_split_top(pattern)) > 1 or _VERBOSE.search(pattern):
        return None
    return _heads_of(pattern[len(_BOUNDARY) :], word_ends_after=False)


def needs(pattern: str) -> str:
    """The longest run of literal text outside any group that every match of `pattern` contains, folded.

    Empty when there is none of MIN_NEED characters, or the pattern has alternatives at its top.
    """
    if _VERBOSE.search(pattern):
        return ""
    runs: list[str] = []
    run: list[str] = []
    depth, index = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "|" and depth == 0:
            return ""
        if char in _QUANTIFIERS:
            if run:
                run.pop()  # the character before a quantifier may be missing
            runs.append("".join(run))
            run = []
            index = pattern.find("}", index) + 1 if char == "{" else index + 1
            if index == 0:  # a lone "{" is a literal; stop reading rather than guess
                break
            continue
        if depth == 0 and char in _NEED_CHARS:
            run.append(char)
        else:
            runs.append("".join(run))
            run = []
            depth += (char == "(") - (char == ")")
        index = _skip(pattern, index)
    runs.append("".join(run))
    longest = max(runs, key=len).lower()
    return longest if len(longest) >= MIN_NEED else ""


def _heads_of(seq: str, *, word_ends_after: bool) -> frozenset[Head] | None:
    """Heads of a sequence; `word_ends_after`: whatever follows the sequence cannot continue a word."""
    if seq.startswith("(?:"):
        end = _closing(seq)
        if end is None or seq[end + 1 : end + 2] in _QUANTIFIERS:
            return None
        after = _ends_word(seq[end + 1 :], word_ends_after=word_ends_after)
        found: set[Head] = set()
        for branch in _split_top(seq[3:end]):
            starts = _heads_of(branch, word_ends_after=after)
            if starts is None:
                return None
            found |= starts
        return frozenset(found)
    size = 0
    while size < len(seq) and seq[size] in _HEAD_LETTERS:
        size += 1
    rest = seq[size:]
    whole = True
    if rest[:1] in _QUANTIFIERS:
        # The last letter may be missing or repeated: the word is only known to start with the ones before it.
        size -= rest[:1] != "+"
        whole = False
    word = seq[:size].lower()
    if size <= 0 or len(word) != size:
        return None
    return frozenset([Head(word, whole and _ends_word(rest, word_ends_after=word_ends_after))])


def _ends_word(rest: str, *, word_ends_after: bool) -> bool:
    """Whether a word followed by the pattern `rest` must end there."""
    if not rest:
        return word_ends_after
    if rest.startswith(_BOUNDARY):
        return True
    return rest[0] in _WORD_ENDS and rest[1:2] not in ("?", "*", "{")


def _skip(pattern: str, index: int) -> int:
    """The index after the escape or character class at `index`, or after the single character there."""
    if pattern[index] == "\\":
        return index + 2
    if pattern[index] != "[":
        return index + 1
    index += 1
    if pattern[index : index + 1] == "^":
        index += 1
    if pattern[index : index + 1] == "]":
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def _closing(pattern: str) -> int | None:
    """The index of the parenthesis that closes the group `pattern` starts with."""
    depth, index = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index = _skip(pattern, index)
    return None


def _split_top(pattern: str) -> list[str]:
    """`pattern` split at the `|` outside any group or class."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index = _skip(pattern, index)
    parts.append(pattern[start:])
    return parts
