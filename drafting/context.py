"""What the AI knows when it drafts a reply: the customer, what just happened, and how we write.

`build_context` gathers, for one work item: who the customer is; what happened
recently on every channel, newest first, each with how long ago it was; open
issues and internal notes; promises the team made before; the older messages
most like the incoming one; replies the team approved to similar messages; the
voice guide with its examples; and the channel's rules. It then fits all that
into a token budget by dropping the least relevant items first, and records
what it dropped.

The result is a frozen `DraftContext`. It holds text only, never a session, so
it can cross threads, be rendered into prompts (`drafting.prompts`) or by the
offline composer, and be stored with the draft as a snapshot (`to_snapshot`)
so a lead can later see exactly what the AI knew.

Everything about the customer here is untrusted text: prompts put it inside a
fenced data block, never among the instructions.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import operator
import re
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col

from drafting.timeago import duration, language_of, relative_time
from storage.location import assets_dir
from storage.models import (
    ApprovedReply,
    Channel,
    Customer,
    CustomerHandle,
    Direction,
    FeedbackNote,
    Interaction,
    VoiceExample,
    VoiceGuide,
    WorkItem,
    utcnow,
)
from storage.search import query_terms, search
from storage.timeline import DONE_STATUSES

SNAPSHOT_VERSION = 1

RECENT_WINDOW = timedelta(days=14)
"""Events this recent are "what happened recently"; older ones can only come back through search."""
VERY_RECENT = timedelta(hours=24)
"""Events this recent are never dropped, and the draft must acknowledge them."""
PROMISE_WINDOW = timedelta(days=90)
"""How far back outgoing messages are read for promises the team made."""

WINDOW_ROWS = 400
"""At most this many of the customer's newest interactions are read; enough for 90 days of a busy account."""
MAX_RECENT = 30
MAX_PROMISES = 8
MAX_OPEN_ITEMS = 8
MAX_NOTES = 6
MAX_OLDER = 5
MAX_SIMILAR = 3
MAX_EXAMPLES = 4
DEFAULT_COMMENT_LIMIT = 300
"""The comment length limit when there is no voice guide (the guide's own default)."""
SEARCH_TERMS = 8
"""The distinct, meaningful words of the incoming message a history search looks for."""

SUMMARY_CHARS = 160
DETAIL_CHARS = 600
"""Very recent events and internal notes keep more of their text: their details are what the reply is about."""

# Keep at least these many of a kind when the budget is tight (see `fit_to_budget`).
KEEP_EXAMPLES = 2
KEEP_SIMILAR = 1

# A future timestamp within this much of `now` is clock skew between machines, not the future.
_SKEW = timedelta(minutes=1)

_ITEM_OVERHEAD = 8
"""Tokens a rendered list item costs beyond its text: bullet, labels, relative time, line breaks."""

_T = TypeVar("_T")


# -- what crosses into prompts, the composer and the snapshot ------------------------


@dataclass(frozen=True)
class CustomerFacts:
    """Who the customer is: the facts a reply may rely on."""

    id: int
    """The database id (`Customer.id`)."""
    customer_id: str
    """The id the customer was imported with (what people and the command line use)."""
    name: str
    first_name: str
    plan: str
    owner: str
    language: str
    """As recorded on the customer; may be empty (see `DraftContext.language`)."""
    tags: str
    since: datetime | None
    tenure: str
    """How long they have been a customer, in the context's language: "1 year and 2 months"."""
    handles: tuple[str, ...]
    """Every way they are known, as `network:handle`, sorted."""


@dataclass(frozen=True)
class ChannelRules:
    """What the reply must look like on its channel."""

    channel: str
    max_chars: int | None
    """A hard length limit (public comments), or None."""
    needs_subject: bool
    needs_greeting: bool
    signature: str
    """The sign-off to end with, exactly; empty when the channel takes none (comments never do)."""


@dataclass(frozen=True)
class IncomingMessage:
    """The message being answered, exactly as received."""

    interaction_id: int
    channel: str
    subject: str
    text: str
    author: str
    occurred_at: datetime
    relative: str


@dataclass(frozen=True)
class Event:
    """One interaction in the customer's history, in one line."""

    interaction_id: int
    occurred_at: datetime
    relative: str
    channel: str
    direction: str
    summary: str
    very_recent: bool
    """Less than a day old: the reply must not ignore it."""


@dataclass(frozen=True)
class OpenIssue:
    """Something still open about this customer: another unanswered message, or a note from the team."""

    kind: str
    """`unanswered` (another open work item) or `note` (an internal note)."""
    ref: str
    """Where it comes from: `item:12`, `feedback:3` or `interaction:55`."""
    occurred_at: datetime
    relative: str
    channel: str
    author: str
    summary: str


@dataclass(frozen=True)
class Promise:
    """A sentence from an earlier message (or a call record) in which the team committed to something."""

    interaction_id: int
    occurred_at: datetime
    relative: str
    channel: str
    text: str


@dataclass(frozen=True)
class SimilarReply:
    """A reply a person approved to a message like this one."""

    reply_id: int
    channel: str
    language: str
    incoming: str
    body: str
    approved_at: datetime


@dataclass(frozen=True)
class VoiceSample:
    """One example from the voice guide: a message and how we answered it."""

    channel: str
    incoming: str
    reply: str


@dataclass(frozen=True)
class Voice:
    """How the team writes in one language."""

    language: str
    tone: str
    words_use: tuple[str, ...]
    words_avoid: tuple[str, ...]
    examples: tuple[VoiceSample, ...]


@dataclass(frozen=True)
class DraftContext:
    """Everything a draft is written from, already fitted to a token budget."""

    customer: CustomerFacts
    channel: str
    rules: ChannelRules
    incoming: IncomingMessage | None
    """None for a new outreach message."""
    recent: tuple[Event, ...]
    """The last RECENT_WINDOW on every channel, newest first. Internal notes and other messages that still
    wait for a reply are in `open_issues` instead, so nothing is listed twice."""
    open_issues: tuple[OpenIssue, ...]
    promises: tuple[Promise, ...]
    """Newest first."""
    older_history: tuple[Event, ...]
    """Older messages that look like the incoming one, most similar first."""
    similar_replies: tuple[SimilarReply, ...]
    """Most similar first, the customer's language preferred."""
    voice: Voice | None
    language: str
    """The language to reply in: the customer's, else the incoming message's, else `en`."""
    now: datetime
    item_id: int | None = None
    budget_tokens: int = 2500
    tokens: int = 0
    """The estimated size of this context (see `context_tokens`)."""
    dropped: tuple[tuple[str, int], ...] = ()
    """What the budget removed: (kind, how many), in the order it was removed."""

    @property
    def prompt_language(self) -> str:
        """The language prompts and relative times are written in: `es` or `en`."""
        return language_of(self.language)

    def to_snapshot(self) -> dict[str, Any]:
        """A JSON-serializable copy, keys in field order, times in ISO 8601."""
        encoded = _encode(self)
        return {"version": SNAPSHOT_VERSION, **encoded}

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> DraftContext:
        """The context a snapshot was taken from; raises ValueError on an unknown version."""
        version = data.get("version")
        if version != SNAPSHOT_VERSION:
            raise ValueError(f"unsupported context snapshot version {version!r}")
        return _decode_dataclass(cls, {k: v for k, v in data.items() if k != "version"})


# -- snapshot encoding ---------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if value is None else _decode(options[0], value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, value)
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp in (int, str, bool, float) and isinstance(value, tp):
        return value
    raise ValueError(f"snapshot value {value!r} is not a {tp}")


def _decode_dataclass(cls: type[_T], data: dict[str, Any]) -> _T:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]  # cls is a dataclass, checked by callers
    unknown = set(data) - set(names)
    if unknown:
        raise ValueError(f"unknown snapshot fields for {cls.__name__}: {sorted(unknown)}")
    return cls(**{name: _decode(hints[name], data[name]) for name in names if name in data})


# -- lexicons ------------------------------------------------------------------------


def lexicon_lines(name: str, lang: str) -> tuple[str, ...]:
    """The entries of `assets/lexicons/{lang}/{name}.txt`: one per line, `#` comments and blanks skipped."""
    path = assets_dir() / "lexicons" / lang / f"{name}.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def commitment_pattern() -> re.Pattern[str]:
    """One case-insensitive pattern matching any commitment in the English or Spanish lexicon.

    Both languages at once: a Spanish customer may have been answered in English,
    and one pass over a message is cheaper than one per language.
    """
    patterns = lexicon_lines("commitments", "en") + lexicon_lines("commitments", "es")
    return re.compile(_bounded_alternation(patterns), re.IGNORECASE)


_BOUNDARY = "\\b"


def _bounded_alternation(patterns: Sequence[str]) -> str:
    """`(?:a)|(?:b)|...`, with each run of consecutive patterns that start with `\\b` sharing one `\\b`.

    Most lexicon entries start with a word boundary: tested once for the run, it
    fails at once inside a word instead of once per entry, a few times faster.
    The entries keep their order, so every match is the same.
    """
    parts: list[str] = []
    run: list[str] = []
    for pattern in patterns:
        rest = pattern[len(_BOUNDARY) :]
        if pattern.startswith(_BOUNDARY) and rest[:1] not in ("?", "*", "+", "{") and not _has_top_level_or(rest):
            run.append(f"(?:{rest})")
            continue
        if run:
            parts.append(f"{_BOUNDARY}(?:{'|'.join(run)})")
            run = []
        parts.append(f"(?:{pattern})")
    if run:
        parts.append(f"{_BOUNDARY}(?:{'|'.join(run)})")
    return "|".join(parts)


def _has_top_level_or(pattern: str) -> bool:
    """Whether `pattern` has a `|` outside any group or class: its leading `\\b` then binds only the first branch."""
    depth, index, in_class = 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 2 if pattern[index + 1 : index + 2] == "]" else 1  # a "]" first in a class is a literal
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


@cache
def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(lexicon_lines("stopwords", lang))


# -- small pure pieces ---------------------------------------------------------------

_TOKEN_PIECES = re.compile(r"[^\W\d_]+|\d+|\S")
# A sentence ends at . ! ? or … followed by whitespace (so "39.00" and "A-48213." stay whole), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def estimate_tokens(text: str) -> int:
    """A model-independent estimate of how many tokens `text` costs; needs no download.

    BPE tokenizers of GPT-like models spend about one token on a common word
    and more on long, rare or accented ones, one per 1-3 digits and about one
    per punctuation mark. So: a run of letters costs one token per 6 letters
    (rounded up), a run of digits one per 3 digits, an ASCII symbol one, and
    any other symbol (emoji, curly quotes) two; whitespace is free. On English
    and Spanish prose this lands near the usual "4 characters per token", a
    little high, which is the safe side for a budget.
    """
    return sum(map(_piece_tokens, _TOKEN_PIECES.findall(text)))


@lru_cache(maxsize=1 << 16)
def _piece_tokens(piece: str) -> int:
    # Words repeat (a customer's history reuses a few thousand): most pieces are a cache hit.
    first = piece[0]
    if first.isdigit():
        return math.ceil(len(piece) / 3)
    if first.isalpha():
        return math.ceil(len(piece) / 6)
    return 1 if piece.isascii() else 2


def summarize(subject: str, body: str, *, limit: int = SUMMARY_CHARS) -> str:
    """One line: the subject (if any), a dash, the body, whitespace collapsed, cut at `limit` characters with "…"."""
    text = " ".join(body.split())
    head = " ".join(subject.split())
    line = f"{head} — {text}" if head and text else head or text
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def first_name(name: str) -> str:
    """The first word of a name ("Nayra Hernández Trujillo" -> "Nayra")."""
    parts = name.split()
    return parts[0] if parts else ""


def guess_language(text: str) -> str | None:
    """`es` or `en` by which language's common words the text uses more; None when it says nothing.

    Only a fallback for customers with no recorded language on a work item
    with none either; it needs no model, so it costs nothing at run time.
    """
    words = query_terms(text)
    es = sum(w in _stopwords("es") for w in words)
    en = sum(w in _stopwords("en") for w in words)
    if es == en:
        return None
    return "es" if es > en else "en"


def search_text(text: str, *, sample: Sequence[str] = ()) -> str:
    """The words of `text` worth searching history for, at most SEARCH_TERMS of them.

    Common words and single letters are left out. When `sample` (the
    customer's recent messages, casefolded) is given, it ranks the words:
    first those in some but at most half of the sample, or in up to 20 messages
    of a short one (they tie this message
    to the customer's own history), then those in none of it, then the
    frequent ones. A word in every message ranks nothing, and each extra
    common word makes a full-text OR search walk a longer posting list, on
    every customer's history, not only this one's.
    """
    common = _stopwords("en") | _stopwords("es")
    terms = [t for t in query_terms(text) if len(t) > 1 and t not in common]
    if sample:
        # A short history says little about which words are common: there, any word it shares counts.
        frequent = max(len(sample) // 2, 20)

        def rank(term: str) -> tuple[int, int]:
            count = sum(map(operator.contains, sample, itertools.repeat(term)))
            return (0 if 0 < count <= frequent else 1 if count == 0 else 2), count

        # sorted() is stable: equally ranked words keep the order they were written in.
        terms = sorted(terms, key=rank)
    return " ".join(terms[:SEARCH_TERMS])


def find_promises(text: str) -> list[str]:
    """The sentences of `text` that commit to something (see `assets/lexicons/*/commitments.txt`)."""
    pattern = commitment_pattern()
    if pattern.search(text) is None:  # most messages promise nothing: skip splitting them
        return []
    sentences = (" ".join(s.split()) for s in _SENTENCE_END.split(text))
    return [s for s in sentences if s and pattern.search(s)]


def channel_rules(channel: str, guide: VoiceGuide | None) -> ChannelRules:
    """The rules for replying on `channel` with the team's voice guide (if there is one)."""
    email_signature = guide.signature_email if guide else ""
    social_signature = guide.signature_comment if guide else ""
    # Guides written before DMs had their own signature keep signing DMs with the social one.
    dm_signature = (guide.signature_dm or social_signature) if guide else ""
    if channel == Channel.COMMENT:
        # Public comments are short and signed by the brand account itself: no sign-off.
        limit = guide.comment_limit if guide else DEFAULT_COMMENT_LIMIT
        return ChannelRules(channel, limit, needs_subject=False, needs_greeting=False, signature="")
    if channel in (Channel.DM, Channel.CHAT):
        return ChannelRules(channel, None, needs_subject=False, needs_greeting=False, signature=dm_signature)
    if channel == Channel.TICKET:
        return ChannelRules(channel, None, needs_subject=False, needs_greeting=True, signature=email_signature)
    return ChannelRules(channel, None, needs_subject=True, needs_greeting=True, signature=email_signature)


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return utcnow()
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# -- token budget --------------------------------------------------------------------


def _event_cost(event: Event) -> int:
    return estimate_tokens(event.summary) + _ITEM_OVERHEAD


def _similar_cost(reply: SimilarReply) -> int:
    return estimate_tokens(reply.incoming) + estimate_tokens(reply.body) + 2 * _ITEM_OVERHEAD


def _sample_cost(sample: VoiceSample) -> int:
    return estimate_tokens(sample.incoming) + estimate_tokens(sample.reply) + 2 * _ITEM_OVERHEAD


def context_tokens(ctx: DraftContext) -> int:
    """The estimated tokens of everything in the context (the fixed wording of the prompts is not counted)."""
    c = ctx.customer
    total = estimate_tokens(" ".join((c.name, c.customer_id, c.plan, c.owner, c.tags, c.tenure, *c.handles)))
    total += 6 * _ITEM_OVERHEAD + estimate_tokens(ctx.rules.signature)
    if ctx.incoming is not None:
        total += estimate_tokens(ctx.incoming.subject) + estimate_tokens(ctx.incoming.text) + _ITEM_OVERHEAD
    total += sum(_event_cost(e) for e in ctx.recent)
    total += sum(estimate_tokens(i.summary) + _ITEM_OVERHEAD for i in ctx.open_issues)
    total += sum(estimate_tokens(p.text) + _ITEM_OVERHEAD for p in ctx.promises)
    total += sum(_event_cost(e) for e in ctx.older_history)
    total += sum(_similar_cost(r) for r in ctx.similar_replies)
    if ctx.voice is not None:
        v = ctx.voice
        total += estimate_tokens(" ".join((v.tone, *v.words_use, *v.words_avoid))) + 3 * _ITEM_OVERHEAD
        total += sum(_sample_cost(s) for s in v.examples)
    return total


DROP_ORDER = ("older_history", "voice_examples", "similar_replies", "recent")
"""What the budget removes, least relevant first. The incoming message, the customer's facts,
promises, open issues and very recent events are never removed."""


def fit_to_budget(ctx: DraftContext, budget_tokens: int) -> DraftContext:
    """`ctx` with items removed, in DROP_ORDER, until its estimate fits `budget_tokens`.

    Within a kind the least relevant go first: the last older-history hits and
    similar replies (they are sorted best first), the last voice examples
    (the guide's own order, this channel's first), and the oldest recent
    events that are not very recent. Voice examples keep at least
    KEEP_EXAMPLES and similar replies at least KEEP_SIMILAR. If everything
    droppable is gone and it still does not fit, the rest stays: a reply
    without the message it answers would be worse than a long prompt.
    """
    total = context_tokens(ctx)
    older = list(ctx.older_history)
    examples = list(ctx.voice.examples) if ctx.voice else []
    similar = list(ctx.similar_replies)
    recent = list(ctx.recent)
    dropped: list[tuple[str, int]] = list(ctx.dropped)

    def trim(kind: str, items: list[Any], keep: int, cost: typing.Callable[[Any], int]) -> None:
        nonlocal total
        count = 0
        while total > budget_tokens and len(items) > keep:
            if kind == "recent" and items[-1].very_recent:
                break  # newest first: once the last one is very recent, all of them are
            total -= cost(items.pop())
            count += 1
        if count:
            dropped.append((kind, count))

    trim("older_history", older, 0, _event_cost)
    trim("voice_examples", examples, KEEP_EXAMPLES, _sample_cost)
    trim("similar_replies", similar, KEEP_SIMILAR, _similar_cost)
    trim("recent", recent, 0, _event_cost)
    voice = dataclasses.replace(ctx.voice, examples=tuple(examples)) if ctx.voice else None
    return dataclasses.replace(
        ctx,
        older_history=tuple(older),
        voice=voice,
        similar_replies=tuple(similar),
        recent=tuple(recent),
        budget_tokens=budget_tokens,
        tokens=total,
        dropped=tuple(dropped),
    )


# -- queries -------------------------------------------------------------------------

_WINDOW_COLUMNS = (
    col(Interaction.id),
    col(Interaction.channel),
    col(Interaction.direction),
    col(Interaction.occurred_at),
    col(Interaction.subject),
    col(Interaction.body),
    col(Interaction.author),
)


class _Row(NamedTuple):
    id: int
    channel: str
    direction: str
    occurred_at: datetime
    subject: str
    body: str
    author: str


class _Note(NamedTuple):
    id: int
    author: str
    body: str
    created_at: datetime


# The statements are built once: building one costs about as much as running it on a warm SQLite page cache.
# They run on the session's connection (Core), not through the ORM: every one returns plain columns.
_ITEM = (
    sa.select(col(WorkItem.customer_id), col(WorkItem.channel), col(WorkItem.language), *_WINDOW_COLUMNS)
    .join(Interaction, col(Interaction.id) == col(WorkItem.interaction_id))
    .where(col(WorkItem.id) == sa.bindparam("item_id"))
)
_CUSTOMER = sa.select(
    col(Customer.customer_id),
    col(Customer.name),
    col(Customer.plan),
    col(Customer.owner),
    col(Customer.language),
    col(Customer.tags),
    col(Customer.created_at),
).where(col(Customer.id) == sa.bindparam("customer_id"))
_HANDLES = (
    sa.select(col(CustomerHandle.network), col(CustomerHandle.handle))
    .where(col(CustomerHandle.customer_id) == sa.bindparam("customer_id"))
    .order_by(col(CustomerHandle.network), col(CustomerHandle.handle))
)
_WINDOW = (
    sa.select(*_WINDOW_COLUMNS)
    .where(
        col(Interaction.customer_id) == sa.bindparam("customer_id"),
        col(Interaction.occurred_at) >= sa.bindparam("since"),
        col(Interaction.occurred_at) <= sa.bindparam("until"),
    )
    .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
    .limit(WINDOW_ROWS)
)
_ROWS_BY_ID = sa.select(*_WINDOW_COLUMNS).where(col(Interaction.id).in_(sa.bindparam("ids", expanding=True)))
_OPEN_ITEMS = (
    sa.select(col(WorkItem.id), *_WINDOW_COLUMNS)
    .join(Interaction, col(Interaction.id) == col(WorkItem.interaction_id))
    .where(col(WorkItem.customer_id) == sa.bindparam("customer_id"), col(WorkItem.status).not_in(DONE_STATUSES))
    .order_by(col(WorkItem.received_at).desc(), col(WorkItem.id).desc())
    .limit(MAX_OPEN_ITEMS + 1)
)
_NOTE_COLUMNS = (col(FeedbackNote.id), col(FeedbackNote.author), col(FeedbackNote.body), col(FeedbackNote.created_at))
_NOTES_OF_CUSTOMER = (
    sa.select(*_NOTE_COLUMNS)
    .where(col(FeedbackNote.customer_id) == sa.bindparam("customer_id"))
    .order_by(col(FeedbackNote.created_at).desc())
    .limit(MAX_NOTES)
)
_NOTES_OF_CUSTOMER_OR_ITEM = (
    sa.select(*_NOTE_COLUMNS)
    .where(
        sa.or_(
            col(FeedbackNote.customer_id) == sa.bindparam("customer_id"),
            col(FeedbackNote.work_item_id) == sa.bindparam("item_id"),
        )
    )
    .order_by(col(FeedbackNote.created_at).desc())
    .limit(MAX_NOTES)
)
_GUIDE = sa.select(VoiceGuide).where(col(VoiceGuide.language) == sa.bindparam("language"))
# This channel's examples first, then the rest in the order the guide lists them.
_EXAMPLES = (
    sa.select(col(VoiceExample.channel), col(VoiceExample.incoming), col(VoiceExample.reply))
    .where(col(VoiceExample.guide_id) == sa.bindparam("guide_id"))
    .order_by(sa.case((col(VoiceExample.channel) == sa.bindparam("channel"), 0), else_=1), col(VoiceExample.id))
    .limit(MAX_EXAMPLES)
)
_REPLY_COLUMNS = (
    col(ApprovedReply.id),
    col(ApprovedReply.channel),
    col(ApprovedReply.language),
    col(ApprovedReply.incoming),
    col(ApprovedReply.body),
    col(ApprovedReply.approved_at),
)
_NEWEST_REPLIES = (
    sa.select(*_REPLY_COLUMNS)
    .where(
        col(ApprovedReply.language) == sa.bindparam("language"), col(ApprovedReply.channel) == sa.bindparam("channel")
    )
    .order_by(col(ApprovedReply.approved_at).desc(), col(ApprovedReply.id).desc())
    .limit(MAX_SIMILAR)
)
_REPLIES_BY_ID = sa.select(*_REPLY_COLUMNS).where(col(ApprovedReply.id).in_(sa.bindparam("ids", expanding=True)))


def _rows(session: Session, stmt: sa.Executable, **params: object) -> Sequence[Any]:
    # Rows of plain columns: their tuple shape is known here, not to the type checker.
    return session.connection().execute(stmt, params).all()


def _customer_row(session: Session, customer_id: int) -> tuple[Any, tuple[str, ...]]:
    found = _rows(session, _CUSTOMER, customer_id=customer_id)
    if not found:
        raise LookupError(f"customer {customer_id} does not exist")
    handles = _rows(session, _HANDLES, customer_id=customer_id)
    return found[0], tuple(f"{network}:{handle}" for network, handle in handles)


def _window(session: Session, *, customer_id: int, since: datetime, until: datetime) -> list[_Row]:
    """The customer's interactions in [since, until], newest first (ix_interaction_customer_time, backwards)."""
    return list(map(_Row._make, _rows(session, _WINDOW, customer_id=customer_id, since=since, until=until)))


def _rows_by_id(session: Session, ids: Sequence[int]) -> dict[int, _Row]:
    if not ids:
        return {}
    return {r[0]: _Row._make(r) for r in _rows(session, _ROWS_BY_ID, ids=list(ids))}


def _open_items(session: Session, *, customer_id: int) -> list[tuple[int, _Row]]:
    """The customer's open work items with the message each answers, newest first."""
    return [(r[0], _Row._make(r[1:])) for r in _rows(session, _OPEN_ITEMS, customer_id=customer_id)]


def _feedback(session: Session, *, customer_id: int, item_id: int | None) -> list[_Note]:
    if item_id is None:
        found = _rows(session, _NOTES_OF_CUSTOMER, customer_id=customer_id)
    else:
        found = _rows(session, _NOTES_OF_CUSTOMER_OR_ITEM, customer_id=customer_id, item_id=item_id)
    return list(map(_Note._make, found))


def _voice(session: Session, *, language: str, channel: str) -> tuple[VoiceGuide | None, Voice | None]:
    guide = session.scalars(_GUIDE, {"language": language}).first()
    if guide is None:
        return None, None
    examples = _rows(session, _EXAMPLES, guide_id=guide.id, channel=channel)
    voice = Voice(
        language=guide.language,
        tone=guide.tone,
        words_use=tuple(w.strip() for w in guide.words_use.splitlines() if w.strip()),
        words_avoid=tuple(w.strip() for w in guide.words_avoid.splitlines() if w.strip()),
        examples=tuple(VoiceSample(*e) for e in examples),
    )
    return guide, voice


def _similar_replies(session: Session, *, query: str, language: str, channel: str) -> list[SimilarReply]:
    """Approved replies to messages like `query`, best first, this language first; with no query, the newest."""
    if not query:
        return [SimilarReply(*r) for r in _rows(session, _NEWEST_REPLIES, language=language, channel=channel)]
    hits = search(session, query=query, kind="reply", limit=4 * MAX_SIMILAR)
    if not hits:
        return []
    found = {r[0]: SimilarReply(*r) for r in _rows(session, _REPLIES_BY_ID, ids=[h.id for h in hits])}
    ranked = [found[h.id] for h in hits if h.id in found]
    # sorted() is stable: within each language group the search's order (best first) stays.
    ranked.sort(key=lambda r: (language_of(r.language) != language_of(language), r.channel != channel))
    return ranked[:MAX_SIMILAR]


# -- assembling ----------------------------------------------------------------------


def _event(row: _Row, *, now: datetime, lang: str) -> Event:
    very_recent = now - row.occurred_at < VERY_RECENT
    return Event(
        interaction_id=row.id,
        occurred_at=row.occurred_at,
        relative=relative_time(row.occurred_at, now, lang),
        channel=row.channel,
        direction=row.direction,
        summary=summarize(row.subject, row.body, limit=DETAIL_CHARS if very_recent else SUMMARY_CHARS),
        very_recent=very_recent,
    )


def _promises(rows: Iterable[_Row], *, now: datetime, lang: str) -> tuple[Promise, ...]:
    """Commitments from the team's messages, and from call records, newest first.

    Calls count even when the customer called: the record is written by the
    person who took the call, and promises made on the phone are promises too.
    Internal notes do not: they talk about the customer, not to them.
    """
    found: list[Promise] = []
    seen: set[str] = set()
    for row in rows:
        if row.channel == Channel.NOTE or (row.direction != Direction.OUT and row.channel != Channel.CALL):
            continue
        for sentence in find_promises(row.body):
            if sentence in seen:
                continue
            seen.add(sentence)
            found.append(
                Promise(row.id, row.occurred_at, relative_time(row.occurred_at, now, lang), row.channel, sentence)
            )
            if len(found) == MAX_PROMISES:
                return tuple(found)
    return tuple(found)


def _open_issues(
    items: Sequence[tuple[int, _Row]],
    notes: Sequence[_Note],
    window: Sequence[_Row],
    *,
    item_id: int | None,
    now: datetime,
    lang: str,
) -> tuple[OpenIssue, ...]:
    issues = [
        OpenIssue(
            kind="unanswered",
            ref=f"item:{other_id}",
            occurred_at=row.occurred_at,
            relative=relative_time(row.occurred_at, now, lang),
            channel=row.channel,
            author=row.author,
            summary=summarize(row.subject, row.body),
        )
        for other_id, row in items
        if other_id != item_id
    ][:MAX_OPEN_ITEMS]
    team_notes = [
        OpenIssue(
            kind="note",
            ref=f"feedback:{note.id}",
            occurred_at=_aware(note.created_at),
            relative=relative_time(_aware(note.created_at), now, lang),
            channel="",
            author=note.author,
            summary=summarize("", note.body, limit=DETAIL_CHARS),
        )
        for note in notes
    ]
    team_notes += [
        OpenIssue(
            kind="note",
            ref=f"interaction:{row.id}",
            occurred_at=row.occurred_at,
            relative=relative_time(row.occurred_at, now, lang),
            channel=row.channel,
            author=row.author,
            summary=summarize(row.subject, row.body, limit=DETAIL_CHARS),
        )
        for row in window
        if row.channel == Channel.NOTE
    ]
    team_notes.sort(key=lambda n: n.occurred_at, reverse=True)
    return tuple(issues + team_notes[:MAX_NOTES])


def _older_history(
    session: Session, *, customer_id: int, query: str, exclude: int, before: datetime, now: datetime, lang: str
) -> tuple[Event, ...]:
    """Messages outside the recent window that share words with `query`, most similar first."""
    if not query:
        return ()
    hits = search(session, query=query, kind="interaction", customer_id=customer_id, limit=4 * MAX_OLDER)
    rows = _rows_by_id(session, [h.id for h in hits if h.id != exclude])
    older = [rows[h.id] for h in hits if h.id in rows and rows[h.id].occurred_at < before]
    return tuple(_event(row, now=now, lang=lang) for row in older[:MAX_OLDER])


def _assemble(
    session: Session,
    *,
    customer_id: int,
    channel: str,
    item_id: int | None,
    incoming_row: _Row | None,
    item_language: str,
    now: datetime,
    budget_tokens: int,
) -> DraftContext:
    customer, handles = _customer_row(session, customer_id)
    recorded = customer.language.strip().lower()
    language = (
        recorded
        or item_language.strip().lower()
        or (guess_language(incoming_row.body) if incoming_row is not None else None)
        or "en"
    )
    lang = language_of(language)

    window = _window(session, customer_id=customer_id, since=now - PROMISE_WINDOW, until=now + _SKEW)
    items = _open_items(session, customer_id=customer_id)
    recent_since = now - RECENT_WINDOW
    # The incoming message has its own section, and other unanswered ones are open issues.
    elsewhere = {row.id for _, row in items}
    if incoming_row is not None:
        elsewhere.add(incoming_row.id)
    recent = tuple(
        _event(row, now=now, lang=lang)
        for row in itertools.islice(
            (
                r
                for r in window
                if r.occurred_at >= recent_since and r.channel != Channel.NOTE and r.id not in elsewhere
            ),
            MAX_RECENT,
        )
    )

    guide, voice = _voice(session, language=lang, channel=channel)
    since = _aware(customer.created_at) if customer.created_at is not None else None
    facts = CustomerFacts(
        id=customer_id,
        customer_id=customer.customer_id,
        name=customer.name,
        first_name=first_name(customer.name),
        plan=customer.plan,
        owner=customer.owner,
        language=customer.language,
        tags=customer.tags,
        since=since,
        tenure=duration(since, now, lang) if since is not None else "",
        handles=handles,
    )
    incoming = None
    older: tuple[Event, ...] = ()
    query = ""
    if incoming_row is not None:
        incoming = IncomingMessage(
            interaction_id=incoming_row.id,
            channel=incoming_row.channel,
            subject=incoming_row.subject,
            text=incoming_row.body,
            author=incoming_row.author,
            occurred_at=incoming_row.occurred_at,
            relative=relative_time(incoming_row.occurred_at, now, lang),
        )
        sample = [f"{row.subject}\n{row.body}".casefold() for row in window if row.id != incoming_row.id]
        query = search_text(f"{incoming_row.subject}\n{incoming_row.body}", sample=sample)
        older = _older_history(
            session,
            customer_id=customer_id,
            query=query,
            exclude=incoming_row.id,
            before=recent_since,
            now=now,
            lang=lang,
        )
    ctx = DraftContext(
        customer=facts,
        channel=channel,
        rules=channel_rules(channel, guide),
        incoming=incoming,
        recent=recent,
        open_issues=_open_issues(
            items,
            _feedback(session, customer_id=customer_id, item_id=item_id),
            window,
            item_id=item_id,
            now=now,
            lang=lang,
        ),
        promises=_promises(window, now=now, lang=lang),
        older_history=older,
        similar_replies=tuple(_similar_replies(session, query=query, language=lang, channel=channel)),
        voice=voice,
        language=language,
        now=now,
        item_id=item_id,
    )
    return fit_to_budget(ctx, budget_tokens)


def build_context(
    session: Session, *, item_id: int, now: datetime | None = None, budget_tokens: int = 2500
) -> DraftContext:
    """The context for answering work item `item_id`, fitted to `budget_tokens`.

    `now` (default: the current time) is what relative times are measured
    from and what "recent" means. Raises LookupError when there is no such item.
    """
    moment = _aware(now)
    found = _rows(session, _ITEM, item_id=item_id)
    if not found:
        raise LookupError(f"work item {item_id} does not exist")
    customer_id, channel, item_language, *incoming = found[0]
    return _assemble(
        session,
        customer_id=customer_id,
        channel=channel,
        item_id=item_id,
        incoming_row=_Row._make(incoming),
        item_language=item_language,
        now=moment,
        budget_tokens=budget_tokens,
    )


def build_customer_context(
    session: Session, *, customer_id: int, channel: str, now: datetime | None = None, budget_tokens: int = 2500
) -> DraftContext:
    """The context for a new message to a customer (outreach), with no incoming message to answer.

    `customer_id` is the database id. Similar replies are then the team's
    newest approved replies on that channel in the customer's language.
    Raises LookupError when there is no such customer.
    """
    return _assemble(
        session,
        customer_id=customer_id,
        channel=channel,
        item_id=None,
        incoming_row=None,
        item_language="",
        now=_aware(now),
        budget_tokens=budget_tokens,
    )
