"""The life of a draft up to approval: generate, rewrite, revise — every version kept.

Each function does its own short transactions: the model streams outside any
database transaction, so a slow endpoint never holds a write lock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlparse

from sqlmodel import Session, select

from drafting.context import DraftContext, build_context
from drafting.policy import draft_author
from drafting.prompts import build_draft_messages, build_rewrite_messages, context_texts, new_delimiter, prompt_hash
from drafting.providers.base import CancelToken, GenerationRequest, GenerationResult, Message, Provider, ProviderError
from storage.chain import append_revision, record_event
from storage.database import Database
from storage.hashing import content_hash, normalize_text
from storage.models import (
    AuthorKind,
    ContextSnapshot,
    Draft,
    Generation,
    ItemStatus,
    OutboxMessage,
    OutboxState,
    Revision,
    RevisionKind,
    User,
    WorkItem,
    utcnow,
)
from storage.people import user_by_name

RewriteOp = Literal["warmer", "shorter", "formal", "translate"]
REWRITES: tuple[RewriteOp, ...] = ("warmer", "shorter", "formal", "translate")


class DraftError(Exception):
    """A draft operation that cannot proceed; the message says why."""


@dataclass(frozen=True)
class Outcome:
    """What a generation or revision left behind."""

    draft_id: int
    revision_id: int | None
    subject: str
    text: str
    content_hash: str | None
    result: GenerationResult | None
    partial: bool


def find_user(session: Session, name: str) -> User:
    user = user_by_name(session, name=name)
    if user is None:
        known = ", ".join(session.exec(select(User.name).order_by(User.name)).all())
        raise DraftError(f"unknown user {name!r}; known users: {known or 'none'}")
    return user


def _latest_revision(session: Session, draft_id: int) -> Revision | None:
    return session.exec(
        select(Revision).where(Revision.draft_id == draft_id).order_by(Revision.seq.desc()).limit(1)  # type: ignore[attr-defined]  # column expression
    ).first()


def _draft_for_item(session: Session, item: WorkItem, author: User | None) -> Draft:
    """The item's open draft, or a new one."""
    existing = session.exec(
        select(Draft).where(Draft.work_item_id == item.id).order_by(Draft.id.desc()).limit(1)  # type: ignore[union-attr]  # column expression
    ).first()
    if existing is not None and existing.status not in (ItemStatus.SENT, ItemStatus.CLOSED):
        return existing
    draft = Draft(
        work_item_id=item.id,
        customer_id=item.customer_id,
        channel=item.channel,
        language=item.language,
        author_id=author.id if author else None,
    )
    session.add(draft)
    session.flush()
    return draft


def _host(url: str) -> str:
    """host[:port] of an endpoint, never its credentials or path."""
    parsed = urlparse(url)
    if not parsed.hostname:
        return ""
    return f"{parsed.hostname}:{parsed.port}" if parsed.port else parsed.hostname


def _provenance(provider: Provider) -> tuple[str, str]:
    return getattr(provider, "name", type(provider).__name__), getattr(provider, "base_url", "")


def _subject_for(ctx: DraftContext) -> str:
    if ctx.channel != "email":
        return ""
    incoming = ctx.incoming.subject if ctx.incoming else ""
    if not incoming:
        return ""
    return incoming if incoming.lower().startswith(("re:", "re ")) else f"Re: {incoming}"


def _run(
    provider: Provider, request: GenerationRequest, on_chunk: Callable[[str], None] | None
) -> tuple[str, GenerationResult | None, ProviderError | None]:
    """Stream to the end (or to cancel); return the text, the result, or the typed error."""
    pieces: list[str] = []
    try:
        stream = provider.stream(request)
    except ProviderError as error:
        return "", None, error
    try:
        for chunk in stream:
            pieces.append(chunk.text)
            if on_chunk is not None:
                on_chunk(chunk.text)
    except ProviderError as error:
        return error.partial_text or "".join(pieces), stream.result, error
    result = stream.result
    return (result.text if result else "".join(pieces)), result, None


def _record_generation(
    session: Session,
    *,
    draft_id: int,
    revision_id: int | None,
    snapshot_id: int | None,
    purpose: str,
    provider: Provider,
    messages: list[Message],
    result: GenerationResult | None,
    error: ProviderError | None,
) -> None:
    name, base_url = _provenance(provider)
    session.add(
        Generation(
            draft_id=draft_id,
            revision_id=revision_id,
            snapshot_id=snapshot_id,
            purpose=purpose,
            provider=name,
            model=getattr(provider, "model", ""),
            base_url_host=result.base_url_host if result else _host(base_url),
            prompt_hash=prompt_hash(messages),
            latency_ms=result.latency_ms if result else 0.0,
            first_token_ms=result.first_token_ms if result else None,
            prompt_tokens=result.usage.prompt_tokens if result else 0,
            completion_tokens=result.usage.completion_tokens if result else 0,
            finish_reason=result.finish_reason if result else "error",
            error=f"{error.code}: {error}" if error else "",
        )
    )


def generate_draft(
    db: Database,
    *,
    item_id: int,
    provider: Provider,
    author: str | None = None,
    now: datetime | None = None,
    on_chunk: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
) -> Outcome:
    """Write a first draft for a work item, stream it, and keep it as an `ai_draft` revision.

    A cancelled or failed stream keeps whatever text arrived, marked partial; a
    provider error is re-raised after that text is saved.
    """
    with db.write() as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise DraftError(f"no work item {item_id}")
        if item.escalated and getattr(provider, "name", "") == "offline":
            # An escalated conversation needs a person's own words, not a template.
            raise DraftError(
                f"item {item_id} is escalated to a human: the offline composer does not write these; "
                "write the reply yourself"
            )
        user = find_user(session, author) if author else None
        ctx = build_context(session, item_id=item_id, now=now)
        draft = _draft_for_item(session, item, user)
        snapshot = json.dumps(ctx.to_snapshot(), ensure_ascii=False, sort_keys=True)
        snap = ContextSnapshot(
            draft_id=draft.id or 0, data=snapshot, sha256=hashlib.sha256(snapshot.encode()).hexdigest()
        )
        session.add(snap)
        name, _ = _provenance(provider)
        draft.provider, draft.model, draft.language = name, getattr(provider, "model", ""), ctx.language
        if item.status in (ItemStatus.NEW, ItemStatus.CHANGES_REQUESTED):
            item.status = ItemStatus.DRAFTING.value
            item.updated_at = utcnow()
        session.flush()
        draft_id, snapshot_id = draft.id or 0, snap.id
    messages = build_draft_messages(ctx, delimiter=new_delimiter(context_texts(ctx)))
    request = GenerationRequest(messages=messages, cancel=cancel or CancelToken(), context=ctx)
    text, result, error = _run(provider, request, on_chunk)
    return _keep(
        db,
        draft_id=draft_id,
        snapshot_id=snapshot_id,
        subject=_subject_for(ctx),
        text=text,
        kind=RevisionKind.AI_DRAFT,
        purpose="draft",
        provider=provider,
        messages=messages,
        result=result,
        error=error,
    )


def rewrite_draft(
    db: Database,
    *,
    draft_id: int,
    operation: RewriteOp,
    provider: Provider,
    now: datetime | None = None,
    on_chunk: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
) -> Outcome:
    """Rewrite the current text (warmer, shorter, formal, translate) as an `ai_rewrite` revision."""
    if operation not in REWRITES:
        raise DraftError(f"unknown rewrite {operation!r}; choose one of {', '.join(REWRITES)}")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            raise DraftError(f"no draft {draft_id}")
        current = _latest_revision(session, draft_id)
        if current is None or not current.body.strip():
            raise DraftError(f"draft {draft_id} has no text to rewrite yet")
        if draft.work_item_id is None:
            raise DraftError(f"draft {draft_id} has no work item to take context from")
        ctx = build_context(session, item_id=draft.work_item_id, now=now)
    delimiter = new_delimiter([current.body, *context_texts(ctx)])
    messages = build_rewrite_messages(current.body, operation, ctx, delimiter=delimiter)
    request = GenerationRequest(
        messages=messages,
        cancel=cancel or CancelToken(),
        purpose=f"rewrite:{operation}",
        context=ctx,
        source_text=current.body,
    )
    text, result, error = _run(provider, request, on_chunk)
    return _keep(
        db,
        draft_id=draft_id,
        snapshot_id=None,
        subject=current.subject,
        text=text,
        kind=RevisionKind.AI_REWRITE,
        purpose=f"rewrite:{operation}",
        provider=provider,
        messages=messages,
        result=result,
        error=error,
    )


def _keep(
    db: Database,
    *,
    draft_id: int,
    snapshot_id: int | None,
    subject: str,
    text: str,
    kind: RevisionKind,
    purpose: str,
    provider: Provider,
    messages: list[Message],
    result: GenerationResult | None,
    error: ProviderError | None,
) -> Outcome:
    """Save what the model wrote (even partial), with its provenance; re-raise a provider error after."""
    revision: Revision | None = None
    name, _ = _provenance(provider)
    with db.write() as session:
        if text.strip():
            revision = append_revision(
                session,
                draft_id=draft_id,
                author_kind=AuthorKind.AI.value,
                kind=kind.value,
                author=name,
                subject=subject,
                body=text,
            )
        _record_generation(
            session,
            draft_id=draft_id,
            revision_id=revision.id if revision else None,
            snapshot_id=snapshot_id,
            purpose=purpose,
            provider=provider,
            messages=messages,
            result=result,
            error=error,
        )
        finish = result.finish_reason if result else "error"
        record_event(
            session,
            action=f"draft.{'generated' if purpose == 'draft' else 'rewritten'}",
            actor=name,
            entity="draft",
            entity_id=draft_id,
            details={"purpose": purpose, "finish_reason": finish, "revision_id": revision.id if revision else None},
        )
    if error is not None:
        raise error
    partial = result.partial if result else True
    return Outcome(
        draft_id=draft_id,
        revision_id=revision.id if revision else None,
        subject=subject,
        text=text,
        content_hash=revision.content_hash if revision else None,
        result=result,
        partial=partial,
    )


def revise_draft(
    db: Database,
    *,
    draft_id: int,
    body: str,
    author: str,
    subject: str | None = None,
    kind: RevisionKind = RevisionKind.HUMAN_EDIT,
) -> Outcome:
    """Keep a person's edit as a new revision; an edit that changes nothing adds nothing."""
    if not normalize_text(body):
        raise DraftError("the new text is empty; nothing was saved")
    with db.write() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            raise DraftError(f"no draft {draft_id}")
        user = find_user(session, author)
        sending = session.exec(
            select(OutboxMessage.id).where(
                OutboxMessage.draft_id == draft_id, OutboxMessage.state == OutboxState.SENDING.value
            )
        ).first()
        if sending is not None:
            raise DraftError(f"draft {draft_id} is being sent right now; edit it after the send ends")
        if kind == RevisionKind.HUMAN_EDIT and draft.status == ItemStatus.WAITING_APPROVAL.value:
            # Someone other than the writer changing a draft that waits for approval edits as its approver.
            writer = draft_author(session, draft)
            if writer is None or writer.name != user.name:
                kind = RevisionKind.APPROVER_EDIT
        current = _latest_revision(session, draft_id)
        new_subject = subject if subject is not None else (current.subject if current else "")
        if current is not None and current.content_hash == content_hash(new_subject, body):
            return Outcome(draft_id, current.id, current.subject, current.body, current.content_hash, None, False)
        revision = append_revision(
            session,
            draft_id=draft_id,
            author_kind=AuthorKind.HUMAN.value,
            kind=kind.value,
            author=user.name,
            subject=new_subject,
            body=body,
        )
        draft.updated_at = utcnow()
        record_event(
            session,
            action="draft.revised",
            actor=user.name,
            entity="draft",
            entity_id=draft_id,
            details={"revision_id": revision.id, "kind": kind.value, "hash": revision.content_hash},
        )
        return Outcome(draft_id, revision.id, revision.subject, revision.body, revision.content_hash, None, False)
