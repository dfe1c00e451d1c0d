"""Triage of an incoming message: how frustrated the customer is, and whether a person must take it.

`triage` is pure and lexicon-driven. The cues live in
`assets/lexicons/{lang}/*.txt`, one Python regular expression per line, matched
as whole words or phrases (word boundaries are implied at both ends), without
regard to case or accents: `verguenza` matches "VERGÜENZA". The files:

- `anger.txt`: insults, "worst", "harta", "vergüenza", sarcasm ("thanks for nothing").
- `upset.txt`: milder discontent ("still waiting", "sin respuesta"); it raises the
  frustration score, and turns shouting into anger, but escalates nothing alone.
- `legal.txt`: lawyers, lawsuits, consumer agencies, formal complaints.
- `churn.txt`: cancelling, leaving, switching to a competitor, not renewing.
- `safety.txt`: self-harm, threats of violence, injuries and health problems.
- `repeat.txt`: the customer saying this happened before ("third time", "otra vez").
- `problem.txt`: something going wrong ("hasn't arrived", "roto"); escalates nothing alone.

Both languages' lexicons are searched in one pass: customers mix them, and one
pass costs less than one per language. A cue right after a negation ("not the
worst", "no voy a darme de baja") does not count, except for safety, which a
person should always read.

A repeat issue is also found in the customer's history: when this message
reports a problem (or is upset about something), an earlier incoming message
that shares enough content words with it (stems of the words that are not
common words, numbers or the customer's own name) raised it before. A routine
request made twice (an invoice each month) is not a repeat issue.

Shouting (capitals) and "!!!" make a message angry only when it also reports a
problem or discontent: "LOVE IT!!!" is not anger.

Every reason escalates: an angry, threatening, leaving, endangered or repeat
customer is a person's job, not the offline composer's.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from drafting.language import WORKSPACE_LANGUAGES, detect_language
from storage.location import assets_dir
from storage.models import Customer, Direction, Interaction, WorkItem, utcnow
from storage.timeline import DONE_STATUSES

REASONS = ("repeat_issue", "anger", "legal_threat", "churn_risk", "safety")
"""Why an item is escalated, in the order they are reported."""

# The lexicon file behind each kind of cue; `upset` only raises the score.
_LEXICONS = {
    "anger": "anger",
    "upset": "upset",
    "legal_threat": "legal",
    "churn_risk": "churn",
    "safety": "safety",
    "repeat_issue": "repeat",
    "problem": "problem",
}
_NEGATABLE = frozenset({"anger", "upset", "legal_threat", "churn_risk"})
_SCORE_ONLY = ("upset", "problem")

# How much each kind of evidence adds to the raw score behind `frustration` (1 - e^-raw).
_WEIGHT_ANGER = 0.7
_WEIGHT_UPSET = 0.3
_WEIGHT_PROBLEM = 0.1
_WEIGHT_LEGAL = 0.9
_WEIGHT_CHURN = 0.6
_WEIGHT_REPEAT = 0.6
_WEIGHT_SAFETY = 0.5
_MAX_COUNTED = 3
"""More than this many cues of one kind add nothing: the fourth insult says no more than the third."""

SHOUTING_RATIO = 0.6
"""A text with at least this share of capital letters (and SHOUTING_LETTERS letters) is shouted."""
SHOUTING_LETTERS = 12
CAPS_RUN_WORDS = 2
"""This many capitalised words of 3+ letters in a row ("NOT ACCEPTABLE") is shouting too..."""
CAPS_WORD_LETTERS = 4
"""...and a single capitalised word this long ("AGAIN") is a raised voice."""
ANGRY_INTENSITY = 0.75
"""Shouting and exclamations worth this much, with a problem or discontent, make a message angry."""

REPEAT_MIN_SHARED = 2
"""Content words an earlier message must share with this one to be the same problem..."""
REPEAT_MIN_SHARE = 0.3
"""...and the share of this message's content words they must be..."""
REPEAT_SURE_SHARED = 4
"""...unless they share at least this many, which is enough on its own."""
_STEM_CHARS = 5

HISTORY_LIMIT = 30
"""The customer's newest earlier incoming messages compared for a repeat issue."""
HISTORY_DAYS = 180
REPEAT_MIN_GAP = timedelta(hours=12)
"""Messages this close to the one being triaged are the same contact on another channel, not a repeat."""

_NEGATORS = frozenset(
    {"not", "no", "never", "dont", "don't", "don’t", "isnt", "isn't", "wasnt", "wasn't", "nunca", "ni", "tampoco"}
)
_NEGATION_WINDOW = 2


@dataclass(frozen=True)
class Cue:
    """One piece of evidence in the text: `start`/`end` are offsets into the NFC-normalized message."""

    kind: str
    """A reason from REASONS, or `upset`, `problem`, `shouting`, `raised` or `exclamations` (supporting cues)."""
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class HistoryMatch:
    """An earlier message that looks like the same problem."""

    index: int
    """Its position in the `history` given to `triage`."""
    shared: tuple[str, ...]
    """The content words (stems) both messages use."""


@dataclass(frozen=True)
class Triage:
    """How an incoming message should be handled, and why."""

    frustration: float
    """0 (calm) to 1 (furious), rounded to 3 decimals."""
    escalate: bool
    reasons: tuple[str, ...]
    """A subset of REASONS, in that order."""
    language: str
    cues: tuple[Cue, ...] = ()
    """What in the text supports the score and the reasons, in text order."""
    history_matches: tuple[HistoryMatch, ...] = ()
    """Earlier messages about the same problem, most similar first."""

    def to_json(self) -> dict[str, object]:
        """The `latido triage --json` shape."""
        return {
            "frustration": self.frustration,
            "escalate": self.escalate,
            "reasons": list(self.reasons),
            "language": self.language,
        }


# -- folding: case and accents, one character for one --------------------------------


def _fold_table(*, ascii_too: bool) -> dict[int, str]:
    """Map each Latin letter to its lowercase base letter (É -> e, ñ -> n), always one character to one."""
    table: dict[int, str] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        if code < 0x80 and not ascii_too:
            continue
        base = unicodedata.normalize("NFD", char)[0].lower()
        if len(base) == 1 and base != char:
            table[code] = base
    return table


_FOLD_TEXT = _fold_table(ascii_too=True)
# Patterns keep their ASCII as written: lowering `\W` or `\S` would change what they mean.
_FOLD_PATTERN = _fold_table(ascii_too=False)
# Typographic apostrophes read as straight ones, so lexicons need only one.
_FOLD_TEXT[ord("’")] = "'"
_FOLD_PATTERN[ord("’")] = "'"


def fold(text: str) -> str:
    """`text` lowercased and without accents, with exactly as many characters (so spans carry over)."""
    return text.translate(_FOLD_TEXT)


# -- lexicons -------------------------------------------------------------------------


def _patterns(name: str, lang: str) -> list[str]:
    path = assets_dir() / "lexicons" / lang / f"{name}.txt"
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line.translate(_FOLD_PATTERN) for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    kinds: dict[str, str]
    """Group name -> cue kind."""


def _bucketed(buckets: dict[str, list[str]]) -> str:
    """One pattern: at a word start, the group for its first character, then the patterns that can start anywhere."""
    branches = [f"(?={re.escape(key)})(?:{'|'.join(parts)})" for key, parts in sorted(buckets.items()) if key]
    if "" in buckets:
        branches.append("|".join(buckets[""]))
    body = "|".join(branches) or "(?!)"
    return rf"(?<!\w)(?:{body})(?!\w)"


def _split_alternatives(group: str) -> list[str]:
    """The top-level `|` alternatives of a pattern fragment."""
    parts, depth, start, i = [], 0, 0, 0
    in_class = False
    while i < len(group):
        ch = group[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(group[start:i])
            start = i + 1
        i += 1
    parts.append(group[start:])
    return parts


def _closing(pattern: str, open_at: int) -> int:
    """The index of the `)` that closes the group opened at `open_at`."""
    depth, i, in_class = 0, open_at, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced pattern {pattern!r}")


def _first_chars(pattern: str) -> set[str] | None:  # noqa: PLR0911, PLR0912  # one branch per kind of pattern start reads plainest
    """The characters a match of `pattern` can start with, or None when that is not simply known."""
    if not pattern:
        return None
    head = pattern[0]
    if head == "(":
        end = _closing(pattern, 0)
        inner = pattern[1:end]
        rest = pattern[end + 1 :]
        if inner.startswith(("?<!", "?<=", "?=", "?!")):  # a lookaround consumes nothing: look past it
            return _first_chars(rest)
        optional = rest[:1] in ("?", "*") or rest.startswith("{0")
        if optional:  # either the group or what follows it starts the match
            rest = rest[1:] if rest[:1] in ("?", "*") else rest[rest.index("}") + 1 :]
            if rest[:1] == "?":  # a lazy quantifier
                rest = rest[1:]
            group_chars = _first_chars(pattern[: end + 1])
            rest_chars = _first_chars(rest)
            return None if group_chars is None or rest_chars is None else group_chars | rest_chars
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return None
        found: set[str] = set()
        for alternative in _split_alternatives(inner):
            chars = _first_chars(alternative)
            if chars is None:
                return None
            found |= chars
        return found
    if head == "[":
        end = pattern.index("]", 1)
        members = pattern[1:end]
        optional = pattern[end + 1 : end + 2] in ("?", "*")
        if optional or members.startswith("^") or "-" in members or "\\" in members:
            return None
        return set(members)
    if pattern.startswith("\\d") and pattern[2:3] not in ("?", "*", "{"):
        return set("0123456789")
    if head == "\\" or head in ".^$|)?*+{":
        return None
    if pattern[1:2] in ("?", "*") or pattern[1:3] == "{0":
        return None
    return {head}


_lexicon_lock = threading.Lock()
_lexicons: dict[tuple[str, ...], _Lexicon] = {}


def _lexicon(languages: tuple[str, ...]) -> _Lexicon:
    """One pattern over every cue of every language in `languages`, compiled once."""
    with _lexicon_lock:
        found = _lexicons.get(languages)
        if found is not None:
            return found
        # Patterns are grouped by the character they can start with, so at each word the search
        # tries one small group instead of every pattern; a pattern whose start is not a plain
        # character goes in a group tried everywhere. Within a group, earlier lexicons still win.
        buckets: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        for kind, name in _LEXICONS.items():
            for lang in languages:
                for pattern in _patterns(name, lang):
                    for key in sorted(_first_chars(pattern) or {""}):
                        group = f"g{len(kinds)}"
                        kinds[group] = kind
                        buckets.setdefault(key, []).append(f"(?P<{group}>{pattern})")
        found = _Lexicon(re.compile(_bucketed(buckets)), kinds)
        _lexicons[languages] = found
        return found


_stop_lock = threading.Lock()
_stopwords: dict[tuple[str, ...], frozenset[str]] = {}


def _stop(languages: tuple[str, ...]) -> frozenset[str]:
    with _stop_lock:
        found = _stopwords.get(languages)
        if found is None:
            words: set[str] = set()
            for lang in languages:
                words.update(fold(w) for w in _patterns("stopwords", lang))
            found = frozenset(words)
            _stopwords[languages] = found
        return found


_phrase_lock = threading.Lock()
_phrases: dict[tuple[str, tuple[str, ...]], re.Pattern[str]] = {}


def phrase_pattern(name: str, languages: Sequence[str]) -> re.Pattern[str]:
    """The lexicon `assets/lexicons/{lang}/{name}.txt` of each language as one pattern, in the triage format.

    Search `fold(text)` with it: entries are whole words or phrases, without case or accents.
    """
    key = (name, tuple(languages))
    with _phrase_lock:
        found = _phrases.get(key)
        if found is None:
            parts = [p for lang in key[1] for p in _patterns(name, lang)]
            body = "|".join(f"(?:{p})" for p in parts) or "(?!)"
            found = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
            _phrases[key] = found
        return found


# -- the pieces of a triage -----------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[\w'’-]+")
_CAPS_WORD = re.compile(r"\b[A-ZÁÉÍÓÚÑÜ]{3,}\b")
_EXCLAMATIONS = re.compile(r"[!¡]{3,}|[?¿]{3,}|[!?¿¡]*(?:\?!|!\?)[!?¿¡]*|!!")
# How much each supporting cue raises the voice.
_INTENSITY = {"shouting": 1.0, "run": 0.5, "raised": 0.25, "exclamations": 0.25, "strong": 0.5}


def _negated(folded: str, start: int) -> bool:
    before = folded[max(0, start - 40) : start].split()[-_NEGATION_WINDOW:]
    return any(word.strip(",.;:¡!¿?") in _NEGATORS for word in before)


def _lexicon_cues(text: str, folded: str, languages: tuple[str, ...]) -> list[Cue]:
    lexicon = _lexicon(languages)
    cues = []
    for match in lexicon.pattern.finditer(folded):
        group = match.lastgroup
        if group is None:
            continue
        kind = lexicon.kinds[group]
        if kind in _NEGATABLE and _negated(folded, match.start()):
            continue
        cues.append(Cue(kind, match.start(), match.end(), text[match.start() : match.end()]))
    return cues


def _shouting_cues(text: str) -> list[Cue]:
    """A shouted message, or runs of shouted words in it."""
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(letters) >= SHOUTING_LETTERS and upper / len(letters) >= SHOUTING_RATIO:
        return [Cue("shouting", 0, len(text), text)]
    cues = []
    words = list(_CAPS_WORD.finditer(text))
    run: list[re.Match[str]] = []
    for word in [*words, None]:
        if word is not None and run and text[run[-1].end() : word.start()].strip(" ,.!?¡¿") == "":
            run.append(word)
            continue
        if len(run) >= CAPS_RUN_WORDS:
            cues.append(Cue("shouting", run[0].start(), run[-1].end(), text[run[0].start() : run[-1].end()]))
        elif len(run) == 1 and len(run[0].group(0)) >= CAPS_WORD_LETTERS:
            cues.append(Cue("raised", run[0].start(), run[0].end(), run[0].group(0)))
        run = [word] if word is not None else []
    return cues


def _exclamation_cues(text: str) -> list[Cue]:
    return [Cue("exclamations", m.start(), m.end(), m.group(0)) for m in _EXCLAMATIONS.finditer(text)]


def _intensity(cues: Sequence[Cue], text_length: int) -> float:
    """How loud the message is: shouted throughout, shouted words, "!!!"."""
    total = 0.0
    for cue in cues:
        if cue.kind == "shouting":
            whole = cue.start == 0 and cue.end == text_length
            total += _INTENSITY["shouting"] if whole else _INTENSITY["run"]
        elif cue.kind == "raised":
            total += _INTENSITY["raised"]
        elif cue.kind == "exclamations":
            total += _INTENSITY["strong"] if len(cue.text) >= 3 else _INTENSITY["exclamations"]
    return min(total, 2.0)


def content_words(text: str, *, stopwords: frozenset[str], names: frozenset[str] = frozenset()) -> frozenset[str]:
    """The stems of the words that say what `text` is about (no common words, numbers or names)."""
    stems = set()
    for word in _WORD.findall(fold(text)):
        if len(word) < 3 or word in stopwords or word in names:
            continue
        stem = word[:-1] if len(word) > 3 and word.endswith("s") else word
        stems.add(stem[:_STEM_CHARS])
    return frozenset(stems)


def _history_matches(
    text: str, history: Sequence[str], *, stopwords: frozenset[str], names: frozenset[str]
) -> list[HistoryMatch]:
    current = content_words(text, stopwords=stopwords, names=names)
    if not current:
        return []
    matches = []
    for index, earlier in enumerate(history):
        shared = current & content_words(earlier, stopwords=stopwords, names=names)
        share = len(shared) / len(current)
        if len(shared) >= REPEAT_SURE_SHARED or (len(shared) >= REPEAT_MIN_SHARED and share >= REPEAT_MIN_SHARE):
            matches.append(HistoryMatch(index, tuple(sorted(shared))))
    matches.sort(key=lambda m: len(m.shared), reverse=True)
    return matches


# -- triage ---------------------------------------------------------------------------


def triage(
    text: str,
    *,
    history: Sequence[str] = (),
    languages: Sequence[str] = WORKSPACE_LANGUAGES,
    names: Sequence[str] = (),
    default_language: str | None = None,
) -> Triage:
    """Triage one incoming message.

    `history` holds the customer's earlier incoming messages (any order); one
    about the same problem makes this a repeat issue. `names` are words of the
    customer's name, left out of that comparison (signatures would otherwise
    make every message alike). `default_language` is the answer when the text
    says nothing about its language (the first of `languages` otherwise).
    """
    text = unicodedata.normalize("NFC", text)
    langs = tuple(dict.fromkeys(lang.strip().lower() for lang in languages if lang.strip())) or WORKSPACE_LANGUAGES
    folded = fold(text)
    cues = _lexicon_cues(text, folded, langs)
    intensity_cues = _shouting_cues(text) + _exclamation_cues(text)
    counts = {kind: 0 for kind in (*REASONS, *_SCORE_ONLY)}
    for cue in cues:
        counts[cue.kind] += 1
    # Only a message about something going wrong can repeat an earlier problem.
    troubled = any(counts[k] for k in counts if k != "repeat_issue")
    matches: list[HistoryMatch] = []
    if history and troubled:
        name_words = frozenset(fold(w) for n in names for w in _WORD.findall(n))
        matches = _history_matches(text, history, stopwords=_stop(langs), names=name_words)
    intensity = _intensity(intensity_cues, len(text))

    reasons = []
    if counts["repeat_issue"] or matches:
        reasons.append("repeat_issue")
    if counts["anger"] or (intensity >= ANGRY_INTENSITY and (counts["upset"] or counts["problem"])):
        reasons.append("anger")
    if counts["legal_threat"]:
        reasons.append("legal_threat")
    if counts["churn_risk"]:
        reasons.append("churn_risk")
    if counts["safety"]:
        reasons.append("safety")

    negative = troubled or bool(counts["repeat_issue"])
    raw = (
        _WEIGHT_ANGER * min(counts["anger"], _MAX_COUNTED)
        + _WEIGHT_UPSET * min(counts["upset"], _MAX_COUNTED)
        + _WEIGHT_PROBLEM * min(counts["problem"], _MAX_COUNTED)
        + intensity * (0.6 if negative else 0.1)
        + (_WEIGHT_LEGAL if counts["legal_threat"] else 0.0)
        + (_WEIGHT_CHURN if counts["churn_risk"] else 0.0)
        + (_WEIGHT_REPEAT if "repeat_issue" in reasons else 0.0)
        + (_WEIGHT_SAFETY if counts["safety"] else 0.0)
    )
    frustration = round(1.0 - math.exp(-raw), 3)
    all_cues = sorted(cues + intensity_cues, key=lambda c: (c.start, c.end, c.kind))
    return Triage(
        frustration=frustration,
        escalate=bool(reasons),
        reasons=tuple(reasons),
        language=detect_language(text, languages=langs, default=default_language),
        cues=tuple(all_cues),
        history_matches=tuple(matches),
    )


# -- work items -----------------------------------------------------------------------


def _history_for(session: Session, *, customer_id: int, before: datetime, exclude: int) -> list[tuple[datetime, str]]:
    rows = session.execute(
        sa.select(col(Interaction.occurred_at), col(Interaction.subject), col(Interaction.body))
        .where(
            col(Interaction.customer_id) == customer_id,
            col(Interaction.direction) == Direction.IN.value,
            col(Interaction.occurred_at) <= before - REPEAT_MIN_GAP,
            col(Interaction.occurred_at) >= before - timedelta(days=HISTORY_DAYS),
            col(Interaction.id) != exclude,
        )
        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return [(when, f"{subject}\n{body}".strip()) for when, subject, body in rows]


def triage_for_customer(
    session: Session,
    text: str,
    *,
    customer_id: str,
    now: datetime | None = None,
    languages: Sequence[str] = WORKSPACE_LANGUAGES,
) -> Triage:
    """Triage a message from the customer imported as `customer_id`, their history included.

    Raises LookupError when there is no such customer.
    """
    found = session.execute(
        sa.select(col(Customer.id), col(Customer.name), col(Customer.language)).where(
            col(Customer.customer_id) == customer_id
        )
    ).first()
    if found is None:
        raise LookupError(f"no customer {customer_id!r}")
    row_id, name, language = found
    history = _history_for(session, customer_id=row_id, before=now or utcnow(), exclude=-1)
    return triage(
        text,
        history=[earlier for _, earlier in history],
        languages=languages,
        names=[name],
        default_language=language or None,
    )


def triage_items(
    session: Session,
    *,
    item_ids: Sequence[int] | None = None,
    after_id: int | None = None,
    languages: Sequence[str] = WORKSPACE_LANGUAGES,
) -> int:
    """Triage open work items and store frustration, escalation, reasons and language on them.

    `item_ids` limits it to those items, `after_id` to items with a greater id
    (the ones an import just created); with neither, every open item is
    triaged. The history of an item is its customer's earlier incoming
    messages. Returns how many items were updated (the caller commits).
    """
    stmt = (
        sa.select(WorkItem, col(Interaction.subject), col(Interaction.body), col(Customer.name), col(Customer.language))
        .join(Interaction, col(Interaction.id) == col(WorkItem.interaction_id))
        .join(Customer, col(Customer.id) == col(WorkItem.customer_id))
        .where(col(WorkItem.status).not_in(DONE_STATUSES))
        .order_by(col(WorkItem.id))
    )
    if item_ids is not None:
        if not item_ids:
            return 0
        stmt = stmt.where(col(WorkItem.id).in_(list(item_ids)))
    if after_id is not None:
        stmt = stmt.where(col(WorkItem.id) > after_id)
    updated = 0
    now = utcnow()
    for item, subject, body, name, customer_language in session.execute(stmt).all():
        history = _history_for(
            session, customer_id=item.customer_id, before=item.received_at, exclude=item.interaction_id
        )
        result = triage(
            f"{subject}\n{body}".strip(),
            history=[text for _, text in history],
            languages=languages,
            names=[name],
            default_language=customer_language or None,
        )
        item.frustration = result.frustration
        item.escalated = result.escalate
        item.escalation_reasons = ",".join(result.reasons)
        item.language = result.language
        item.updated_at = now
        session.add(item)
        updated += 1
    session.flush()
    return updated


def last_item_id(session: Session) -> int:
    """The newest work item's id (0 when there is none): pass it as `after_id` to triage what comes next."""
    value = session.execute(sa.select(sa.func.max(col(WorkItem.id)))).scalar_one_or_none()
    return int(value or 0)
