"""Comment themes: what customers keep bringing up, read from incoming messages over a period.

The comments and messages a team receives work like a focus group. Each
message is folded (lowercase, no accents), cleaned of links, handles and
numbers, and split into words; words that mean the same in English and
Spanish map to one concept (`assets/lexicons/theme_concepts.txt`), so one
theme gathers both languages, and stopwords of both languages go. Word
n-grams (1-3) are weighted by TF-IDF. Themes grow greedily from the phrases
that weigh most across the period: a phrase whose messages mostly belong to
a theme joins it, any other frequent phrase starts a new one. A last pass
moves each message to the theme its phrases weigh most for.

Pure Python, no Qt, and one query (`incoming_messages`). It keeps the work
linear in the size of the text, so 10,000 messages take about a second.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cache

import sqlalchemy as sa
from sqlmodel import Session, col

from drafting.context import lexicon_lines
from storage.feedback import Bucket, period_start, periods_between
from storage.location import assets_dir
from storage.models import Channel, Direction, Interaction

THEME_CHANNELS = (
    Channel.COMMENT.value,
    Channel.DM.value,
    Channel.EMAIL.value,
    Channel.CHAT.value,
    Channel.TICKET.value,
)
"""Written channels customers use; calls are notes of a conversation and are left out."""
MAX_NGRAM = 3
MIN_VOLUME = 2
"""A theme needs at least this many messages."""
MAX_DF_SHARE = 0.5
"""A phrase in more than this share of all messages says nothing about any of them."""
JOIN_SHARE = 0.5
MIN_SIMILARITY = 0.3
"""A message belongs to a theme when its cosine with the theme's centre is at least this."""
"""A phrase joins a theme when at least this share of its messages are already in it."""
MAX_CANDIDATES = 3000
EXAMPLES = 5
SNIPPET_CHARS = 140
PROGRESS_EVERY = 500

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#][\w.]+|\b[a-z]{0,4}-?\d[\w-]*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


class Cancelled(Exception):
    """The person stopped the computation."""


@dataclass(frozen=True)
class Message:
    """One incoming message, as the themes read it."""

    id: int
    channel: str
    occurred_at: datetime
    text: str


@dataclass(frozen=True)
class ThemeExample:
    """A message that shows what a theme is about."""

    interaction_id: int
    channel: str
    occurred_at: datetime
    snippet: str


@dataclass(frozen=True)
class Theme:
    """One recurring topic: its words, how many messages raised it, and when."""

    label: str
    """The phrase that names it, in the words customers used (both languages when both were used)."""
    phrases: tuple[str, ...]
    """Its main phrases, most weighty first, each in the words customers used."""
    volume: int
    examples: tuple[ThemeExample, ...]
    """The messages that show it best."""
    trend: tuple[int, ...]
    """Messages per period, aligned with `ThemeReport.periods`."""
    message_ids: tuple[int, ...] = field(repr=False)
    """Every message in the theme (interaction ids), oldest first."""


@dataclass(frozen=True)
class ThemeReport:
    since: datetime
    until: datetime
    bucket: Bucket
    periods: tuple[datetime, ...]
    messages: int
    """How many messages were read."""
    themes: tuple[Theme, ...]
    """Largest first."""


# -- words --------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase without accents (ñ stays ñ), so "Actualización" and "actualizacion" are one word."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("ñ", "\0"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "ñ").replace("’", "'")


@cache
def stopwords() -> frozenset[str]:
    """Stopwords of both languages, folded: the general lists plus the ones themes add."""
    words: set[str] = set()
    for lang in ("en", "es"):
        for name in ("stopwords", "theme_stopwords"):
            words.update(fold(w) for w in lexicon_lines(name, lang))
    return frozenset(words)


@cache
def concepts() -> dict[tuple[str, ...], str]:
    """Folded word sequences (1-3 words) and the concept each means."""
    path = assets_dir() / "lexicons" / "theme_concepts.txt"
    found: dict[tuple[str, ...], str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, variants = line.partition(":")
        for variant in variants.split("|"):
            words = tuple(_WORD.findall(fold(variant)))
            if words:
                found[words] = key.strip()
    return found


def _stem(word: str) -> str:
    """A plural folded onto its singular, in either language: precios → precio, updates → update."""
    if len(word) > 5 and word.endswith("iones"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[tuple[str, str]]:
    """The words of `text` that can carry a topic, as (key, surface): the key is the concept or stem."""
    words = _WORD.findall(fold(_NOISE.sub(" ", text)))
    table = concepts()
    stop = stopwords()
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            seq = tuple(words[i : i + size])
            if len(seq) == size and seq in table:
                found.append((table[seq], " ".join(seq)))
                i += size
                break
        else:
            word = words[i]
            i += 1
            if len(word) > 2 and word not in stop:
                found.append((_stem(word), word))
    return found


def _terms(words: Sequence[tuple[str, str]]) -> dict[str, tuple[int, str]]:
    """Every 1-3 word phrase of a message: key -> (count, surface as written)."""
    out: dict[str, tuple[int, str]] = {}
    n = len(words)
    for i in range(n):
        for size in range(1, MAX_NGRAM + 1):
            if i + size > n:
                break
            chunk = words[i : i + size]
            keys = [k for k, _ in chunk]
            if size > 1 and len(set(keys)) < size:
                continue  # "precio … precio" is no phrase
            key = " ".join(keys)
            count, surface = out.get(key, (0, ""))
            out[key] = (count + 1, surface or " ".join(s for _, s in chunk))
    return out


def snippet(text: str) -> str:
    """The message on one line, at most SNIPPET_CHARS characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


# -- the computation ---------------------------------------------------------------------------------


@dataclass
class _Group:
    phrases: list[str]
    docs: list[int]


Vector = dict[str, float]


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("stopped")


@dataclass
class _Corpus:
    """The period's messages as TF-IDF vectors, with what is needed to name and group them."""

    weights: list[Vector]
    postings: dict[str, list[int]]
    score: dict[str, float]
    """Each phrase's weight summed over the period."""
    surfaces: dict[str, Counter[str]]
    """Each phrase as customers wrote it, with how often."""


def _read(
    messages: Sequence[Message],
    *,
    min_volume: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> _Corpus:
    total = len(messages)
    doc_terms: list[dict[str, tuple[int, str]]] = []
    df: Counter[str] = Counter()
    for done, message in enumerate(messages):
        if done % PROGRESS_EVERY == 0:
            _check(cancelled)
            if progress is not None:
                progress(done, total)
        terms = _terms(tokens(message.text))
        doc_terms.append(terms)
        df.update(terms.keys())
    if progress is not None:
        progress(total, total)
    min_df = max(min_volume, 2)
    max_df = max(min_df, int(MAX_DF_SHARE * total))
    idf = {t: math.log(total / n) + 1.0 for t, n in df.items() if min_df <= n <= max_df}
    corpus = _Corpus([], defaultdict(list), defaultdict(float), defaultdict(Counter))
    for doc, terms in enumerate(doc_terms):
        # A longer phrase says more than each of its words alone.
        raw = {t: (1.0 + math.log(c)) * idf[t] * (1.0 + 0.25 * t.count(" ")) for t, (c, _) in terms.items() if t in idf}
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        vector = {t: w / norm for t, w in raw.items()}
        corpus.weights.append(vector)
        for t, w in vector.items():
            corpus.postings[t].append(doc)
            corpus.score[t] += w
            corpus.surfaces[t][terms[t][1]] += 1
    return corpus


def _seed(corpus: _Corpus, *, min_volume: int, max_groups: int) -> list[_Group]:
    """Groups grown from the weightiest phrases: a phrase mostly inside a group joins it, else may start one.

    A group reaches every message holding any of its phrases; a new group starts
    only from messages no group reaches yet, so one topic is not split in two.
    """
    groups: list[_Group] = []
    reach: list[set[int]] = []
    reached: set[int] = set()
    for term in heapq.nlargest(MAX_CANDIDATES, corpus.score, key=corpus.score.__getitem__):
        docs = corpus.postings[term]
        overlap = [(len(r.intersection(docs)), g) for g, r in enumerate(reach)]
        shared, best = max(overlap, default=(0, -1))
        if shared >= max(2, JOIN_SHARE * len(docs)):
            groups[best].phrases.append(term)
            reach[best].update(docs)
            reached.update(docs)
            continue
        free = [d for d in docs if d not in reached]
        if len(free) >= min_volume and len(groups) < max_groups:
            groups.append(_Group([term], free))
            reach.append(set(docs))
            reached.update(docs)
    return [_Group(g.phrases, sorted(r)) for g, r in zip(groups, reach, strict=True)]


def _centroid(corpus: _Corpus, docs: Iterable[int]) -> Vector:
    total: dict[str, float] = defaultdict(float)
    for d in docs:
        for t, w in corpus.weights[d].items():
            total[t] += w
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {t: w / norm for t, w in total.items()}


def _assign(corpus: _Corpus, groups: Sequence[_Group]) -> tuple[dict[int, list[int]], dict[int, float]]:
    """Each message to the group it is most like (cosine with the group's centre), if alike enough."""
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for g, group in enumerate(groups):
        for t, w in _centroid(corpus, group.docs).items():
            index[t].append((g, w))
    members: dict[int, list[int]] = defaultdict(list)
    fit: dict[int, float] = {}
    for doc, vector in enumerate(corpus.weights):
        similarity: dict[int, float] = defaultdict(float)
        for t, w in vector.items():
            for g, cw in index.get(t, ()):
                similarity[g] += w * cw
        if similarity:
            g, value = max(similarity.items(), key=lambda gv: (gv[1], -gv[0]))
            if value >= MIN_SIMILARITY:
                members[g].append(doc)
                fit[doc] = value
    return members, fit


def find_themes(
    messages: Sequence[Message],
    *,
    since: datetime,
    until: datetime,
    bucket: Bucket = "week",
    max_themes: int = 12,
    min_volume: int = MIN_VOLUME,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    tz: tzinfo = UTC,
) -> ThemeReport:
    """The recurring themes of `messages`, largest first.

    `progress(done, total)` is called now and then while messages are read;
    `cancelled()` is asked just as often and raises Cancelled when it says yes.
    Trends count per day or week of `tz`'s calendar (the team's).
    """
    periods = periods_between(since, until, bucket, tz)
    if not messages:
        return ThemeReport(since, until, bucket, periods, 0, ())
    corpus = _read(messages, min_volume=min_volume, progress=progress, cancelled=cancelled)
    _check(cancelled)
    groups = _seed(corpus, min_volume=min_volume, max_groups=4 * max_themes)
    _check(cancelled)
    # Centres first from the messages the phrases reach, then (twice) from the messages found alike.
    members, fit = _assign(corpus, groups)
    for _ in range(2):
        _check(cancelled)
        members, fit = _assign(corpus, [_Group(g.phrases, members.get(i, [])) for i, g in enumerate(groups)])

    slot = {p: i for i, p in enumerate(periods)}
    themes = []
    for g, docs in members.items():
        if len(docs) < min_volume:
            continue
        phrases = sorted(groups[g].phrases, key=lambda t: -sum(corpus.weights[d].get(t, 0.0) for d in docs))
        trend = [0] * len(periods)
        for d in docs:
            at = slot.get(period_start(messages[d].occurred_at, bucket, tz))
            if at is not None:
                trend[at] += 1
        best = sorted(docs, key=lambda d: (-fit[d], -messages[d].occurred_at.timestamp()))[:EXAMPLES]
        ordered = sorted(docs, key=lambda d: (messages[d].occurred_at, messages[d].id))
        themes.append(
            Theme(
                label=_label(corpus.surfaces[phrases[0]]),
                phrases=tuple(corpus.surfaces[t].most_common(1)[0][0] for t in phrases[:6]),
                volume=len(docs),
                examples=tuple(
                    ThemeExample(
                        messages[d].id, messages[d].channel, messages[d].occurred_at, snippet(messages[d].text)
                    )
                    for d in best
                ),
                trend=tuple(trend),
                message_ids=tuple(messages[d].id for d in ordered),
            )
        )
    themes.sort(key=lambda t: (-t.volume, t.label))
    return ThemeReport(since, until, bucket, periods, len(messages), tuple(themes[:max_themes]))


def _label(surfaces: Counter[str]) -> str:
    """The two commonest ways customers wrote a phrase ("precios / price"), or the one way."""
    ranked = [s for s, _ in surfaces.most_common(2)]
    return " / ".join(ranked)


# -- the one query -------------------------------------------------------------------------------------


def incoming_messages(
    session: Session, *, since: datetime, until: datetime, channels: Iterable[str] = THEME_CHANNELS
) -> list[Message]:
    """Incoming written messages received in [since, until), oldest first; an email's subject counts as text."""
    stmt = (
        sa.select(
            col(Interaction.id),
            col(Interaction.channel),
            col(Interaction.occurred_at),
            col(Interaction.subject),
            col(Interaction.body),
        )
        .where(
            col(Interaction.direction) == Direction.IN.value,
            col(Interaction.channel).in_(list(channels)),
            col(Interaction.occurred_at) >= since,
            col(Interaction.occurred_at) < until,
        )
        .order_by(col(Interaction.occurred_at), col(Interaction.id))
        .execution_options(yield_per=2000)
    )
    return [
        Message(int(i), str(channel), at, f"{subject}\n{body}" if subject else str(body))
        for i, channel, at, subject, body in session.execute(stmt)
    ]


def themes_between(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    bucket: Bucket = "week",
    max_themes: int = 12,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    tz: tzinfo = UTC,
) -> ThemeReport:
    """Read the period's incoming messages and find their themes."""
    messages = incoming_messages(session, since=since, until=until)
    _check(cancelled)
    return find_themes(
        messages,
        since=since,
        until=until,
        bucket=bucket,
        max_themes=max_themes,
        progress=progress,
        cancelled=cancelled,
        tz=tz,
    )
