"""The team's voice guide, per language: tone, words to use and avoid, signatures, and example replies.

The drafting context reads the guide (`drafting.context`), and the checks flag
its words to avoid as `robotic_phrase`. Every change here records an audit
event. A reply a person approved can be promoted to an example in one step
(`promote_reply`), keeping which draft it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from drafting.approval import latest_approval
from drafting.language import WORKSPACE_LANGUAGES
from drafting.timeago import language_of
from storage.chain import record_event
from storage.database import Database
from storage.models import (
    Channel,
    Customer,
    Decision,
    Draft,
    Interaction,
    Review,
    Revision,
    User,
    VoiceExample,
    VoiceGuide,
    WorkItem,
    utcnow,
)

EXAMPLE_CHANNELS = (
    Channel.EMAIL.value,
    Channel.COMMENT.value,
    Channel.DM.value,
    Channel.CHAT.value,
    Channel.TICKET.value,
)
"""Channels an example may be for (calls and internal notes are never answered in writing)."""
SIGNATURE_CHANNELS = ("email", "comment", "dm")
MAX_TONE_CHARS = 4000
MAX_WORDS = 100
MAX_WORD_CHARS = 120
MAX_SIGNATURE_CHARS = 500
MAX_EXAMPLE_CHARS = 5000
MIN_COMMENT_LIMIT = 40
MAX_COMMENT_LIMIT = 5000
DEFAULT_COMMENT_LIMIT = 300

_SPACES = re.compile(r"[ \t]+")


class VoiceError(ValueError):
    """A guide or example that cannot be kept as given; the message is one line a person can act on."""


@dataclass(frozen=True)
class Guide:
    """One language's voice guide, as the editor shows and saves it."""

    language: str
    tone: str = ""
    words_use: tuple[str, ...] = ()
    words_avoid: tuple[str, ...] = ()
    signature_email: str = ""
    signature_comment: str = ""
    signature_dm: str = ""
    comment_limit: int = DEFAULT_COMMENT_LIMIT
    updated_at: datetime | None = None
    """None for a language that has no guide yet."""


@dataclass(frozen=True)
class Example:
    """One example reply in a guide."""

    id: int
    language: str
    channel: str
    incoming: str
    reply: str
    source_draft_id: int | None
    created_at: datetime


# -- validation ---------------------------------------------------------------------------------------


def _language(language: str) -> str:
    lang = language.strip().lower()
    if lang not in WORKSPACE_LANGUAGES:
        raise VoiceError(f"language must be one of {', '.join(WORKSPACE_LANGUAGES)}, not {language!r}")
    return lang


def parse_words(text: str | Iterable[str]) -> tuple[str, ...]:
    """Words or phrases, one per line (or given as a list): trimmed, inner spaces collapsed, each once."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    seen: dict[str, str] = {}
    for line in lines:
        word = " ".join(line.split())
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return tuple(seen.values())


def _words(name: str, words: Iterable[str]) -> tuple[str, ...]:
    clean = parse_words(words)
    if len(clean) > MAX_WORDS:
        raise VoiceError(f"{name}: at most {MAX_WORDS} entries, not {len(clean)}")
    for word in clean:
        if len(word) > MAX_WORD_CHARS:
            raise VoiceError(f"{name}: {word[:30]!r}… is longer than {MAX_WORD_CHARS} characters")
    return clean


def _text(text: str) -> str:
    """Text with CRLF turned into LF, trailing spaces dropped from each line, and no blank lines around it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def validate(guide: Guide) -> Guide:
    """The guide cleaned up (trimmed text, words each once); raises VoiceError naming the first problem."""
    language = _language(guide.language)
    tone = _text(guide.tone)
    if len(tone) > MAX_TONE_CHARS:
        raise VoiceError(f"the tone rules are {len(tone)} characters long; the most is {MAX_TONE_CHARS}")
    use = _words("words to use", guide.words_use)
    avoid = _words("words to avoid", guide.words_avoid)
    both = {w.casefold() for w in use} & {w.casefold() for w in avoid}
    if both:
        raise VoiceError(f"{sorted(both)[0]!r} is both a word to use and a word to avoid")
    email, comment, dm = (_text(guide.signature_email), _text(guide.signature_comment), _text(guide.signature_dm))
    for channel, value in zip(SIGNATURE_CHANNELS, (email, comment, dm), strict=True):
        if len(value) > MAX_SIGNATURE_CHARS:
            raise VoiceError(f"the {channel} signature is longer than {MAX_SIGNATURE_CHARS} characters")
    if not MIN_COMMENT_LIMIT <= guide.comment_limit <= MAX_COMMENT_LIMIT:
        raise VoiceError(
            f"the comment length limit must be between {MIN_COMMENT_LIMIT} and {MAX_COMMENT_LIMIT}, "
            f"not {guide.comment_limit}"
        )
    return replace(
        guide,
        language=language,
        tone=tone,
        words_use=use,
        words_avoid=avoid,
        signature_email=email,
        signature_comment=comment,
        signature_dm=dm,
    )


def _check_actor(session: Session, actor: str) -> None:
    if session.execute(sa.select(col(User.id)).where(col(User.name) == actor)).first() is None:
        raise VoiceError(f"unknown user {actor!r}")


# -- the guide ------------------------------------------------------------------------------------------


def _guide_row(session: Session, language: str) -> VoiceGuide | None:
    return session.scalars(sa.select(VoiceGuide).where(col(VoiceGuide.language) == language)).first()


def _from_row(row: VoiceGuide) -> Guide:
    return Guide(
        language=row.language,
        tone=row.tone,
        words_use=parse_words(row.words_use),
        words_avoid=parse_words(row.words_avoid),
        signature_email=row.signature_email,
        signature_comment=row.signature_comment,
        signature_dm=row.signature_dm,
        comment_limit=row.comment_limit,
        updated_at=row.updated_at,
    )


def load_guide(session: Session, *, language: str) -> Guide:
    """The guide for `language`; an empty one (updated_at None) when the team has not written it yet."""
    lang = _language(language)
    row = _guide_row(session, lang)
    return Guide(language=lang) if row is None else _from_row(row)


_FIELDS = (
    "tone",
    "words_use",
    "words_avoid",
    "signature_email",
    "signature_comment",
    "signature_dm",
    "comment_limit",
)


def save_guide(db: Database, *, guide: Guide, actor: str, now: datetime | None = None) -> Guide:
    """Validate and keep `guide` (creating the language's guide if needed); audit which fields changed."""
    clean = validate(guide)
    moment = now or utcnow()
    with db.write() as session:
        _check_actor(session, actor)
        row = _guide_row(session, clean.language)
        before = _from_row(row) if row is not None else Guide(language=clean.language)
        if row is None:
            row = VoiceGuide(language=clean.language)
        changed = [f for f in _FIELDS if getattr(before, f) != getattr(clean, f)]
        row.tone = clean.tone
        row.words_use = "\n".join(clean.words_use)
        row.words_avoid = "\n".join(clean.words_avoid)
        row.signature_email = clean.signature_email
        row.signature_comment = clean.signature_comment
        row.signature_dm = clean.signature_dm
        row.comment_limit = clean.comment_limit
        row.updated_at = moment
        session.add(row)
        session.flush()
        record_event(
            session,
            action="voice.guide_saved",
            actor=actor,
            entity="voiceguide",
            entity_id=int(row.id or 0),
            details={"language": clean.language, "changed": changed},
            occurred_at=moment,
        )
        return _from_row(row)


def _ensure_guide(session: Session, language: str, moment: datetime) -> VoiceGuide:
    row = _guide_row(session, language)
    if row is None:
        row = VoiceGuide(language=language, updated_at=moment)
        session.add(row)
        session.flush()
    return row


# -- examples ---------------------------------------------------------------------------------------------


def _example(row: VoiceExample, language: str) -> Example:
    return Example(
        id=int(row.id or 0),
        language=language,
        channel=row.channel,
        incoming=row.incoming,
        reply=row.reply,
        source_draft_id=row.source_draft_id,
        created_at=row.created_at,
    )


def list_examples(session: Session, *, language: str) -> list[Example]:
    """The guide's examples in the order they were added."""
    lang = _language(language)
    stmt = (
        sa.select(VoiceExample)
        .join(VoiceGuide, col(VoiceGuide.id) == col(VoiceExample.guide_id))
        .where(col(VoiceGuide.language) == lang)
        .order_by(col(VoiceExample.id))
    )
    return [_example(row, lang) for row in session.scalars(stmt)]


def _check_example(channel: str, incoming: str, reply: str) -> tuple[str, str, str]:
    chan = channel.strip().lower()
    if chan not in EXAMPLE_CHANNELS:
        raise VoiceError(f"channel must be one of {', '.join(EXAMPLE_CHANNELS)}, not {channel!r}")
    clean_reply, clean_incoming = _text(reply), _text(incoming)
    if not clean_reply:
        raise VoiceError("the example's reply is empty")
    for name, value in (("reply", clean_reply), ("incoming message", clean_incoming)):
        if len(value) > MAX_EXAMPLE_CHARS:
            raise VoiceError(f"the example's {name} is longer than {MAX_EXAMPLE_CHARS} characters")
    return chan, clean_incoming, clean_reply


def _same_reply(session: Session, guide_id: int, reply: str) -> int | None:
    found = session.execute(
        sa.select(col(VoiceExample.id)).where(col(VoiceExample.guide_id) == guide_id, col(VoiceExample.reply) == reply)
    ).first()
    return None if found is None else int(found[0])


def _insert_example(
    session: Session,
    *,
    language: str,
    channel: str,
    incoming: str,
    reply: str,
    actor: str,
    source_draft_id: int | None,
    moment: datetime,
) -> Example:
    guide = _ensure_guide(session, language, moment)
    duplicate = _same_reply(session, int(guide.id or 0), reply)
    if duplicate is not None:
        raise VoiceError(f"the {language} guide already has this reply as example {duplicate}")
    row = VoiceExample(
        guide_id=int(guide.id or 0),
        channel=channel,
        incoming=incoming,
        reply=reply,
        source_draft_id=source_draft_id,
        created_at=moment,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        action="voice.example_added",
        actor=actor,
        entity="voiceexample",
        entity_id=int(row.id or 0),
        details={"language": language, "channel": channel, "source_draft_id": source_draft_id},
        occurred_at=moment,
    )
    return _example(row, language)


def add_example(
    db: Database,
    *,
    language: str,
    channel: str,
    incoming: str,
    reply: str,
    actor: str,
    now: datetime | None = None,
) -> Example:
    """Add an example reply to a language's guide (created if needed); refuses an empty or repeated reply."""
    lang = _language(language)
    chan, clean_incoming, clean_reply = _check_example(channel, incoming, reply)
    with db.write() as session:
        _check_actor(session, actor)
        return _insert_example(
            session,
            language=lang,
            channel=chan,
            incoming=clean_incoming,
            reply=clean_reply,
            actor=actor,
            source_draft_id=None,
            moment=now or utcnow(),
        )


def remove_example(db: Database, *, example_id: int, actor: str, now: datetime | None = None) -> None:
    """Remove one example from its guide (the audit event keeps what it said)."""
    with db.write() as session:
        _check_actor(session, actor)
        row = session.get(VoiceExample, example_id)
        if row is None:
            raise VoiceError(f"no voice example {example_id}")
        guide = session.get(VoiceGuide, row.guide_id)
        details = {
            "language": guide.language if guide is not None else "",
            "channel": row.channel,
            "reply": row.reply,
            "source_draft_id": row.source_draft_id,
        }
        session.delete(row)
        session.flush()
        record_event(
            session,
            action="voice.example_removed",
            actor=actor,
            entity="voiceexample",
            entity_id=example_id,
            details=details,
            occurred_at=now or utcnow(),
        )


def promote_reply(db: Database, *, draft_id: int, actor: str, now: datetime | None = None) -> Example:
    """Copy a draft's approved reply (its latest approved revision, and the message it answered) into the guide.

    The guide is the one of the draft's language. Refuses, with a one-line
    VoiceError, a draft nobody approved and a draft already promoted.
    """
    moment = now or utcnow()
    with db.write() as session:
        _check_actor(session, actor)
        draft = session.get(Draft, draft_id)
        if draft is None:
            raise VoiceError(f"no draft {draft_id}")
        review = latest_approval(session, draft_id=draft_id)
        if review is None:
            raise VoiceError(f"draft {draft_id} has not been approved: only approved replies can become examples")
        overruled = session.execute(
            sa.select(col(Review.decision)).where(
                col(Review.draft_id) == draft_id,
                col(Review.seq) > review.seq,
                col(Review.decision) != Decision.APPROVE.value,
            )
        ).first()
        if overruled is not None:
            raise VoiceError(f"draft {draft_id}'s approval was overruled by a later {overruled[0]!r} review")
        already = session.execute(
            sa.select(col(VoiceExample.id)).where(col(VoiceExample.source_draft_id) == draft_id)
        ).first()
        if already is not None:
            raise VoiceError(f"draft {draft_id} is already voice example {already[0]}")
        revision = session.get(Revision, review.revision_id)
        if revision is None:  # the foreign key makes this unreachable short of a damaged database
            raise VoiceError(f"the approved revision of draft {draft_id} is missing")
        incoming = ""
        item = session.get(WorkItem, draft.work_item_id) if draft.work_item_id is not None else None
        if item is not None:
            message = session.get(Interaction, item.interaction_id)
            # A long email is cut, not refused: the example is about the reply.
            incoming = message.body[:MAX_EXAMPLE_CHARS] if message is not None else ""
        customer = session.get(Customer, draft.customer_id)
        channel = draft.channel if draft.channel in EXAMPLE_CHANNELS else Channel.EMAIL.value
        chan, clean_incoming, clean_reply = _check_example(channel, incoming, revision.body)
        return _insert_example(
            session,
            language=language_of(draft.language or (customer.language if customer is not None else "")),
            channel=chan,
            incoming=clean_incoming,
            reply=clean_reply,
            actor=actor,
            source_draft_id=draft_id,
            moment=moment,
        )
