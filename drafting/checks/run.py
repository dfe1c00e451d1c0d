"""Run every check on a draft.

`check_draft` is pure: it looks only at its `CheckInput`. `check_item_draft`
builds that input from the database (the draft's newest revision, its item's
context, the team's recent openers) for the approval gate and the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from drafting.checks.commitments import find_commitments
from drafting.checks.contacts import KnownFacts, find_unknown_contacts
from drafting.checks.findings import Finding
from drafting.checks.frustration_ack import find_unacknowledged_frustration
from drafting.checks.greetings import find_generic_greetings
from drafting.checks.language import base_language, detect_language, find_language_mismatch, guess_by_words
from drafting.checks.length import find_too_long, limit_for
from drafting.checks.lexicons import LANGUAGES, Words
from drafting.checks.openers import find_repeated_opener
from drafting.checks.placeholders import find_placeholders
from drafting.checks.recent_contact import RecentContact, find_ignored_recent_contact
from drafting.checks.robotic import find_avoided_words, find_robotic_phrases
from drafting.checks.sentences import opening_span
from drafting.context import DraftContext, build_context, build_customer_context, first_name
from storage.models import ApprovedReply, Customer, Draft, Revision

RECENT_OPENERS = 40
"""How many of the team's newest approved replies on a channel `repeated_opener` compares with."""


@dataclass(frozen=True)
class CheckInput:
    """What the checks look at: the draft, where it goes, and (when known) what it answers and who to."""

    body: str
    subject: str = ""
    channel: str = "email"
    language: str = ""
    """The language the reply must be in (the customer's); empty: the context's, else not checked."""
    incoming: str = ""
    """The message being answered; empty: the context's incoming message, if any."""
    context: DraftContext | None = None
    customer_name: str = ""
    """The customer's name when there is no context (the context's wins when there is one)."""
    known_facts: tuple[str, ...] = ()
    """More text whose names, emails, phones and references count as known (on top of the context's)."""
    recent_contacts: tuple[RecentContact, ...] = ()
    """Other contacts from the customer in the last day, newest first; empty: the context's very recent events."""
    recent_openers: tuple[str, ...] = ()
    """The opening sentences of the team's recent approved replies on this channel."""
    max_chars: int | None = None
    """A length limit; None: the context's channel rules, else the channel's default."""


def _name(draft: CheckInput) -> str:
    if draft.context is not None and draft.context.customer.first_name:
        return draft.context.customer.first_name
    return first_name(draft.customer_name)


def _incoming(draft: CheckInput) -> str:
    if draft.incoming or draft.context is None or draft.context.incoming is None:
        return draft.incoming
    return draft.context.incoming.text


def _expected_language(draft: CheckInput) -> str:
    if draft.language:
        return draft.language
    return draft.context.language if draft.context is not None else ""


def known_texts(draft: CheckInput) -> list[str]:
    """Everything the checks may treat as known about the customer, as text."""
    texts = [draft.customer_name, *draft.known_facts, _incoming(draft)]
    ctx = draft.context
    if ctx is not None:
        c = ctx.customer
        texts += [c.name, c.customer_id, c.owner, *c.handles, ctx.rules.signature]
        if ctx.incoming is not None:
            texts += [ctx.incoming.subject, ctx.incoming.author]
        texts += [e.summary for e in ctx.recent]
        texts += [e.summary for e in ctx.older_history]
        texts += [i.summary for i in ctx.open_issues]
        texts += [p.text for p in ctx.promises]
    return [t for t in texts if t]


def recent_contacts(draft: CheckInput) -> tuple[RecentContact, ...]:
    """The contacts `ignores_recent_contact` looks at: given ones, else the context's very recent incoming events."""
    if draft.recent_contacts or draft.context is None:
        return draft.recent_contacts
    ctx = draft.context
    answered = " ".join(_incoming(draft).split())
    found = []
    for event in ctx.recent:
        if not event.very_recent or event.direction != "in" or event.channel == "note":
            continue
        if ctx.incoming is not None and event.interaction_id == ctx.incoming.interaction_id:
            continue
        # With no work item (a customer's context and a pasted message), the message being answered is in history too.
        summary = event.summary.split(" — ", 1)[-1].rstrip("…")
        if answered and summary and summary in answered:
            continue
        found.append(RecentContact(event.channel, event.relative))
    return tuple(found)


def check_draft(draft: CheckInput) -> list[Finding]:
    """All findings for a draft, ordered by position. Messages are in the draft's language."""
    body = draft.body
    expected = base_language(_expected_language(draft))
    detected = detect_language(body) if expected in LANGUAGES else guess_by_words(body)
    lang = detected or (expected if expected in LANGUAGES else "en")
    rules_limit = draft.context.rules.max_chars if draft.context is not None else None
    limit = limit_for(draft.channel, draft.max_chars if draft.max_chars is not None else rules_limit)

    words = Words.of(body)  # once for both lexicon passes
    robotic = find_robotic_phrases(body, lang, words=words)
    voice = draft.context.voice if draft.context is not None else None
    if voice is not None:
        # The team's own words to avoid, unless the built-in lexicon already flags the same words.
        robotic += [
            f
            for f in find_avoided_words(body, voice.words_avoid, voice.language)
            if not any(f.start < r.end and r.start < f.end for r in robotic)
        ]
    findings = [
        *find_placeholders(body, lang),
        *find_generic_greetings(body, first_name=_name(draft), lang=lang),
        *robotic,
        *find_commitments(body, lang, words=words),
        *find_unknown_contacts(body, KnownFacts(known_texts(draft)), lang),
        *find_too_long(body, channel=draft.channel, limit=limit, lang=lang),
        *find_language_mismatch(body, expected=expected, detected=detected, lang=lang),
        *find_unacknowledged_frustration(body, _incoming(draft), ignore=[(f.start, f.end) for f in robotic], lang=lang),
        *find_ignored_recent_contact(body, recent_contacts(draft), lang),
        *find_repeated_opener(body, draft.recent_openers, lang),
    ]
    return sorted(findings, key=lambda f: (f.start, f.end, f.code))


# -- from the database -----------------------------------------------------------------


def recent_openers(session: Session, *, channel: str, exclude_draft: int | None = None) -> tuple[str, ...]:
    """The opening sentences of the team's newest approved replies on `channel`, newest first."""
    stmt = (
        sa.select(col(ApprovedReply.body))
        .where(col(ApprovedReply.channel) == channel)
        .order_by(col(ApprovedReply.approved_at).desc(), col(ApprovedReply.id).desc())
        .limit(RECENT_OPENERS)
    )
    if exclude_draft is not None:
        stmt = stmt.where(col(ApprovedReply.draft_id) != exclude_draft)
    openers = []
    for (body,) in session.execute(stmt).all():
        span = opening_span(body)
        if span is not None:
            openers.append(body[span[0] : span[1]])
    return tuple(openers)


def customer_context(session: Session, *, customer_id: str, channel: str, now: datetime | None = None) -> DraftContext:
    """The context for writing to the customer imported as `customer_id`; raises LookupError when there is none."""
    found = session.execute(sa.select(col(Customer.id)).where(col(Customer.customer_id) == customer_id)).first()
    if found is None:
        raise LookupError(f"no customer {customer_id}")
    return build_customer_context(session, customer_id=found[0], channel=channel, now=now)


def check_item_draft(session: Session, *, draft_id: int, now: datetime | None = None) -> list[Finding]:
    """All findings for a draft's newest revision, in its item's (or its customer's) context.

    Raises LookupError when the draft does not exist or has no revision yet.
    """
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise LookupError(f"no draft {draft_id}")
    revision = session.scalars(
        sa.select(Revision).where(col(Revision.draft_id) == draft_id).order_by(col(Revision.seq).desc()).limit(1)
    ).first()
    if revision is None:
        raise LookupError(f"draft {draft_id} has no revision yet")
    if draft.work_item_id is not None:
        ctx = build_context(session, item_id=draft.work_item_id, now=now)
    else:
        ctx = build_customer_context(session, customer_id=draft.customer_id, channel=draft.channel, now=now)
    return check_draft(
        CheckInput(
            body=revision.body,
            subject=revision.subject,
            channel=draft.channel,
            language=draft.language,
            context=ctx,
            recent_openers=recent_openers(session, channel=draft.channel, exclude_draft=draft_id),
        )
    )
